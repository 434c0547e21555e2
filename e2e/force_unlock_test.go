package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// force-unlock --all-stale that finds only locks of runs that no longer exist removes them
// and says so, not "No stale locks" (issue 18).
func TestForceUnlockAllStaleCountsDeadRunsLocks(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", "linux-mirror-exec")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	for _, node := range []string{"sv1", "sv2"} {
		plantLock(t, n, node, deadRunRecord(t, gone.Process.Pid), time.Minute)
	}
	r := n.run("force-unlock", "--all-stale", "--var-file", n.varFile, ex).must(t, 0, "force-unlock --all-stale")
	if strings.Contains(r.stdout, "No stale locks") || !strings.Contains(r.stdout, "Removed 2 stale lock(s)") {
		t.Errorf("force-unlock --all-stale after removing two locks says:\n%s", r.stdout)
	}
	for _, node := range []string{"sv1", "sv2"} {
		if _, err := os.Stat(n.path(node, linuxLock)); !os.IsNotExist(err) {
			t.Errorf("%s: the dead run's lock is still there (%v)", node, err)
		}
	}
}
