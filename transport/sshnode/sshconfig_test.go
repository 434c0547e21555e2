package sshnode

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/clusterctl/cluster/transport"
)

// writeHome writes files (relative to a new home directory) and returns the home.
func writeHome(t *testing.T, files map[string]string) string {
	t.Helper()
	home := t.TempDir()
	for name, content := range files {
		p := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return home
}

func TestSSHConfigMatchBlocks(t *testing.T) {
	home := writeHome(t, map[string]string{
		".ssh/config": `
Include conf.d/*.conf

Match final all
	User finaluser

Match host sv1,sv2
	User matched
	Port 2201

Match originalhost db*,!db9
	User dba

Match exec "test -f /etc/foo" host sv3
	User execuser

Match localuser nobody-here-xyz
	User never

Match all
	IdentityFile ~/.ssh/everyone
`,
		// Fedora's /etc/ssh/ssh_config.d/50-redhat.conf opens with this.
		".ssh/conf.d/50-redhat.conf": `
Match final all
	Include /nonexistent/crypto-policies/openssh.config
	GSSAPIAuthentication yes
`,
		".ssh/conf.d/60-web.conf": `
Host web*
	User webadmin
`,
	})
	sc, err := loadSSHConfig(filepath.Join(home, ".ssh", "config"), home, "tester")
	if err != nil {
		t.Fatalf("a Match block made the whole ssh config unusable: %v", err)
	}
	for _, c := range []struct{ alias, key, want string }{
		{"sv1", "User", "matched"},
		{"sv2", "Port", "2201"},
		{"db1", "User", "dba"},
		{"db9", "User", ""}, // negated
		{"sv3", "User", ""}, // Match exec: skipped
		{"web1", "User", "webadmin"},
		{"other", "User", ""}, // Match final all: skipped; localuser does not match
		{"other", "IdentityFile", "~/.ssh/everyone"},
		{"other", "GSSAPIAuthentication", ""},
	} {
		if got := sc.get(c.alias, c.key); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.alias, c.key, got, c.want)
		}
	}
	want := []string{
		filepath.Join(home, ".ssh/conf.d/50-redhat.conf") + `:2: Match final all: criterion "final" cannot be evaluated by cluster; the block is skipped`,
		filepath.Join(home, ".ssh/config") + `:4: Match final all: criterion "final" cannot be evaluated by cluster; the block is skipped`,
		filepath.Join(home, ".ssh/config") + `:14: Match exec "test -f /etc/foo" host sv3: criterion "exec" cannot be evaluated by cluster; the block is skipped`,
	}
	if strings.Join(sc.warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(sc.warnings, "\n"), strings.Join(want, "\n"))
	}
}

// An included file's blocks end with it: the lines after the Include belong to the block
// that held it.
func TestSSHConfigIncludeInsideHost(t *testing.T) {
	home := writeHome(t, map[string]string{
		".ssh/config": `
Host sv1
	Include ~/.ssh/extra
	Port 2222
`,
		".ssh/extra": `
User fromextra
Host other
	User otheruser
`,
	})
	sc, err := loadSSHConfig(filepath.Join(home, ".ssh", "config"), home, "tester")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ alias, key, want string }{
		{"sv1", "User", "fromextra"},
		{"sv1", "Port", "2222"},
		{"other", "User", "otheruser"},
		{"other", "Port", ""},
	} {
		if got := sc.get(c.alias, c.key); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.alias, c.key, got, c.want)
		}
	}
}

func TestMatchPatternList(t *testing.T) {
	for _, c := range []struct {
		list, s string
		want    bool
	}{
		{"root", "root", true},
		{"r*", "root", true},
		{"r?ot", "root", true},
		{"r?t", "root", false},
		{"*,!root", "root", false},
		{"admin,root", "root", true},
		{"!root", "alice", false},
	} {
		if got := matchPatternList(c.list, c.s); got != c.want {
			t.Errorf("%q ~ %q = %v, want %v", c.list, c.s, got, c.want)
		}
	}
}

func TestResolveProxyCommand(t *testing.T) {
	home := writeHome(t, map[string]string{".ssh/config": `
Host viaproxy
	HostName 10.0.0.5
	User ops
	Port 2022
	ProxyCommand ssh -W %h:%p -l %r bastion %n 100%%

Host both
	ProxyJump gw
	ProxyCommand nc %h %p

Host direct
	ProxyCommand none
`})
	// The pool would print what it resolves with a warning: the test checks the warning itself.
	o := Options{Home: home, Getenv: func(string) string { return "" }, Warn: func(string) {}}.withDefaults()
	p := NewPool(o)
	got, err := p.resolve("n", transport.Endpoint{Address: "viaproxy"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "ssh -W 10.0.0.5:2022 -l ops bastion viaproxy 100%"; got.ProxyCommand != want || len(got.Jumps) != 0 {
		t.Errorf("ProxyCommand = %q, jumps %v; want %q", got.ProxyCommand, got.Jumps, want)
	}
	got, err = p.resolve("n", transport.Endpoint{Address: "both"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ProxyCommand != "" || len(got.Jumps) != 1 || len(got.Warnings) != 1 {
		t.Errorf("ProxyJump and ProxyCommand: %+v", got)
	}
	got, err = p.resolve("n", transport.Endpoint{Address: "direct"})
	if err != nil || got.ProxyCommand != "" {
		t.Errorf("ProxyCommand none: %q, %v", got.ProxyCommand, err)
	}
	// A jump host in the configuration wins over ssh_config's ProxyCommand.
	got, err = p.resolve("n", transport.Endpoint{Address: "viaproxy", SSH: transport.SSHSettings{JumpHost: "gw"}})
	if err != nil || got.ProxyCommand != "" || len(got.Jumps) != 1 {
		t.Errorf("explicit jump host: %+v, %v", got, err)
	}
}

// TestProxyHelperProcess is not a test: run by a ProxyCommand, it relays stdin and stdout to
// the TCP address in its arguments, as nc does.
func TestProxyHelperProcess(t *testing.T) {
	if os.Getenv("SSHNODE_PROXY_HELPER") != "1" {
		t.Skip("helper process for ProxyCommand tests")
	}
	args := flagArgs()
	c, err := net.Dial("tcp", net.JoinHostPort(args[0], args[1]))
	if err != nil {
		os.Stderr.WriteString("helper: " + err.Error() + "\n")
		os.Exit(2)
	}
	go func() {
		io.Copy(c, os.Stdin)
		c.(*net.TCPConn).CloseWrite()
	}()
	io.Copy(os.Stdout, c)
	os.Exit(0)
}

// flagArgs are the arguments after "--".
func flagArgs() []string {
	for i, a := range os.Args {
		if a == "--" {
			return os.Args[i+1:]
		}
	}
	return nil
}

// proxyPool returns a pool whose ~/.ssh/config reaches alias through ProxyCommand proxy, and
// whose warnings are collected.
func proxyPool(t *testing.T, config string) (*Pool, *[]string) {
	t.Helper()
	o := testOptions(t)
	var mu sync.Mutex
	var warnings []string
	o.Warn = func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		warnings = append(warnings, msg)
	}
	o.Home = writeHome(t, map[string]string{".ssh/config": config})
	p := NewPool(o)
	t.Cleanup(func() { p.Close() })
	return p, &warnings
}

func TestConnectThroughProxyCommand(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "id")
	client, host := writeTestKey(t, keyFile), newSigner(t)
	srv := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{client.PublicKey()}})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	// The node is known by its alias: the proxy command reaches the real address.
	os.WriteFile(kh, []byte(knownhosts.Line([]string{"[viaproxy]:" + strconv.Itoa(srv.Port)}, host.PublicKey())+"\n"), 0o600)
	t.Setenv("SSHNODE_PROXY_HELPER", "1")

	p, warnings := proxyPool(t, `
Match final all
	GSSAPIAuthentication yes
Host viaproxy
	ProxyCommand exec `+os.Args[0]+` -test.run=^TestProxyHelperProcess$ -- 127.0.0.1 %p
Host failing
	ProxyCommand echo no route to the moon >&2; exit 3
`)
	off := false
	ep := func(alias string) transport.Endpoint {
		return transport.Endpoint{Address: alias, Port: srv.Port, SSH: transport.SSHSettings{
			User: "test", IdentityFiles: []string{keyFile}, KnownHostsFile: kh, Agent: &off,
		}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n, err := p.Connect(ctx, "viaproxy", ep("viaproxy"))
	if err != nil {
		t.Fatalf("connect through ProxyCommand: %v", err)
	}
	if srv.connections() != 1 {
		t.Errorf("server saw %d connections, want 1", srv.connections())
	}
	if len(*warnings) != 1 || !strings.Contains((*warnings)[0], "Match final all") {
		t.Errorf("warnings: %q, want one about Match final all", *warnings)
	}
	n.Close()

	_, err = p.Connect(ctx, "failing", ep("failing"))
	if err == nil || !strings.Contains(err.Error(), "no route to the moon") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("failing ProxyCommand: %v, want its stderr and exit status", err)
	}
	if len(*warnings) != 1 {
		t.Errorf("warnings repeated: %q", *warnings)
	}
}

func TestProxyConnCloseEndsTheCommand(t *testing.T) {
	c, err := startProxyCommand("sleep 60 & exec cat", "h:22")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("ping\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping\n" {
		t.Fatalf("echo: %q, %v", buf, err)
	}
	done := make(chan struct{})
	go func() { c.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the command and its children")
	}
	if c.RemoteAddr().String() != "h:22" {
		t.Errorf("RemoteAddr %s", c.RemoteAddr())
	}
	if _, err := c.Read(buf); err == nil {
		t.Error("read after close")
	}
}

func TestMalformedKnownHostsLineIsSkipped(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "id")
	client, host := writeTestKey(t, keyFile), newSigner(t)
	srv := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{client.PublicKey()}})
	srv2 := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{client.PublicKey()}})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	lines := []string{
		"# a comment",
		"garbage-without-a-key",
		knownhosts.Line([]string{srv.hostPort(), srv2.hostPort()}, host.PublicKey()),
		"|1|bad|hash ssh-ed25519 AAAA",
		"@unknown-marker host ssh-ed25519 AAAA",
	}
	if err := os.WriteFile(kh, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, warnings := proxyPool(t, "")
	off := false
	ep := func(s *testServer) transport.Endpoint {
		return transport.Endpoint{Address: s.Addr, Port: s.Port, SSH: transport.SSHSettings{
			User: "test", IdentityFiles: []string{keyFile}, KnownHostsFile: kh, Agent: &off, UseSSHConfig: &off,
		}}
	}
	ctx := testContext(t)
	if _, err := p.Connect(ctx, "n1", ep(srv)); err != nil {
		t.Fatalf("a malformed known_hosts line made the node unreachable: %v", err)
	}
	want := []string{kh + ":2: ", kh + ":4: ", kh + ":5: "}
	if len(*warnings) != len(want) {
		t.Fatalf("warnings: %q", *warnings)
	}
	for i, w := range want {
		if !strings.Contains((*warnings)[i], w) || !strings.Contains((*warnings)[i], "skipped") {
			t.Errorf("warning %d: %q, want it to name %s", i, (*warnings)[i], w)
		}
	}

	// The file was parsed once: the second node is checked against the same parse, even after
	// the file is gone, and nothing is warned twice.
	if err := os.Remove(kh); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Connect(ctx, "n2", ep(srv2)); err != nil {
		t.Fatalf("second node: %v", err)
	}
	if len(*warnings) != len(want) {
		t.Errorf("warnings repeated: %q", *warnings)
	}
}

// A key accepted with AcceptNewHostKeys is written once, however many times the host is
// reached in the run.
func TestAcceptedKeyIsRecordedOnce(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "id")
	client, host := writeTestKey(t, keyFile), newSigner(t)
	srv := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{client.PublicKey()}})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	o := testOptions(t)
	o.AcceptNewHostKeys = true
	p := NewPool(o)
	defer p.Close()
	off := false
	ep := transport.Endpoint{Address: srv.Addr, Port: srv.Port, SSH: transport.SSHSettings{
		User: "test", IdentityFiles: []string{keyFile}, KnownHostsFile: kh, Agent: &off, UseSSHConfig: &off,
	}}
	for _, name := range []string{"a", "b"} {
		if _, err := p.Connect(testContext(t), name, ep); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(kh)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 1 {
		t.Errorf("known_hosts has %d lines, want 1:\n%s", n, b)
	}
	// A changed key is still refused.
	other := startTestServer(t, serverOptions{hostKey: newSigner(t), allow: []ssh.PublicKey{client.PublicKey()}})
	os.WriteFile(kh, []byte(knownhosts.Line([]string{other.hostPort()}, host.PublicKey())+"\n"), 0o600)
	p2 := NewPool(o)
	defer p2.Close()
	ep.Port = other.Port
	_, err = p2.Connect(testContext(t), "c", ep)
	var hk *HostKeyError
	if !errors.As(err, &hk) || hk.Kind != HostKeyChanged {
		t.Errorf("changed key with AcceptNewHostKeys: %v", err)
	}
}

// A key accepted in a run is known for the rest of it: a later connection to the same
// host:port (another node name, a retry) that shows a different key is refused as changed,
// not accepted too.
func TestAcceptedKeyIsKnownForTheRestOfTheRun(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "id")
	client := writeTestKey(t, keyFile)
	first := startTestServer(t, serverOptions{hostKey: newSigner(t), allow: []ssh.PublicKey{client.PublicKey()}})
	second := startTestServer(t, serverOptions{hostKey: newSigner(t), allow: []ssh.PublicKey{client.PublicKey()}})
	// One address whose first connection reaches the first server and later ones the second.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for n := 0; ; n++ {
			c, err := l.Accept()
			if err != nil {
				return
			}
			to := second.hostPort()
			if n == 0 {
				to = first.hostPort()
			}
			go func() {
				s, err := net.Dial("tcp", to)
				if err != nil {
					c.Close()
					return
				}
				go func() { io.Copy(s, c); s.Close() }()
				io.Copy(c, s)
				c.Close()
			}()
		}
	}()
	kh := filepath.Join(t.TempDir(), "known_hosts")
	o := testOptions(t)
	o.AcceptNewHostKeys = true
	p := NewPool(o)
	defer p.Close()
	off := false
	ep := transport.Endpoint{Address: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, SSH: transport.SSHSettings{
		User: "test", IdentityFiles: []string{keyFile}, KnownHostsFile: kh, Agent: &off, UseSSHConfig: &off,
	}}
	if _, err := p.Connect(testContext(t), "a", ep); err != nil {
		t.Fatal(err)
	}
	_, err = p.Connect(testContext(t), "b", ep)
	var hk *HostKeyError
	if !errors.As(err, &hk) || hk.Kind != HostKeyChanged {
		t.Errorf("a different key for a host accepted earlier in the run: %v; want a changed key", err)
	}
	b, _ := os.ReadFile(kh)
	if n := strings.Count(string(b), "\n"); n != 1 {
		t.Errorf("known_hosts has %d lines, want the first key only:\n%s", n, b)
	}
}
