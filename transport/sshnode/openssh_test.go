package sshnode

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
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
	owner := st.Sys().(interface{ ownerOf() }) // replaced below
	_ = owner
	_ = data
}
