package emulate

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// testLab is a lab registry with node roots on disk, no servers: enough for the emulations.
type testLab struct {
	t     testing.TB
	dir   string
	roots map[string]string
}

// overPeerLink makes newTestLab's nodes reach their peers through a peer server, as
// chrooted nodes do, instead of through the registry (TestClusterproOverThePeerLink).
var overPeerLink bool

func newTestLab(t testing.TB, names ...string) *testLab {
	t.Helper()
	l := &testLab{t: t, dir: t.TempDir(), roots: map[string]string{}}
	if overPeerLink {
		l.dir = shortTempDir(t) // a Unix socket path has at most 107 bytes
	}
	var reg labdir.Registry
	for _, n := range names {
		root := filepath.Join(l.dir, "nodes", n, "root")
		if err := labdir.WriteNodeInfo(root, labdir.NodeInfo{Name: n, LabDir: l.dir}); err != nil {
			t.Fatal(err)
		}
		l.roots[n] = root
		reg.Nodes = append(reg.Nodes, labdir.Node{Name: n, Root: root})
	}
	if err := labdir.WriteRegistry(l.dir, reg); err != nil {
		t.Fatal(err)
	}
	if overPeerLink {
		l.servePeerLinks(reg)
	}
	return l
}

func shortTempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "peers-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// servePeerLinks gives every node a peer link served by this process, with a registry the
// emulations cannot read (their lab directory is gone from node.json).
func (l *testLab) servePeerLinks(reg labdir.Registry) {
	l.t.Helper()
	for _, n := range reg.Nodes {
		socket := filepath.Join(n.Root, labdir.PeerLinkFile)
		listener, err := net.Listen("unix", socket)
		if err != nil {
			l.t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- ServePeers(listener, l.dir) }()
		l.t.Cleanup(func() {
			listener.Close()
			if err := <-done; err != nil {
				l.t.Errorf("peer server of %s: %v", n.Name, err)
			}
		})
		info := labdir.NodeInfo{Name: n.Name, LabDir: filepath.Join(l.dir, "unreachable"), PeerLink: "/" + labdir.PeerLinkFile}
		if err := labdir.WriteNodeInfo(n.Root, info); err != nil {
			l.t.Fatal(err)
		}
	}
}

// result is what one emulated command did.
type result struct {
	stdout, stderr string
	code           int
}

// run runs command on node, invoked as <root><install>/bin/<command>.
func (l *testLab) run(node, install, command string, args ...string) result {
	l.t.Helper()
	root := l.roots[node]
	l.t.Setenv(RootEnv, root)
	main, ok := Lookup(command)
	if !ok {
		l.t.Fatalf("no emulation %s", command)
	}
	var stdout, stderr bytes.Buffer
	argv0 := filepath.Join(root, install, "bin", command)
	code := main(argv0, args, strings.NewReader(""), &stdout, &stderr)
	return result{stdout.String(), stderr.String(), code}
}

// must runs a command that has to succeed.
func (l *testLab) must(node, install, command string, args ...string) string {
	l.t.Helper()
	r := l.run(node, install, command, args...)
	if r.code != 0 {
		l.t.Fatalf("%s %v on %s: exit %d: %s", command, args, node, r.code, r.stderr)
	}
	return r.stdout
}

// mustFail runs a command that has to fail with a message containing want.
func (l *testLab) mustFail(node, install, command, want string, args ...string) {
	l.t.Helper()
	r := l.run(node, install, command, args...)
	if r.code == 0 {
		l.t.Fatalf("%s %v on %s succeeded, want failure %q; stdout: %s", command, args, node, want, r.stdout)
	}
	if !strings.Contains(r.stderr, want) {
		l.t.Fatalf("%s %v on %s: stderr %q does not contain %q", command, args, node, r.stderr, want)
	}
}

// file writes a file under node's root (node path).
func (l *testLab) file(node, nodePath, content string) {
	l.t.Helper()
	p := hostIn(l.roots[node], nodePath)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		l.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		l.t.Fatal(err)
	}
}

// read reads a file under node's root; "" when missing.
func (l *testLab) read(node, nodePath string) string {
	l.t.Helper()
	data, err := os.ReadFile(hostIn(l.roots[node], nodePath))
	if err != nil && !os.IsNotExist(err) {
		l.t.Fatal(err)
	}
	return string(data)
}

func (l *testLab) fault(node string, kind labdir.Fault, arg string) {
	l.t.Helper()
	if err := labdir.SetFault(l.roots[node], kind, arg); err != nil {
		l.t.Fatal(err)
	}
}

func splitLines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }
func fields(s string) []string     { return strings.Fields(s) }
