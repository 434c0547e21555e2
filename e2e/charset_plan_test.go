package e2e

import (
	"path/filepath"
	"testing"
)

// A Windows cluster kept in SJIS, whose start script carries Japanese text (seed 001's hooks),
// is saved as a plan and applied from it. The script's bytes are SJIS, not UTF-8: before the plan
// file carried them exactly, `apply PLAN` right after `plan --out PLAN` said "Saved plan is stale:
// ... start.bat desired content differs".
func TestSavedPlanOfAnSJISClusterApplies(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	ex := copyExample(t, "iis-single-standby-4nodes")
	edit(t, filepath.Join(ex, "cluster.hcl"), `platform = "windows"`, `platform = "windows"
  charset  = "SJIS"`)
	edit(t, filepath.Join(ex, "iis.hcl"), `"ARMBCAST /MSG \"Starting on the highest-priority server\" /A"`,
		`"ARMBCAST /MSG \"最高プライオリティサーバで起動中です\" /A"`)
	planFile := filepath.Join(t.TempDir(), "sjis.plan")
	n.run("plan", "--out", planFile, "--var-file", n.varFile, ex).must(t, 0, "plan --out")
	n.run("apply", planFile).must(t, 0, "apply the saved plan of an SJIS cluster")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after apply")
}
