package sshnode

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/nodetest"
)

// testOptions keep failures fast: short back-off, a private HOME.
func testOptions(t testing.TB) Options {
	return Options{
		Home:           t.TempDir(),
		Getenv:         func(string) string { return "" },
		RetryBaseDelay: 50 * time.Millisecond,
		RetryMaxDelay:  200 * time.Millisecond,
		DialAttempts:   2,
	}
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func connectNode(t testing.TB, c *opensshtest.Cluster, i int) *Node {
	t.Helper()
	p := NewPool(testOptions(t))
	t.Cleanup(func() { p.Close() })
	n, err := p.Connect(testContext(t), c.Nodes[i].Name, c.Endpoint(i))
	if err != nil {
		t.Fatalf("connect %s: %v", c.Nodes[i].Name, err)
	}
	return n
}

func TestOpenSSHConformance(t *testing.T) {
	c := opensshtest.Start(t, 1)
	node := connectNode(t, c, 0)
	nodetest.RunConformance(t, func(*testing.T) transport.Node { return node })
}

func TestOpenSSHPathsAreUnderTheNodeRoot(t *testing.T) {
	c := opensshtest.Start(t, 1)
	n := connectNode(t, c, 0)
	if err := n.WriteFile(testContext(t), "/opt/nec/clusterpro/etc/clp.conf", []byte("<root/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(c.Nodes[0].Root, "opt/nec/clusterpro/etc/clp.conf"))
	if err != nil || string(got) != "<root/>" {
		t.Fatalf("file under the node root: %q, %v", got, err)
	}
}

func TestOpenSSHWriteKeepsModeAndOwner(t *testing.T) {
	c := opensshtest.Start(t, 1)
	n := connectNode(t, c, 0)
	local := filepath.Join(c.Nodes[0].Root, "etc", "app.conf")
	os.MkdirAll(filepath.Dir(local), 0o755)
	if err := os.WriteFile(local, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	// An owner other than ours shows that chown --reference ran; only root can set one.
	uid, gid := os.Getuid(), os.Getgid()
	if os.Geteuid() == 0 {
		uid, gid = 1234, 5678
		if err := os.Chown(local, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.WriteFile(testContext(t), "/etc/app.conf", []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(local)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(local)
	sys := st.Sys().(*syscall.Stat_t)
	if string(data) != "new" || st.Mode().Perm() != 0o640 || int(sys.Uid) != uid || int(sys.Gid) != gid {
		t.Errorf("after write: %q mode %v owner %d:%d; want \"new\" mode 0640 owner %d:%d", data, st.Mode().Perm(), sys.Uid, sys.Gid, uid, gid)
	}
	assertNoTempFiles(t, filepath.Dir(local))
}

// assertNoTempFiles fails if a WriteFile temporary (".name.XXXXXX") is left in dir; the remote
// trap may still be running, so give it a moment.
func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		entries, _ := os.ReadDir(dir)
		var temps []string
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				temps = append(temps, e.Name())
			}
		}
		if len(temps) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("temporary files left in %s: %v", dir, temps)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestOpenSSHCutWriteKeepsOldFile cuts a large write in two ways: our side closes the
// connection (the remote script sees a short input and removes its temporary file), and the
// server dies with every process (nothing runs the trap, but the target is untouched).
func TestOpenSSHCutWriteKeepsOldFile(t *testing.T) {
	c := opensshtest.Start(t, 1)
	big := bytes.Repeat([]byte("0123456789abcdef"), 4<<20) // 64 MiB
	for _, cut := range []struct {
		name     string
		cut      func(n *Node)
		tempGone bool
	}{
		{"client closes", func(n *Node) { n.Close() }, true},
		{"server killed", func(*Node) { c.Stop(0) }, false},
	} {
		t.Run(cut.name, func(t *testing.T) {
			c.Restart(0)
			n := connectNode(t, c, 0)
			local := filepath.Join(c.Nodes[0].Root, "etc", "big.conf")
			os.MkdirAll(filepath.Dir(local), 0o755)
			if err := os.WriteFile(local, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- n.WriteFile(testContext(t), "/etc/big.conf", big, 0o644) }()
			// Cut once the temporary file has started to fill.
			waitFor(t, func() bool { return tempSize(filepath.Dir(local)) > 0 })
			cut.cut(n)
			if err := <-done; err == nil {
				t.Fatal("WriteFile succeeded across a cut connection")
			}
			if got, _ := os.ReadFile(local); string(got) != "old" {
				t.Errorf("target after cut holds %d bytes, want the old content", len(got))
			}
			if cut.tempGone {
				assertNoTempFiles(t, filepath.Dir(local))
			}
		})
	}
}

// tempSize is the size of the WriteFile temporary in dir, 0 if none.
func tempSize(dir string) int64 {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".big.conf.") {
			if info, err := e.Info(); err == nil {
				return info.Size()
			}
		}
	}
	return 0
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 20s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestOpenSSHHostKeyRejection(t *testing.T) {
	c := opensshtest.Start(t, 2)
	ctx := testContext(t)

	t.Run("unknown", func(t *testing.T) {
		ep := c.Endpoint(0)
		ep.SSH.KnownHostsFile = filepath.Join(t.TempDir(), "empty_known_hosts")
		_, err := NewPool(testOptions(t)).Connect(ctx, "node1", ep)
		var hk *HostKeyError
		if !errors.As(err, &hk) || hk.Kind != HostKeyUnknown {
			t.Fatalf("err = %v, want an unknown-host-key error", err)
		}
		if hk.Line != c.Nodes[0].KnownHostsLine() {
			t.Errorf("suggested line %q, want %q", hk.Line, c.Nodes[0].KnownHostsLine())
		}
		if !strings.Contains(err.Error(), "SHA256:") || !strings.Contains(err.Error(), hk.Line) {
			t.Errorf("message lacks fingerprint or line: %v", err)
		}
	})

	t.Run("changed", func(t *testing.T) {
		c.ChangeHostKey(1)
		_, err := NewPool(testOptions(t)).Connect(ctx, "node2", c.Endpoint(1))
		var hk *HostKeyError
		if !errors.As(err, &hk) || hk.Kind != HostKeyChanged {
			t.Fatalf("err = %v, want a changed-host-key error", err)
		}
		if !strings.Contains(err.Error(), "ssh-keygen -R") {
			t.Errorf("message lacks the ssh-keygen -R hint: %v", err)
		}
	})

	t.Run("changed even with AcceptNewHostKeys", func(t *testing.T) {
		o := testOptions(t)
		o.AcceptNewHostKeys = true
		_, err := NewPool(o).Connect(ctx, "node2", c.Endpoint(1))
		var hk *HostKeyError
		if !errors.As(err, &hk) || hk.Kind != HostKeyChanged {
			t.Fatalf("err = %v, want a changed-host-key error", err)
		}
	})

	t.Run("pinned key accepted without known_hosts", func(t *testing.T) {
		ep := c.Endpoint(1)
		ep.SSH.KnownHostsFile = filepath.Join(t.TempDir(), "none")
		ep.HostKey = c.Nodes[1].HostKeyLine
		p := NewPool(testOptions(t))
		defer p.Close()
		n, err := p.Connect(ctx, "node2", ep)
		if err != nil {
			t.Fatalf("pinned key refused: %v", err)
		}
		if r, err := n.Run(ctx, transport.Cmd("true")); err != nil || !r.OK() {
			t.Fatalf("run: %v %v", r, err)
		}
	})

	t.Run("pinned key mismatch", func(t *testing.T) {
		ep := c.Endpoint(0)
		ep.HostKey = c.Nodes[1].HostKeyLine
		_, err := NewPool(testOptions(t)).Connect(ctx, "node1", ep)
		var hk *HostKeyError
		if !errors.As(err, &hk) || hk.Kind != HostKeyChanged || !hk.Pinned {
			t.Fatalf("err = %v, want a pinned-key mismatch", err)
		}
	})

	t.Run("accept new appends", func(t *testing.T) {
		kh := filepath.Join(t.TempDir(), "ssh", "known_hosts")
		ep := c.Endpoint(0)
		ep.SSH.KnownHostsFile = kh
		o := testOptions(t)
		o.AcceptNewHostKeys = true
		p := NewPool(o)
		defer p.Close()
		if _, err := p.Connect(ctx, "node1", ep); err != nil {
			t.Fatalf("accept-new connect: %v", err)
		}
		got, _ := os.ReadFile(kh)
		if string(got) != c.Nodes[0].KnownHostsLine()+"\n" {
			t.Errorf("known_hosts = %q, want the node's line", got)
		}
		// Now known: a pool that does not accept new keys connects.
		if _, err := NewPool(testOptions(t)).Connect(ctx, "node1", ep); err != nil {
			t.Errorf("after accept-new: %v", err)
		}
	})
}

func TestOpenSSHJumpHost(t *testing.T) {
	c := opensshtest.Start(t, 2, opensshtest.WithJumpHost())
	p := NewPool(testOptions(t))
	defer p.Close()
	var targets []Target
	for i, n := range c.Nodes {
		ep := c.Endpoint(i)
		ep.SSH.JumpHost = c.JumpHost()
		targets = append(targets, Target{Name: n.Name, Endpoint: ep})
	}
	nodes, err := p.ConnectAll(testContext(t), targets)
	if err != nil {
		t.Fatalf("connect through the bastion: %v", err)
	}
	for _, n := range nodes {
		if r, err := n.Run(testContext(t), transport.Cmd("true")); err != nil || !r.OK() {
			t.Fatalf("%s: run through the bastion: %v %v", n.Name(), r, err)
		}
	}
	if len(p.jumps) != 1 {
		t.Errorf("%d bastion connections, want 1 shared", len(p.jumps))
	}
	// The sessions really go through the bastion: without it they are gone.
	c.StopJump()
	for _, n := range nodes {
		if _, err := n.Run(testContext(t), transport.Cmd("true")); err == nil {
			t.Errorf("%s still answers with the bastion down", n.Name())
		}
	}
}

func TestOpenSSHDialRetryThenSuccess(t *testing.T) {
	c := opensshtest.Start(t, 1)
	c.Stop(0)
	o := testOptions(t)
	o.DialAttempts = 20
	o.RetryBaseDelay, o.RetryMaxDelay = 100*time.Millisecond, 200*time.Millisecond
	p := NewPool(o)
	defer p.Close()
	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		time.Sleep(500 * time.Millisecond)
		c.Restart(0)
	}()
	defer func() { <-restarted }() // Restart reports to t: the test must outlive it
	start := time.Now()
	n, err := p.Connect(testContext(t), "node1", c.Endpoint(0))
	if err != nil {
		t.Fatalf("connect while the port opens late: %v", err)
	}
	if time.Since(start) < 400*time.Millisecond {
		t.Errorf("connected after %v, before the port opened: the test proves nothing", time.Since(start))
	}
	if r, err := n.Run(testContext(t), transport.Cmd("true")); err != nil || !r.OK() {
		t.Fatalf("run: %v %v", r, err)
	}
}

func TestOpenSSHDialGivesUpWithDialError(t *testing.T) {
	c := opensshtest.Start(t, 1)
	c.Stop(0)
	o := testOptions(t)
	o.DialAttempts = 3
	_, err := NewPool(o).Connect(testContext(t), "node1", c.Endpoint(0))
	var de *DialError
	if !errors.As(err, &de) || de.Attempts != 3 {
		t.Fatalf("err = %v, want a DialError after 3 attempts", err)
	}
}

func TestOpenSSHNoRetryOnAuthFailure(t *testing.T) {
	c := opensshtest.Start(t, 1)
	other := filepath.Join(t.TempDir(), "other_key")
	writeTestKey(t, other)
	ep := c.Endpoint(0)
	ep.SSH.IdentityFiles = []string{other}
	o := testOptions(t)
	o.DialAttempts = 5
	o.RetryBaseDelay, o.RetryMaxDelay = time.Second, time.Second
	start := time.Now()
	_, err := NewPool(o).Connect(testContext(t), "node1", ep)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an AuthError", err)
	}
	if d := time.Since(start); d > 900*time.Millisecond {
		t.Errorf("auth failure took %v: it was retried", d)
	}
	if got := strings.Count(c.Nodes[0].Log(), "Failed publickey"); got != 1 {
		t.Errorf("sshd refused %d keys, want 1 (one connection, one key)", got)
	}
}

func TestOpenSSHCommandTimeout(t *testing.T) {
	c := opensshtest.Start(t, 1)
	ep := c.Endpoint(0)
	ep.SSH.CommandTimeout = 300 * time.Millisecond
	p := NewPool(testOptions(t))
	defer p.Close()
	n, err := p.Connect(testContext(t), "node1", ep)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = n.Run(testContext(t), transport.Cmd("sleep", "10"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("timed out after %v, want about 300ms", d)
	}
	// The connection survives a timed-out session.
	if r, err := n.Run(testContext(t), transport.Cmd("true")); err != nil || !r.OK() {
		t.Fatalf("run after a timeout: %v %v", r, err)
	}
	// A cancelled context stops a batch the same way.
	ctx, cancel := context.WithCancel(testContext(t))
	time.AfterFunc(200*time.Millisecond, cancel)
	if _, err := n.Batch(ctx, []transport.Command{transport.Cmd("true"), transport.Cmd("sleep", "10")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("batch err = %v, want Canceled", err)
	}
}
