package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemo runs scripts/demo.sh (make demo) with the built binary on a fresh lab: the IIS
// example converges on four Windows lab nodes, and the last step's plain ssh runs clpstat.exe
// by its Windows path through the node's cmd.exe.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo starts a lab")
	}
	cmd := exec.Command(filepath.Join(repoRoot(), "scripts", "demo.sh"), binary, filepath.Join(t.TempDir(), "lab"))
	cmd.Dir = repoRoot()
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "NO_COLOR=1"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/demo.sh: %v\n%s", err, out)
	}
	for _, want := range []string{
		"windows (cmd.exe, code page 932)",
		"Apply complete! Resources: 14 added, 0 changed, 0 destroyed.",
		"No changes. Your clusters match the configuration.",
		"CLUSTER STATUS",
		"current        : sv1",
		"Demo complete.",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the demo's output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "\r") {
		t.Errorf("the demo prints CR characters: clpstat's CRLF is not converted:\n%q", out)
	}
}
