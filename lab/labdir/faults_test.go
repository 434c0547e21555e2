package labdir

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFaultSwitches(t *testing.T) {
	root := t.TempDir()
	steps := []struct {
		kind Fault
		arg  string
	}{
		{NodeDown, ""}, {Slow, "50"}, {Drop, "1024"}, {DiskFull, ""},
		{ScanInact, "WinNT01"}, {ScanDown, "WinNT02"}, {StsIOError, "/opt/HiOBJ/sts/a1"},
		{StsIOError, `C:\HiOBJ\sts\b1`},
	}
	for _, s := range steps {
		if err := SetFault(root, s.kind, s.arg); err != nil {
			t.Fatalf("set %s %s: %v", s.kind, s.arg, err)
		}
	}
	want := []string{
		"disk-full", "drop=1024", "node-down", "scan-down/WinNT02", "scan-inact/WinNT01", "slow=50",
		"sts-ioerror/c/HiOBJ/sts/b1", "sts-ioerror/opt/HiOBJ/sts/a1",
	}
	if diff := cmp.Diff(want, ListFaults(root)); diff != "" {
		t.Errorf("ListFaults (-want +got):\n%s", diff)
	}
	if ms, ok := FaultValue(root, Slow, ""); !ok || ms != 50 {
		t.Errorf("slow = %d %v", ms, ok)
	}
	if !HasFault(root, StsIOError, "/c/HiOBJ/sts/b1") {
		t.Error("a C:\\ path and its MSYS form name different faults")
	}
	if HasFault(root, ScanInact, "WinNT02") {
		t.Error("scan-inact is on for a server it was not set for")
	}
	for _, s := range steps {
		if err := ClearFault(root, s.kind, s.arg); err != nil {
			t.Fatalf("clear %s: %v", s.kind, err)
		}
	}
	if got := ListFaults(root); len(got) != 0 {
		t.Errorf("after clearing: %v", got)
	}
	if err := ClearFault(root, NodeDown, ""); err != nil {
		t.Errorf("clearing an off fault: %v", err)
	}
}

func TestFaultArgumentsAreChecked(t *testing.T) {
	root := t.TempDir()
	for name, c := range map[string]struct {
		kind Fault
		arg  string
	}{
		"unknown kind":       {"flood", ""},
		"slow without ms":    {Slow, ""},
		"drop not a number":  {Drop, "many"},
		"node-down with arg": {NodeDown, "x"},
		"named without arg":  {ScanDown, ""},
		"escaping path":      {StsIOError, "/a/../../etc/passwd"},
	} {
		if err := SetFault(root, c.kind, c.arg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(root), "etc")); err == nil {
		t.Error("a fault file escaped the root")
	}
}

func TestWriteFileAtomicAndRegistry(t *testing.T) {
	dir := t.TempDir()
	reg := Registry{Nodes: []Node{{Name: "sv1", Address: "127.0.0.11", Port: 2222, Root: "/r1"}}}
	if err := WriteRegistry(dir, reg); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRegistry(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(reg, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if _, err := ReadNodeInfo(dir); !IsNotExist(err) {
		t.Errorf("missing node.json: %v", err)
	}
}
