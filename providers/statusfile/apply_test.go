package statusfile

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/fake"
)

// objectServer is a fake node whose files answer the observe reads, and whose xodstsinit (the
// lab's form, as labInit declares it) creates the file it is given in MSYS form.
func objectServer() *fake.Node {
	n := fake.New("objsv")
	n.Handle([]string{"/opt/HiOBJ/bin/xodstsinit", "-f"}, func(n *fake.Node, argv []string, _ []byte) transport.Result {
		p := transport.NodePath(argv[2]).Posix()
		if _, _, ok := n.File(transport.NodePath(p)); ok {
			return transport.Result{ExitCode: 1, Stderr: []byte("exists")}
		}
		n.SetFile(transport.NodePath(p), []byte("init"), 0o600)
		return transport.Result{}
	})
	return n
}

func applyOnce(t *testing.T, u *unit, n *fake.Node) planner.ApplyReport {
	t.Helper()
	res, err := transport.Do(context.Background(), n, u.ObserveOps(u.node.Addr)...)
	if err != nil {
		t.Fatal(err)
	}
	up := u.Plan(planner.Observation{Results: map[addrs.Address][]transport.Outcome{u.node.Addr: res}})
	return u.Apply(context.Background(), up, map[addrs.Address]transport.Node{u.node.Addr: n}, nil)
}

// Apply creates the missing files A then B with the site's command, then writes the declared
// content byte for byte through the transport's atomic WriteFile, and converges.
func TestApplyCreatesThenWritesTheContent(t *testing.T) {
	n := objectServer()
	sf := managed("sts1", "sts2")
	sf.DefinitionContent = "* site syntax, CRLF \r\n" + sf.DefinitionContent
	u := newUnit(testNode(), []*config.StatusFile{sf})
	n.SetFile("/d/sts/sts1a", []byte("kept"), 0o600)
	n.SetFile("/e/sts/sts1b", []byte("kept"), 0o600)
	if rep := applyOnce(t, u, n); rep.Err != nil {
		t.Fatal(rep.Err)
	}
	var got []string
	for _, c := range n.Calls() {
		if c.Op == "batch" || c.Op == "write" {
			got = append(got, c.String())
		}
	}
	want := []string{
		`batch /opt/HiOBJ/bin/xodstsinit -f D:\sts\sts2a`, `batch /opt/HiOBJ/bin/xodstsinit -f E:\sts\sts2b`,
		"write /opt/HiOBJ/conf/sts",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	if data, _, _ := n.File("/opt/HiOBJ/conf/sts"); string(data) != sf.DefinitionContent {
		t.Errorf("definition %q", data)
	}
	if data, _, _ := n.File("/d/sts/sts1a"); string(data) != "kept" {
		t.Errorf("an existing status file was touched: %q", data)
	}
}

// A write cut short leaves the node's definition as it was, and the apply fails.
func TestApplyCutWriteKeepsTheOldDefinition(t *testing.T) {
	n := objectServer()
	for _, p := range []transport.NodePath{"/d/sts/sts1a", "/e/sts/sts1b"} {
		n.SetFile(p, []byte("x"), 0o600)
	}
	old := []byte(defText("sts1") + "# old\n")
	n.SetFile("/opt/HiOBJ/conf/sts", old, 0o644)
	n.CutNextWrite(3)
	u := newUnit(testNode(), []*config.StatusFile{managed("sts1")})
	if rep := applyOnce(t, u, n); rep.Err == nil {
		t.Fatal("apply succeeded through a cut write")
	}
	if data, _, _ := n.File("/opt/HiOBJ/conf/sts"); string(data) != string(old) {
		t.Errorf("definition after the cut: %q", data)
	}
}
