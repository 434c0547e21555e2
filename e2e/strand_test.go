package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// A policy change that would leave the online group on a node its new policy leaves out is
// refused, with the way out; with --allow-group-moves apply moves the group first.
func TestPolicyChangeNeverStrandsAnOnlineGroup(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	dir := copyExample(t, iis4)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "first apply") // iis runs on sv1
	edit(t, filepath.Join(dir, "iis.hcl"), `    cluster.web.node.sv1,
    cluster.web.node.sv2,`, `    cluster.web.node.sv2,`)

	refused := n.run("plan", "--var-file", n.varFile, dir).must(t, 1, "plan of a stranding policy")
	if !strings.Contains(refused.stderr+refused.stdout, "Group would be stranded") || !strings.Contains(refused.stderr+refused.stdout, "--allow-group-moves") {
		t.Fatalf("the plan does not refuse the stranding policy with the way out:\n%s\n%s", refused.stdout, refused.stderr)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 1, "apply of a stranding policy")

	moved := n.run("apply", "--auto-approve", "--allow-group-moves", "--var-file", n.varFile, dir).must(t, 0, "apply with --allow-group-moves")
	if !strings.Contains(moved.stdout+moved.stderr, "move group iis from sv1 to sv2") {
		t.Errorf("apply does not show the move:\n%s\n%s", moved.stdout, moved.stderr)
	}
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, "plan after the move")
	if !strings.Contains(r.stdout, "No changes") {
		t.Errorf("plan after the move:\n%s", r.stdout)
	}
}
