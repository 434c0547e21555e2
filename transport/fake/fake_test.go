package fake

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/nodetest"
)

func TestConformance(t *testing.T) {
	nodetest.RunConformance(t, func(t *testing.T) transport.Node { return New("fake") })
}

func TestHandlersMatchLongestRecentPrefix(t *testing.T) {
	n := New("sv1")
	n.Handle([]string{"/usr/sbin/clpcl"}, func(*Node, []string, []byte) transport.Result {
		return transport.Result{Stdout: []byte("generic")}
	})
	n.Handle([]string{"/usr/sbin/clpcl", "--suspend"}, func(_ *Node, argv []string, _ []byte) transport.Result {
		return transport.Result{Stdout: []byte("suspend " + argv[2])}
	})
	ctx := context.Background()
	r1, _ := n.Run(ctx, transport.Cmd(transport.NodePath("/usr/sbin/clpcl"), "--suspend", "web"))
	r2, _ := n.Run(ctx, transport.Cmd(transport.NodePath("/usr/sbin/clpcl"), "-s"))
	r3, _ := n.Run(ctx, transport.Cmd("clpstat"))
	got := []string{string(r1.Stdout), string(r2.Stdout), string(r3.Stderr)}
	want := []string{"suspend web", "generic", "clpstat: command not found\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if r3.ExitCode != 127 {
		t.Errorf("unknown command exit %d, want 127", r3.ExitCode)
	}
}

func TestCallLogRecordsOrder(t *testing.T) {
	n := New("sv1")
	ctx := context.Background()
	n.Run(ctx, transport.Cmd("true"))
	n.Batch(ctx, []transport.Command{transport.Cmd("cat").WithStdin([]byte("in")), transport.Cmd("false")})
	n.WriteFile(ctx, "/etc/x", []byte("data"), 0o644)
	n.ReadFiles(ctx, []transport.NodePath{"/etc/x", `C:\y`})
	want := []Call{
		{Op: "run", Argv: []string{"true"}},
		{Op: "batch", Argv: []string{"cat"}, Stdin: []byte("in")},
		{Op: "batch", Argv: []string{"false"}},
		{Op: "write", Argv: []string{"/etc/x"}, Stdin: []byte("data")},
		{Op: "read", Argv: []string{"/etc/x", "/c/y"}},
	}
	if diff := cmp.Diff(want, n.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if n.Stats() != 4 {
		t.Errorf("sessions = %d, want 4", n.Stats())
	}
}

func TestFailOpInjectsOnTheNthOperation(t *testing.T) {
	n := New("sv1")
	boom := errors.New("boom")
	n.FailOp(2, boom)
	ctx := context.Background()
	if _, err := n.Run(ctx, transport.Cmd("true")); err != nil {
		t.Fatalf("first op: %v", err)
	}
	if err := n.WriteFile(ctx, "/x", []byte("x"), 0o644); !errors.Is(err, boom) {
		t.Fatalf("second op err = %v, want boom", err)
	}
	if _, _, ok := n.File("/x"); ok {
		t.Error("failed write had an effect")
	}
	if _, err := n.Run(ctx, transport.Cmd("true")); err != nil {
		t.Fatalf("third op: %v", err)
	}
}

func TestCutWriteLeavesOldContent(t *testing.T) {
	n := New("sv1")
	n.SetFile("/etc/clp.conf", []byte("old"), 0o600)
	n.CutNextWrite(2)
	if err := n.WriteFile(context.Background(), "/etc/clp.conf", []byte("new content"), 0o644); err == nil {
		t.Fatal("cut write succeeded")
	}
	data, mode, _ := n.File("/etc/clp.conf")
	if string(data) != "old" || mode != 0o600 {
		t.Errorf("after cut: %q %v, want old content and mode", data, mode)
	}
	if err := n.WriteFile(context.Background(), "/etc/clp.conf", []byte("new"), 0o644); err != nil {
		t.Fatalf("write after the cut: %v", err)
	}
}
