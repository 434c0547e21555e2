package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// exampleNodes are every node name the examples use (docs/design.md, "Lab registry").
var exampleNodes = append([]string{"sv1", "sv2", "sv3", "sv4", "mailsv", "objsv", "web1", "web2", "web3", "web4"}, fleetNodes...)

// exampleSetup prepares what an example expects to find on its nodes before the tool runs:
// what the vendor's own tools would have made there.
var exampleSetup = map[string]func(t *testing.T, n *nodes){
	// Server-Scan's scan servers are set up with its own environment setup (lab: a lab-only list).
	"server-scan-single":  func(t *testing.T, n *nodes) { scanSetUp(t, n, "mailsv", "WinNT01") },
	"server-scan-standby": func(t *testing.T, n *nodes) { scanSetUp(t, n, "mailsv", "WinNT01", "WinNT02", "WinNT03", "WinNT04") },
	// WSMGR settings are authored on the management server with WSMGR's own tool; the site's
	// sync, sync-check and balancer commands are the site's (test scaffolding here).
	"wsmgr-server-group": func(t *testing.T, n *nodes) {
		sgPosixHosts(t, n)
		sgScaffold(t, n, "web1")
		dir := n.path("web1", sgSettings)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "site.conf"), []byte("port = 8080\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	},
}

// TestExamples checks every example the way a user first meets it: it validates, it is
// formatted, and it plans without error against real nodes.
func TestExamples(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(repoRoot(), "examples"))
	if err != nil {
		t.Fatal(err)
	}
	n := startNodes(t, exampleNodes...)
	count := 0
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "ci" { // examples/ci holds CI pipelines, not a configuration
			continue
		}
		count++
		dir := filepath.Join("examples", e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			n.run("validate", dir).must(t, 0, "validate with its own defaults")
			n.run("fmt", "--check", "--recursive", dir).must(t, 0, "fmt --check")
			if _, err := os.Stat(filepath.Join(repoRoot(), dir, "README.md")); err != nil {
				t.Errorf("no README.md: %v", err)
			}
			if setup := exampleSetup[e.Name()]; setup != nil {
				setup(t, n)
			}
			r := n.run("plan", "--var-file", n.varFile, dir)
			if r.code != 0 {
				t.Fatalf("plan against real nodes: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
		})
	}
	if count < 12 {
		t.Errorf("%d examples, want the 12 scenarios of the seeds", count)
	}
}
