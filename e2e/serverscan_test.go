package e2e

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/emulate"
	"github.com/clusterctl/cluster/lab/labdir"
)

// scanSetUp sets the scan servers of node up as Server-Scan's own environment setup would: in
// the lab, through the lab-only list the emulated vkhoststat reads (docs/lab.md). The tool
// never writes that list, nor any settings of Server-Scan. It also registers the examples'
// service name in the node's /etc/services, as the site's administrator does from Server-Scan's
// template (docs/serverscan.md).
func scanSetUp(t *testing.T, n *nodes, node string, names ...string) {
	t.Helper()
	if err := emulate.WriteScanServers(n.roots[node], names...); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(n.path(node, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(n.path(node, "etc/services"), []byte("vkscan 20001/tcp # Scan-Connector\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scanWroteNothing fails if anything appeared in Server-Scan's directory besides its commands.
func scanWroteNothing(t *testing.T, n *nodes, node string) {
	t.Helper()
	err := filepath.WalkDir(n.path(node, "usr/SrvScan"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(p)) != "bin" && !strings.Contains(p, "/work/cluster/") {
			t.Errorf("the tool wrote %s in Server-Scan's directory", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

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

func TestServerScanSingleReattachesAndWarns(t *testing.T) {
	n := startNodes(t, "mailsv")
	ex := filepath.Join("examples", "server-scan-single")
	scanSetUp(t, n, "mailsv", "WinNT01")

	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan of a connected server")
	if !strings.Contains(r.stdout+r.stderr, "Single scan server") {
		t.Errorf("plan lacks the single-server warning:\n%s\n%s", r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, "Service") {
		t.Errorf("the registered service name was reported:\n%s\n%s", r.stdout, r.stderr)
	}
	// A service name /etc/services does not register is reported, by name.
	if err := os.WriteFile(n.path("mailsv", "etc/services"), []byte("other 20001/tcp\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan with the service name unregistered")
	if !strings.Contains(r.stdout+r.stderr, `no tcp entry named "vkscan"`) {
		t.Errorf("an unregistered service name was not reported:\n%s\n%s", r.stdout, r.stderr)
	}
	if err := labdir.SetFault(n.roots["mailsv"], labdir.ScanInact, "WinNT01"); err != nil {
		t.Fatal(err)
	}
	scanExpectChanges(t, "plan after the disconnection", n.planJSON(ex), "update scan_server.WinNT01")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply the reattach")
	scanConverged(t, n, ex, "plan after apply")
	scanWroteNothing(t, n, "mailsv")

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

// The server list is Server-Scan's: the tool reattaches, and reports a declared server
// Server-Scan does not have, or one it has and the configuration does not declare, as
// something to change in Server-Scan's environment settings.
func TestServerScanStandbyReattachAndListDifferences(t *testing.T) {
	n := startNodes(t, "mailsv")
	ex := copyExample(t, "server-scan-standby")
	hcl := filepath.Join(ex, "serverscan.hcl")
	scanSetUp(t, n, "mailsv", "WinNT01", "WinNT02", "WinNT03", "WinNT04")
	scanConverged(t, n, ex, "plan of a host whose servers are all connected")

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

	// A third standby server declared before Server-Scan has it: an error naming it.
	edit(t, hcl, `scan_server "WinNT04" {`, `scan_server "WinNT05" {
  server_scan = server_scan.mail
  connector   = "10.0.0.45"
  service     = local.connector_service
  port        = local.connector_port
  role        = "standby"
  order       = 3
}

scan_server "WinNT04" {`)
	r = n.run("plan", "--var-file", n.varFile, ex).must(t, 1, "plan declaring a server Server-Scan does not have")
	for _, want := range []string{"Scan server not in Server-Scan's settings", "does not list WinNT05", "environment settings"} {
		if !strings.Contains(r.stdout+r.stderr, want) {
			t.Errorf("plan output lacks %q:\n%s\n%s", want, r.stdout, r.stderr)
		}
	}
	// Set up in Server-Scan, it is in step.
	scanSetUp(t, n, "mailsv", "WinNT01", "WinNT02", "WinNT03", "WinNT04", "WinNT05")
	scanConverged(t, n, ex, "plan once Server-Scan has WinNT05")

	// A server dropped from the configuration but still in Server-Scan: a warning, no change.
	if err := os.WriteFile(hcl, []byte(dropBlock(t, hcl, `scan_server "WinNT02" {`)), 0o644); err != nil {
		t.Fatal(err)
	}
	r = n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan without WinNT02")
	if !strings.Contains(r.stdout+r.stderr, "Undeclared scan server") || !strings.Contains(r.stdout+r.stderr, "lists WinNT02") {
		t.Errorf("plan does not report WinNT02 as undeclared:\n%s\n%s", r.stdout, r.stderr)
	}
	scanWroteNothing(t, n, "mailsv")
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
