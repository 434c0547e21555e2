package sshnode

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/nodetest"
)

// becomeNode connects to node i of c as c's login user, through sudo.
func becomeNode(t *testing.T, c *opensshtest.Cluster, b Become) *Node {
	t.Helper()
	ep := c.Endpoint(0)
	on := true
	ep.SSH.Become, ep.SSH.BecomeUser, ep.SSH.BecomePassword = &on, b.User, string(b.Password)
	p := NewPool(testOptions(t))
	t.Cleanup(func() { p.Close() })
	n, err := p.Connect(testContext(t), c.Nodes[0].Name, ep)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	return n
}

// Every operation of the transport behaves the same through sudo, with and without a password.
func TestOpenSSHBecomeConformance(t *testing.T) {
	for _, tt := range []struct {
		name, rule string
		password   bool
		defaults   []string
	}{
		{"NOPASSWD", "ALL=(ALL:ALL) NOPASSWD: ALL", false, nil},
		{"password", "ALL=(ALL:ALL) ALL", true, nil},
		{"password given, not needed", "ALL=(ALL:ALL) NOPASSWD: ALL", true, nil},
		{"password given, !authenticate", "ALL=(ALL:ALL) ALL", true, []string{"!authenticate"}},
		{"password and a lecture", "ALL=(ALL:ALL) ALL", true, []string{"lecture=always"}},
		{"a narrow secure_path", "ALL=(ALL:ALL) NOPASSWD: ALL", false, []string{`secure_path="/usr/bin:/bin"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := opensshtest.AddSudoUser(t, "/bin/sh", tt.rule, tt.defaults...)
			c := opensshtest.Start(t, 1, opensshtest.WithLoginUser(u.Name))
			var b Become
			if tt.password {
				b.Password = []byte(u.Password)
			}
			node := becomeNode(t, c, b)
			nodetest.RunConformance(t, func(*testing.T) transport.Node { return node })
		})
	}
}

// As root, a write keeps the owner and mode of the file it replaces, creates a new file in a
// directory only root may enter, and leaves no temporary file; a read gets a root-only file.
// sudo's log shows one sudo per session: a batch of three commands is one.
func TestOpenSSHBecomeActsAsRoot(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "sudo.log")
	u := opensshtest.AddSudoUser(t, "/bin/sh", "ALL=(ALL:ALL) NOPASSWD: ALL", "logfile="+logFile)
	c := opensshtest.Start(t, 1, opensshtest.WithLoginUser(u.Name))
	n := becomeNode(t, c, Become{})
	ctx := testContext(t)
	root := c.Nodes[0].Root
	private := filepath.Join(root, "etc", "private")
	if err := os.MkdirAll(private, 0o700); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(root, "etc", "app.conf")
	if err := os.WriteFile(old, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(old, 4321, 4322); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(private, "secret"), []byte("root only"), 0o600); err != nil {
		t.Fatal(err)
	}

	if err := n.WriteFile(ctx, "/etc/app.conf", []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := n.WriteFile(ctx, "/etc/private/new.conf", []byte("created"), 0o600); err != nil {
		t.Fatal(err)
	}
	files, err := n.ReadFiles(ctx, []transport.NodePath{"/etc/private/secret"})
	if err != nil {
		t.Fatal(err)
	}
	results, err := n.Batch(ctx, []transport.Command{
		transport.Shell(`id -u`), transport.Shell(`echo "$CLUSTER_NODE_ROOT"`), transport.Cmd("cat", transport.NodePath("/etc/private/new.conf")),
	})
	if err != nil {
		t.Fatal(err)
	}

	type stat struct {
		Data     string
		UID, GID uint32
		Mode     os.FileMode
	}
	look := func(p string) stat {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(p)
		st := fi.Sys().(*syscall.Stat_t)
		return stat{string(b), st.Uid, st.Gid, fi.Mode().Perm()}
	}
	got := []stat{look(old), look(filepath.Join(private, "new.conf"))}
	want := []stat{{"new", 4321, 4322, 0o640}, {"created", 0, 0, 0o600}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("written files (-want +got):\n%s", d)
	}
	if string(files[0].Data) != "root only" {
		t.Errorf("read %q", files[0].Data)
	}
	outs := []string{string(results[0].Stdout), string(results[1].Stdout), string(results[2].Stdout)}
	if d := cmp.Diff([]string{"0\n", root + "\n", "created"}, outs); d != "" {
		t.Errorf("batch outputs (-want +got):\n%s", d)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "etc"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(log), "COMMAND="); got != 4 {
		t.Errorf("sudo ran %d times for 4 sessions (2 writes, 1 read, 1 batch of 3):\n%s", got, log)
	}
}

// A login shell that prints a banner on stdout and stderr does not disturb any operation
// through sudo.
func TestOpenSSHBecomeBehindABanner(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/bash", "ALL=(ALL:ALL) ALL")
	c := opensshtest.Start(t, 1, opensshtest.WithLoginUser(u.Name))
	rc := filepath.Join(c.Nodes[0].Dir, "home", ".bashrc")
	if err := os.WriteFile(rc, []byte("echo 'Welcome to the node'\necho 'Authorized use only' >&2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n := becomeNode(t, c, Become{Password: []byte(u.Password)})
	ctx := testContext(t)
	r, err := n.Run(ctx, transport.Shell(`id -u; echo err >&2`))
	if err != nil {
		t.Fatal(err)
	}
	if got := [2]string{string(r.Stdout), string(r.Stderr)}; got != [2]string{"0\n", "err\n"} {
		t.Errorf("run: stdout, stderr = %q, want the command's alone", got)
	}
	results, err := n.Batch(ctx, []transport.Command{transport.Shell(`id -u`)})
	if err != nil || string(results[0].Stdout) != "0\n" {
		t.Errorf("batch: %+v, %v", results, err)
	}
	if err := n.WriteFile(ctx, "/etc/x.conf", []byte("x"), 0o644); err != nil {
		t.Errorf("write: %v", err)
	}
	if files, err := n.ReadFiles(ctx, []transport.NodePath{"/etc/x.conf"}); err != nil || string(files[0].Data) != "x" {
		t.Errorf("read: %+v, %v", files, err)
	}
}

// A wrong password is a BecomeError, and a user without a sudoers rule too: never a hang.
func TestOpenSSHBecomeRefused(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/sh", "")
	c := opensshtest.Start(t, 1, opensshtest.WithLoginUser(u.Name))
	for _, pw := range []string{u.Password, "Wr0ng-pw"} {
		n := becomeNode(t, c, Become{Password: []byte(pw)})
		_, err := n.Run(testContext(t), transport.Shell(`id -u`))
		var be *BecomeError
		if !errors.As(err, &be) {
			t.Fatalf("password %q: %v, want a BecomeError", pw, err)
		}
		if strings.Contains(err.Error(), pw) {
			t.Errorf("the error shows the password: %v", err)
		}
		if pw != u.Password && !strings.Contains(err.Error(), "1 incorrect password attempt") {
			t.Errorf("a wrong password should cost one try: %v", err)
		}
	}
}

// A node where the login user finds no sudo fails with advice, not a parse error.
func TestOpenSSHBecomeWithoutSudo(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/bash", "ALL=(ALL:ALL) NOPASSWD: ALL")
	c := opensshtest.Start(t, 1, opensshtest.WithLoginUser(u.Name))
	// The login shell's PATH holds no sudo, as on a node where sudo is not installed.
	rc := filepath.Join(c.Nodes[0].Dir, "home", ".bashrc")
	if err := os.WriteFile(rc, []byte("PATH=/nonexistent\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n := becomeNode(t, c, Become{})
	_, err := n.ReadFiles(testContext(t), []transport.NodePath{"/etc/hosts"})
	var be *BecomeError
	if !errors.As(err, &be) || !strings.Contains(err.Error(), "sudo is not installed") {
		t.Fatalf("read without sudo: %v, want a BecomeError saying sudo is missing", err)
	}
}

// While a session runs through sudo with a password, no process on the machine has the
// password in its command line or environment; the sudo process is seen, so the look is real.
func TestOpenSSHBecomePasswordNotInProcesses(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/sh", "ALL=(ALL:ALL) ALL")
	c := opensshtest.Start(t, 1, opensshtest.WithLoginUser(u.Name))
	n := becomeNode(t, c, Become{Password: []byte(u.Password)})
	done := make(chan error, 1)
	go func() {
		_, err := n.Run(testContext(t), transport.Shell(`sleep 2`))
		done <- err
	}()
	sawSudo := false
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			if !sawSudo {
				t.Fatal("no sudo process seen while the session ran")
			}
			return
		default:
		}
		procs, _ := filepath.Glob("/proc/[0-9]*")
		for _, p := range procs {
			cmdline, _ := os.ReadFile(filepath.Join(p, "cmdline"))
			environ, _ := os.ReadFile(filepath.Join(p, "environ"))
			if strings.HasPrefix(string(cmdline), "sudo\x00") {
				sawSudo = true
			}
			if strings.Contains(string(cmdline), u.Password) || strings.Contains(string(environ), u.Password) {
				t.Fatalf("process %s shows the password: %q", p, cmdline)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}
