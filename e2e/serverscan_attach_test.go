package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// Three servers are disconnected and the first one's Scan-Connector is down: apply tries
// vkattach on each of them, reports the one that failed, and the two others are back in the
// load spreading; the next plan only reattaches the failed one.
func TestServerScanApplyAttachesEveryInactServer(t *testing.T) {
	n := startNodes(t, "mailsv")
	ex := filepath.Join("examples", "server-scan-standby")
	scanSetUp(t, n, "mailsv", "WinNT01", "WinNT02", "WinNT03", "WinNT04")

	root := n.roots["mailsv"]
	for _, name := range []string{"WinNT01", "WinNT02", "WinNT03"} {
		if err := labdir.SetFault(root, labdir.ScanInact, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := labdir.SetFault(root, labdir.ScanDown, "WinNT01"); err != nil {
		t.Fatal(err)
	}
	scanExpectChanges(t, "plan after three disconnections", n.planJSON(ex),
		"update scan_server.WinNT01", "update scan_server.WinNT02", "update scan_server.WinNT03")

	r := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 1, "apply with one unreachable Scan-Connector")
	for _, want := range []string{"attach scan server WinNT01", "attach scan server WinNT02", "attach scan server WinNT03"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("apply did not try %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "vkattach failed for WinNT01") || !strings.Contains(r.stderr, "cannot connect to the Scan-Connector") {
		t.Errorf("apply does not report WinNT01's failure with vkattach's message:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "vkattach failed for WinNT01, WinNT02") {
		t.Errorf("WinNT02 failed too:\n%s", r.stderr)
	}

	scanExpectChanges(t, "plan after the partial apply", n.planJSON(ex), "update scan_server.WinNT01")
	if err := labdir.ClearFault(root, labdir.ScanDown, "WinNT01"); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply once the Scan-Connector is back")
	scanConverged(t, n, ex, "plan after the repair")
}
