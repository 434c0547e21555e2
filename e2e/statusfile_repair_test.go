package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The definition file is edited by hand on the node: a spare pair's line is removed. The pair
// is still open on the object server; one apply puts the line back without re-initialising
// the pair (xodstsinit refuses an open file), and the next plan shows no changes.
func TestStatusFileHandEditedDefinitionConvergesInOneApply(t *testing.T) {
	n := startNodes(t, "objsv")
	ex := filepath.Join("examples", stsExample)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")

	def := n.path("objsv", "opt/HiOBJ/conf/sts.def")
	b, err := os.ReadFile(def)
	if err != nil {
		t.Fatal(err)
	}
	const line = "pair /data/a/sts1a3 /data/b/sts1b3\n"
	if !strings.Contains(string(b), line) {
		t.Fatalf("the definition file has no %q:\n%s", line, b)
	}
	if err := os.WriteFile(def, []byte(strings.Replace(string(b), line, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}

	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan after the hand edit")
	if strings.Contains(plan.stdout, "xodstsinit") {
		t.Errorf("the plan re-initialises an open pair:\n%s", plan.stdout)
	}
	if !strings.Contains(plan.stdout, "/data/a/sts1a3") || !strings.Contains(plan.stdout, "replace the definition file") {
		t.Errorf("the plan does not show the pair missing from the definition and its rewrite:\n%s", plan.stdout)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply after the hand edit")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after one apply")
	if sts1 := stsStates(t, n, "sts1"); strings.Count(sts1, `"spare"`) != 2 {
		t.Errorf("sts1 lost a spare pair:\n%s", sts1)
	}
}

// A file of an open pair is deleted on the node behind the object server's back: plan notices
// it and repairs the pair (a spare is closed, re-initialised and reopened), instead of saying
// "No changes"; a missing file of the current pair is reported as an error with the way out.
func TestStatusFileDeletedFileIsRepaired(t *testing.T) {
	n := startNodes(t, "objsv")
	ex := filepath.Join("examples", stsExample)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")

	if err := os.Remove(n.path("objsv", "data/b/sts1b2")); err != nil {
		t.Fatal(err)
	}
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 2, "plan after deleting a spare's B file")
	stsInOrder(t, r.stdout, "/data/b/sts1b2", "missing", "xodstscls", "/data/a/sts1a2", "xodstsinit", "/data/a/sts1a2", "xodstsopn", "/data/a/sts1a2")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply the repair")
	if _, err := os.Stat(n.path("objsv", "data/b/sts1b2")); err != nil {
		t.Errorf("the B file was not re-created: %v", err)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the repair")

	// The current pair's A file: no command can repair it in place.
	if err := os.Remove(n.path("objsv", "data/a/sts1a1")); err != nil {
		t.Fatal(err)
	}
	r = n.run("plan", "--var-file", n.varFile, ex)
	if r.code != 1 || !strings.Contains(r.stdout+r.stderr, "/data/a/sts1a1") || !strings.Contains(r.stdout+r.stderr, "current") {
		t.Errorf("plan after deleting the current A file: exit %d, want 1 naming it\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
