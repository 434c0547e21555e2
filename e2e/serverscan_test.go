package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// scanSettings is where the Server-Scan examples' settings file lives under a node root.
const scanSettings = "usr/SrvScan/etc/vkhost.conf"

// scanChanges lists a plan's changes as "action address", in plan order.
func scanChanges(p jsonPlan) []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, c.Action+" "+c.Address)
	}
	return out
}

func scanExpectChanges(t *testing.T, what string, p jsonPlan, want ...string) {
	t.Helper()
	if got := strings.Join(scanChanges(p), ", "); got != strings.Join(want, ", ") {
		t.Fatalf("%s: changes = [%s], want [%s]", what, got, strings.Join(want, ", "))
	}
}

// scanConverged fails unless a plan of dir has no changes.
func scanConverged(t *testing.T, n *nodes, dir, what string) {
	t.Helper()
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, what)
	if !strings.Contains(r.stdout, "No changes") {
		t.Errorf("%s:\n%s", what, r.stdout)
	}
}

func TestServerScanSingleAppliesAndWarns(t *testing.T) {
	n := startNodes(t, "mailsv")
	ex := filepath.Join("examples", "server-scan-single")

	p := n.planJSON(ex)
	scanExpectChanges(t, "first plan", p, "create scan_server.WinNT01", "create server_scan.mail")
	r := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")
	if !strings.Contains(r.stdout+r.stderr, "Single scan server") {
		t.Errorf("apply output lacks the single-server warning:\n%s\n%s", r.stdout, r.stderr)
	}
	b, err := os.ReadFile(n.path("mailsv", scanSettings))
	if err != nil || !strings.Contains(string(b), "WinNT01") {
		t.Fatalf("settings not written (%v):\n%s", err, b)
	}
	scanConverged(t, n, ex, "plan after apply")

	// check_connector probes the Scan-Connector from the host: refused while nothing listens
	// on its port, accepted once something does.
	port := scanFreePort(t)
	cp := copyExample(t, "server-scan-single")
	edit(t, filepath.Join(cp, "serverscan.hcl"), `connector   = "10.0.0.41"`, `connector   = "127.0.0.1"`)
	edit(t, filepath.Join(cp, "serverscan.hcl"), `port        = 20001`, fmt.Sprintf("port        = %d", port))
	r = n.run("plan", "--var-file", n.varFile, "--var", "check_connector=true", cp)
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "Scan-Connector unreachable") {
		t.Errorf("plan with check_connector and no Scan-Connector: exit %d, want 1 naming it\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r = n.run("plan", "--var-file", n.varFile, "--var", "check_connector=true", cp).must(t, 0, "plan with a listening Scan-Connector")
	if strings.Contains(r.stdout+r.stderr, "Scan-Connector") {
		t.Errorf("a reachable Scan-Connector was reported:\n%s\n%s", r.stdout, r.stderr)
	}
}

// scanFreePort returns a TCP port nothing listens on right now.
func scanFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestServerScanStandbyReattachAddRemove(t *testing.T) {
	n := startNodes(t, "mailsv")
	ex := copyExample(t, "server-scan-standby")
	hcl := filepath.Join(ex, "serverscan.hcl")

	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")
	scanConverged(t, n, ex, "plan after the first apply")

	// A normal server is disconnected: exactly one reattach.
	if err := labdir.SetFault(n.roots["mailsv"], labdir.ScanInact, "WinNT01"); err != nil {
		t.Fatal(err)
	}
	scanExpectChanges(t, "plan after the disconnection", n.planJSON(ex), "update scan_server.WinNT01")
	r := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "human plan after the disconnection")
	if c := strings.Count(r.stdout, "vkattach -n"); c != 1 || !strings.Contains(r.stdout, "vkattach -nWinNT01") ||
		!strings.Contains(r.stdout, "vkhoststat: INACT") {
		t.Errorf("plan should show one reattach of WinNT01 and its live status:\n%s", r.stdout)
	}
	r = n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply the reattach")
	if !strings.Contains(r.stderr, "attach scan server WinNT01") {
		t.Errorf("progress lacks the reattach:\n%s", r.stderr)
	}
	scanConverged(t, n, ex, "plan after the reattach")

	// A third standby server.
	edit(t, hcl, `scan_server "WinNT04" {`, `scan_server "WinNT05" {
  server_scan = server_scan.mail
  connector   = "10.0.0.45"
  service     = local.connector_service
  port        = local.connector_port
  role        = "standby"
  order       = 3
}

scan_server "WinNT04" {`)
	scanExpectChanges(t, "plan adding a standby server", n.planJSON(ex), "create scan_server.WinNT05", "update server_scan.mail")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply the new standby server")
	b, _ := os.ReadFile(n.path("mailsv", scanSettings))
	if i, j := strings.Index(string(b), "WinNT04"), strings.Index(string(b), "WinNT05"); i < 0 || j < i {
		t.Errorf("WinNT05 (order 3) should follow WinNT04 (order 2) in the settings:\n%s", b)
	}
	scanConverged(t, n, ex, "plan after adding a standby server")

	// Remove a normal server: deleted from the settings, not reattached.
	edit(t, hcl, `scan_server "WinNT02" {`, `scan_server_removed "WinNT02" {`)
	if err := os.WriteFile(hcl, []byte(dropBlock(t, hcl, `scan_server_removed "WinNT02" {`)), 0o644); err != nil {
		t.Fatal(err)
	}
	scanExpectChanges(t, "plan removing a server", n.planJSON(ex), "delete scan_server.WinNT02", "update server_scan.mail")
	r = n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply the removal")
	if strings.Contains(r.stderr, "attach scan server WinNT02") {
		t.Errorf("a removed server was reattached:\n%s", r.stderr)
	}
	b, _ = os.ReadFile(n.path("mailsv", scanSettings))
	if strings.Contains(string(b), "WinNT02") {
		t.Errorf("WinNT02 still in the settings:\n%s", b)
	}
	scanConverged(t, n, ex, "plan after removing a server")
}

// dropBlock returns file's content without the block that opens with header (up to its
// closing brace at the start of a line).
func dropBlock(t *testing.T, file, header string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, header)
	if i < 0 {
		t.Fatalf("%s has no %q", file, header)
	}
	j := strings.Index(s[i:], "\n}\n")
	if j < 0 {
		t.Fatalf("%s: block %q is not closed", file, header)
	}
	return s[:i] + s[i+j+3:]
}
