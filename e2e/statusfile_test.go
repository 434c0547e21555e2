package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

const stsExample = "groupmax-status-files"

// stsStates returns the emulated server's state file of one logical file on objsv.
func stsStates(t *testing.T, n *nodes, logical string) string {
	t.Helper()
	b, err := os.ReadFile(n.path("objsv", "opt/HiOBJ/var/sts/"+logical+".json"))
	if err != nil {
		t.Fatalf("state of %s: %v", logical, err)
	}
	return string(b)
}

// stsInOrder fails unless every fragment appears in text, each after the previous one.
func stsInOrder(t *testing.T, text string, fragments ...string) {
	t.Helper()
	rest := text
	for _, f := range fragments {
		i := strings.Index(rest, f)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", f, text)
		}
		rest = rest[i+len(f):]
	}
}

func TestStatusFilePairsLifecycle(t *testing.T) {
	n := startNodes(t, "objsv")
	ex := copyExample(t, stsExample)
	conf := filepath.Join(ex, "statusfiles.hcl")

	// The example creates sts1 with 3 pairs and sts2 with 2; a second plan shows nothing to do.
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")
	sts1 := stsStates(t, n, "sts1")
	if strings.Count(sts1, `"current"`) != 1 || strings.Count(sts1, `"spare"`) != 2 || !strings.Contains(sts1, "/data/a/sts1a1") {
		t.Fatalf("sts1 after apply:\n%s", sts1)
	}
	if _, err := os.Stat(n.path("objsv", "opt/HiOBJ/conf/sts.def.staged")); !os.IsNotExist(err) {
		t.Errorf("the staged definition is left after a successful apply (%v)", err)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after apply")

	// Remove the current pair (sts1a1) from the configuration: swap, close, delete, in order.
	edit(t, conf, `["/data/a/sts1a1", "/data/a/sts1a2", "/data/a/sts1a3"]`, `["/data/a/sts1a2", "/data/a/sts1a3"]`)
	edit(t, conf, `["/data/b/sts1b1", "/data/b/sts1b2", "/data/b/sts1b3"]`, `["/data/b/sts1b2", "/data/b/sts1b3"]`)
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan without the current pair")
	stsInOrder(t, plan.stdout, "xodstsswp", "xodstscls", "/data/a/sts1a1", "xodstsrm", "/data/a/sts1a1", "replace the definition file")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply without the current pair")
	if sts1 = stsStates(t, n, "sts1"); strings.Contains(sts1, "sts1a1") || strings.Count(sts1, `"current"`) != 1 {
		t.Fatalf("sts1 after removing its current pair:\n%s", sts1)
	}
	if _, err := os.Stat(n.path("objsv", "data/a/sts1a1")); !os.IsNotExist(err) {
		t.Errorf("the removed A file is still there (%v)", err)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the removal")

	// An I/O error on the current A file (now sts1a2): the emulated server swaps to sts1a3 and
	// blocks sts1a2; the plan shows the blocked pair with its repair.
	if err := labdir.SetFault(n.roots["objsv"], labdir.StsIOError, "/data/a/sts1a2"); err != nil {
		t.Fatal(err)
	}
	plan = n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan after the I/O error")
	stsInOrder(t, plan.stdout, "/data/a/sts1a2 /data/b/sts1b2 of sts1 is blocked", "xodstsinit", "/data/a/sts1a2", "xodstsopn", "/data/a/sts1a2")
	if sts1 = stsStates(t, n, "sts1"); !strings.Contains(sts1, `"blocked"`) {
		t.Fatalf("sts1 after the I/O error:\n%s", sts1)
	}

	// The disk is still broken: drop the blocked pair from the configuration instead; it is
	// deleted (a blocked file may be), and the logical file keeps its current pair.
	edit(t, conf, `["/data/a/sts1a2", "/data/a/sts1a3"]`, `["/data/a/sts1a3"]`)
	edit(t, conf, `["/data/b/sts1b2", "/data/b/sts1b3"]`, `["/data/b/sts1b3"]`)
	plan = n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan without the blocked pair")
	stsInOrder(t, plan.stdout, "is blocked", "xodstsrm", "/data/a/sts1a2")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply without the blocked pair")
	if sts1 = stsStates(t, n, "sts1"); strings.Contains(sts1, "sts1a2") || !strings.Contains(sts1, `"current"`) {
		t.Fatalf("sts1 after deleting the blocked pair:\n%s", sts1)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "final plan")
}

func TestStatusFileRemovingALogicalFileInUseIsRefused(t *testing.T) {
	n := startNodes(t, "objsv")
	ex := copyExample(t, stsExample)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")

	conf := filepath.Join(ex, "statusfiles.hcl")
	b, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), "# A second logical file")
	if i < 0 {
		t.Fatal("example layout changed: sts2 not found")
	}
	if err := os.WriteFile(conf, b[:i], 0o644); err != nil {
		t.Fatal(err)
	}
	r := n.run("plan", "--var-file", n.varFile, ex)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "Cannot remove a logical file that is in use") {
		t.Fatalf("plan removing sts2: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

func TestStatusFileInterruptedApplyConverges(t *testing.T) {
	n := startNodes(t, "objsv")
	ex := filepath.Join("examples", stsExample)
	root := n.roots["objsv"]

	// sts2's second B file cannot be written: apply stops at its xodstsinit, after sts1 and the
	// first pair of sts2 were created, and leaves the definition file unwritten.
	if err := labdir.SetFault(root, labdir.StsIOError, "/data/b/sts2b2"); err != nil {
		t.Fatal(err)
	}
	r := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 1, "interrupted apply")
	if !strings.Contains(r.stderr, "I/O error") {
		t.Errorf("apply error does not name the I/O error:\n%s", r.stderr)
	}
	if _, err := os.Stat(n.path("objsv", "opt/HiOBJ/conf/sts.def")); !os.IsNotExist(err) {
		t.Fatalf("the definition file was written although its operations failed (%v)", err)
	}
	if _, err := os.Stat(n.path("objsv", "opt/HiOBJ/conf/sts.def.staged")); err != nil {
		t.Fatalf("no staged definition after the interrupted apply: %v", err)
	}

	// The disk is repaired; the re-run sees every pair created so far and finishes.
	if err := labdir.ClearFault(root, labdir.StsIOError, "/data/b/sts2b2"); err != nil {
		t.Fatal(err)
	}
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan after the interruption")
	if strings.Contains(plan.stdout, "xodstsinit -d /opt/HiOBJ/conf/sts.def.staged -l sts1") {
		t.Errorf("the re-run creates sts1 pairs again:\n%s", plan.stdout)
	}
	stsInOrder(t, plan.stdout, "xodstsinit", "/data/a/sts2a2", "xodstsopn", "/data/a/sts2a2", "replace the definition file", "rm -f")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "re-run")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the re-run")
}
