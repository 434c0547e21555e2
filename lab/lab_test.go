package lab

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/transport"
)

func startLab(t testing.TB, names ...string) *Lab {
	t.Helper()
	l, err := StartInProcess(Options{Dir: t.TempDir(), Names: names, Binary: clusterBinary})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	})
	return l
}

// clientConfig authenticates with the lab's client key and verifies host keys against the
// lab's known_hosts, as the real transport does.
func clientConfig(t testing.TB, dir string) *ssh.ClientConfig {
	t.Helper()
	key, err := os.ReadFile(filepath.Join(dir, ClientKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	hostKeys, err := knownhosts.New(filepath.Join(dir, KnownHostsFile))
	if err != nil {
		t.Fatal(err)
	}
	return &ssh.ClientConfig{
		User:            "lab",
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hostKeys,
		Timeout:         5 * time.Second,
	}
}

func dial(t testing.TB, l *Lab, name string, cfg *ssh.ClientConfig) (*ssh.Client, error) {
	t.Helper()
	n, ok := l.Registry().Node(name)
	if !ok {
		t.Fatalf("no node %s", name)
	}
	return ssh.Dial("tcp", net.JoinHostPort(n.Address, strconv.Itoa(n.Port)), cfg)
}

// runOn runs command on client and returns stdout, stderr and the exit status.
func runOn(t testing.TB, c *ssh.Client, command string, stdin []byte) (string, string, int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	if stdin != nil {
		s.Stdin = bytes.NewReader(stdin)
	}
	err = s.Run(command)
	var exit *ssh.ExitError
	switch {
	case err == nil:
		return stdout.String(), stderr.String(), 0
	case errors.As(err, &exit):
		return stdout.String(), stderr.String(), exit.ExitStatus()
	}
	t.Fatalf("run %q: %v", command, err)
	return "", "", 0
}

func TestLabRunsCommandsInTheNodeRoot(t *testing.T) {
	l := startLab(t, "sv1", "sv2", "sv3")
	c, err := dial(t, l, "sv2", clientConfig(t, l.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, _ := l.Registry().Node("sv2")

	out, _, code := runOn(t, c, `printf '%s\n' "$CLUSTER_NODE_ROOT" "$PWD" "$HOME" "$PATH"`, nil)
	want := strings.Join([]string{n.Root, n.Root, n.Root + "/home", n.Root + "/bin:/usr/local/bin:/usr/bin:/bin"}, "\n") + "\n"
	if code != 0 || out != want {
		t.Errorf("environment: exit %d\n%s\nwant\n%s", code, out, want)
	}
	out, errOut, code := runOn(t, c, "cat; echo oops >&2; exit 7", []byte("from stdin"))
	if out != "from stdin" || errOut != "oops\n" || code != 7 {
		t.Errorf("stdio: stdout %q stderr %q exit %d", out, errOut, code)
	}
	// A command that never reads stdin finishes even though the client keeps it open.
	s, _ := c.NewSession()
	pipe, _ := s.StdinPipe()
	defer pipe.Close()
	done := make(chan error, 1)
	go func() { done <- s.Run("true") }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("true with open stdin: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("a command that ignores stdin waited for its end")
	}
	if got := l.Sessions("sv2"); got != 3 {
		t.Errorf("sessions on sv2 = %d, want 3", got)
	}
}

func TestLabRefusesShellsAndStrangers(t *testing.T) {
	l := startLab(t, "sv1")
	c, err := dial(t, l, "sv1", clientConfig(t, l.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, _ := c.NewSession()
	if err := s.Shell(); err == nil {
		t.Error("a shell was granted")
	}
	s.Close()
	if ok, _, err := c.SendRequest("keepalive@openssh.com", true, nil); err != nil || !ok {
		t.Errorf("keepalive: %v %v", ok, err)
	}

	stranger := clientConfig(t, l.Dir)
	other, _ := loadOrCreateKey(filepath.Join(t.TempDir(), "k"), "stranger")
	stranger.Auth = []ssh.AuthMethod{ssh.PublicKeys(other)}
	if c, err := dial(t, l, "sv1", stranger); err == nil {
		c.Close()
		t.Error("a foreign client key was accepted")
	}
}

func TestPushFromOneNodeInstallsOnAll(t *testing.T) {
	l := startLab(t, "sv1", "sv2", "sv3")
	c, err := dial(t, l, "sv1", clientConfig(t, l.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	conf := `<?xml version="1.0" encoding="ASCII"?>
<root><cluster><name>lab</name></cluster>
<server name="sv1"><priority>0</priority></server>
<server name="sv2"><priority>1</priority></server>
<server name="sv3"><priority>2</priority></server>
<group name="g"/></root>
`
	write := transport.Shell(`mkdir -p "$(dirname "$1")" && cat > "$1"`, transport.NodePath("/tmp/cfg/clp.conf"))
	if _, errOut, code := runOn(t, c, write.String(), []byte(conf)); code != 0 {
		t.Fatalf("stage clp.conf: %s", errOut)
	}
	push := transport.Cmd(transport.NodePath("/opt/nec/clusterpro/bin/clpcfctrl"), "--push", "-l", "-x", transport.NodePath("/tmp/cfg"))
	out, errOut, code := runOn(t, c, push.String(), nil)
	if code != 0 {
		t.Fatalf("push: exit %d: %s", code, errOut)
	}
	for _, n := range l.Registry().Nodes {
		if !strings.Contains(out, "file delivery to server "+n.Name+" success.") {
			t.Errorf("push output lacks %s:\n%s", n.Name, out)
		}
		got, err := os.ReadFile(filepath.Join(n.Root, "opt/nec/clusterpro/etc/clp.conf"))
		if err != nil || string(got) != conf {
			t.Errorf("%s: clp.conf not installed: %v", n.Name, err)
		}
	}
	// The vendor path /usr/sbin works too, with the default install directory.
	out, errOut, code = runOn(t, c, transport.Cmd(transport.NodePath("/usr/sbin/clpcl"), "-s", "-a").String(), nil)
	if code != 0 {
		t.Fatalf("clpcl -s -a: exit %d: %s%s", code, out, errOut)
	}
	out, _, _ = runOn(t, c, transport.Cmd(transport.NodePath("/usr/sbin/clpstat")).String(), nil)
	if !strings.Contains(out, "current        : sv1") {
		t.Errorf("clpstat after start:\n%s", out)
	}
}

func TestFaultsOnConnections(t *testing.T) {
	l := startLab(t, "sv1", "sv2", "sv3")
	cfg := clientConfig(t, l.Dir)
	sv2, _ := l.Registry().Node("sv2")

	if err := labdir.SetFault(sv2.Root, labdir.NodeDown, ""); err != nil {
		t.Fatal(err)
	}
	if c, err := dial(t, l, "sv2", cfg); err == nil {
		c.Close()
		t.Fatal("node-down: connection accepted")
	}
	labdir.ClearFault(sv2.Root, labdir.NodeDown, "")
	c, err := dial(t, l, "sv2", cfg)
	if err != nil {
		t.Fatalf("after clearing node-down: %v", err)
	}
	c.Close()

	labdir.SetFault(sv2.Root, labdir.Drop, "200")
	if c, err := dial(t, l, "sv2", cfg); err == nil {
		c.Close()
		t.Error("drop=200: the handshake survived")
	}
	labdir.ClearFault(sv2.Root, labdir.Drop, "")

	labdir.SetFault(sv2.Root, labdir.Slow, "20")
	start := time.Now()
	c, err = dial(t, l, "sv2", cfg)
	if err != nil {
		t.Fatalf("slow: %v", err)
	}
	runOn(t, c, "true", nil)
	c.Close()
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Errorf("slow=20ms: connect and run took only %v", took)
	}
}

func TestLabFiles(t *testing.T) {
	l := startLab(t, "sv1", "db-2")
	data, err := os.ReadFile(filepath.Join(l.Dir, VarsFile))
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(data, VarsFile, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s is not valid HCL: %v\n%s", VarsFile, diags, data)
	}
	attrs := f.Body.(*hclsyntax.Body).Attributes
	for _, name := range []string{"hosts", "ssh_user", "identity_file", "known_hosts_file"} {
		if attrs[name] == nil {
			t.Errorf("%s lacks %s", VarsFile, name)
		}
	}
	hosts, diags := attrs["hosts"].Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, n := range l.Registry().Nodes {
		h := hosts.GetAttr(n.Name)
		port, _ := h.GetAttr("port").AsBigFloat().Int64()
		if h.GetAttr("address").AsString() != n.Address || int(port) != n.Port {
			t.Errorf("hosts.%s = %#v, registry says %s:%d", n.Name, h, n.Address, n.Port)
		}
		if !filepath.IsAbs(n.Root) {
			t.Errorf("root of %s is not absolute: %s", n.Name, n.Root)
		}
		if !strings.HasPrefix(n.Address, "127.0.0.") {
			t.Errorf("%s listens on %s", n.Name, n.Address)
		}
	}
	reg, err := labdir.ReadRegistry(l.Dir)
	if err != nil || len(reg.Nodes) != 2 || reg.Nodes[1].Name != "db-2" || reg.Nodes[0].Fingerprint == "" {
		t.Errorf("lab.json: %+v %v", reg, err)
	}
}

func TestRestartKeepsKeysPortsAndState(t *testing.T) {
	dir := t.TempDir()
	l, err := StartInProcess(Options{Dir: dir, Nodes: 2, Binary: clusterBinary})
	if err != nil {
		t.Fatal(err)
	}
	first := l.Registry()
	root := first.Nodes[0].Root
	os.WriteFile(filepath.Join(root, "home", "state"), []byte("kept"), 0o644)
	l.Close()

	l, err = StartInProcess(Options{Dir: dir, Binary: clusterBinary}) // no names: the previous ones
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	second := l.Registry()
	if len(second.Nodes) != 2 {
		t.Fatalf("restart has %d nodes", len(second.Nodes))
	}
	for i := range first.Nodes {
		a, b := first.Nodes[i], second.Nodes[i]
		if a.Name != b.Name || a.Fingerprint != b.Fingerprint || a.Port != b.Port {
			t.Errorf("node %d changed across a restart: %+v -> %+v", i, a, b)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(root, "home", "state")); string(data) != "kept" {
		t.Error("node state lost across a restart")
	}
}

func TestPrepareRoot(t *testing.T) {
	root := t.TempDir()
	for range 2 { // idempotent
		if err := PrepareRoot(root, "n1", "/labdir", clusterBinary); err != nil {
			t.Fatal(err)
		}
	}
	for _, link := range []string{
		"opt/nec/clusterpro/bin/clpcl", "c/Program Files/EXPRESSCLUSTER/bin/clpcfctrl", "usr/sbin/clpstat",
		"usr/SrvScan/bin/vkhoststat", "opt/HiOBJ/bin/xodstsswp", "bin/df",
	} {
		if target, err := os.Readlink(filepath.Join(root, link)); err != nil || target != clusterBinary {
			t.Errorf("%s -> %q, %v", link, target, err)
		}
	}
	info, err := labdir.ReadNodeInfo(root)
	if err != nil || info != (labdir.NodeInfo{Name: "n1", LabDir: "/labdir"}) {
		t.Errorf("node.json: %+v %v", info, err)
	}
}

func TestServeReportsReadinessAndStops(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	ready := &syncBuffer{ch: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, Options{Dir: dir, Nodes: 1, Binary: clusterBinary}, ready) }()
	select {
	case <-ready.ch:
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no readiness line")
	}
	if got := ready.String(); got != "ready\n" {
		t.Errorf("readiness line %q", got)
	}
	if pid, alive := readPID(dir); !alive || pid != os.Getpid() {
		t.Errorf("pid file: %d %v", pid, alive)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, PIDFile)); !os.IsNotExist(err) {
		t.Errorf("pid file left behind: %v", err)
	}
}

// syncBuffer records the readiness line and signals its arrival.
type syncBuffer struct {
	bytes.Buffer
	ch chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	n, err := b.Buffer.Write(p)
	close(b.ch)
	return n, err
}
