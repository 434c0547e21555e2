package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTour runs scripts/tour.sh, the README tour, with the built binary as `cluster` on PATH:
// every command it shows must work on a fresh lab, with the exit status it promises.
func TestTour(t *testing.T) {
	if testing.Short() {
		t.Skip("the tour starts labs")
	}
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("the tour needs jq (make deps)")
	}
	cmd := exec.Command(filepath.Join(repoRoot(), "scripts", "tour.sh"), t.TempDir())
	cmd.Dir = repoRoot()
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + filepath.Dir(binary) + ":" + os.Getenv("PATH"), "NO_COLOR=1"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/tour.sh: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Saved plan is stale",
		"**Plan:** 0 to add, 1 to change, 0 to destroy",
		"Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
		"Tour complete.",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the tour's output lacks %q:\n%s", want, out)
		}
	}
}
