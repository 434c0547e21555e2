package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Every apply backs up under its own run ID, whole; the staged directory is removed once the
// apply succeeded.
func TestApplyBacksUpPerRunAndRemovesStaged(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", "linux-mirror-exec")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")
	for range 2 {
		// sv2 drifts: the next apply pushes again, after backing up sv1.
		if err := os.Remove(n.path("sv2", "opt/nec/clusterpro/etc/clp.conf")); err != nil {
			t.Fatal(err)
		}
		n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply after drift")
	}
	entries, err := os.ReadDir(n.path("sv1", "opt/nec/clusterpro/work/cluster/backup"))
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^\d{8}T\d{6}Z-[0-9a-f]{8}$`)
	if len(entries) != 2 {
		t.Errorf("sv1 has %d backups, want 2 (one per apply that changed something)", len(entries))
	}
	for _, e := range entries {
		if !name.MatchString(e.Name()) {
			t.Errorf("backup %q is not named by a run ID", e.Name())
		}
		if _, err := os.Stat(n.path("sv1", "opt/nec/clusterpro/work/cluster/backup/"+e.Name()+"/etc/clp.conf")); err != nil {
			t.Errorf("backup %s is not whole: %v", e.Name(), err)
		}
	}
	for _, node := range n.names {
		if _, err := os.Stat(n.path(node, "opt/nec/clusterpro/work/cluster/staged")); !os.IsNotExist(err) {
			t.Errorf("%s: the staged directory is still there after a successful apply (%v)", node, err)
		}
	}
}
