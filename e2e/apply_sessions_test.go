package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A one-line change to a running cluster opens, on real sshd: on every node one session to
// lock and observe it (the backup's look included), one to back it up (the master also
// stages there), and one to verify it and release its lock; on the master also suspend, push
// and resume (each its own call: an interrupt is honoured between them) and the unstaging,
// which releases the master's lock.
func TestApplySessionsPerNode(t *testing.T) {
	names := []string{"n001", "n002", "n003", "n004"}
	n := startNodes(t, names...)
	dir := t.TempDir()
	write := func(host int) {
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(largeConfig(1, 4, host, true)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(100)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "first apply")
	before := map[string]int{}
	for i, name := range names {
		before[name] = strings.Count(n.ssh.Nodes[i].Log(), "Starting session:")
	}
	write(101)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "one-line apply")
	want := map[string]int{"n001": 7, "n002": 3, "n003": 3, "n004": 3}
	for i, name := range names {
		got := strings.Count(n.ssh.Nodes[i].Log(), "Starting session:") - before[name]
		if got != want[name] {
			t.Errorf("%s: %d sessions, want %d", name, got, want[name])
		}
		if _, err := os.Stat(n.path(name, "opt/nec/clusterpro/work/cluster/lock")); !os.IsNotExist(err) {
			t.Errorf("%s: lock left behind (%v)", name, err)
		}
	}
}
