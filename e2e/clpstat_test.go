package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A running cluster whose clpstat answers as the public samples do (comments, heartbeat and
// resource lines, a group name longer than 16 characters shown cut) is suspended before the
// push and resumed after, and `cluster status` reports its servers running.
func TestRunningClusterWithACutGroupNameIsSuspendedAroundThePush(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	dir := copyExample(t, "linux-mirror-exec")
	f := filepath.Join(dir, "failover1.hcl")
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, []byte(strings.ReplaceAll(string(b), "failover1", "container-recovery")), 0o644); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "first apply")

	stat := n.run("status", "--var-file", n.varFile, dir).must(t, 0, "status")
	for _, want := range []string{"server  sv1", "Online, running", "group.container-recovery"} {
		if !strings.Contains(stat.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, stat.stdout)
		}
	}

	edit(t, f, "interval = 10", "interval = 11")
	plan := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 2, "plan the change")
	if strings.Contains(plan.stdout+plan.stderr, "run state unknown") || strings.Contains(plan.stdout, "run_state") {
		t.Errorf("a running cluster read as not running:\n%s\n%s", plan.stdout, plan.stderr)
	}
	apply := n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "apply the change")
	order := []string{"suspend the cluster...", "distribute the configuration to every node...", "resume the cluster..."}
	at := 0
	for _, step := range order {
		i := strings.Index(apply.stderr[at:], step)
		if i < 0 {
			t.Fatalf("progress lacks %q after position %d:\n%s", step, at, apply.stderr)
		}
		at += i
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, "plan after the change")
}

// clpstat that exits 1 with no output (issue 18) gives no silent "No changes": the plan warns
// naming the node and shows the unknown run state (exit 2 with --detailed-exitcode); apply
// changes nothing; with --assume-running the run goes through suspend, push, resume.
func TestClpstatFailingSilentlyIsAnUnknownRunState(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	dir := copyExample(t, "linux-mirror-exec")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "first apply")

	// Test scaffolding, not the lab: sv2's clpstat fails without a word.
	clpstat := n.path("sv2", filepath.Join(linuxInstall, "bin/clpstat"))
	saved, err := os.ReadFile(clpstat)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(clpstat); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(clpstat, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}

	plan := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 2, "plan with an unreadable run state")
	if !strings.Contains(plan.stdout, `run_state = "unknown on sv2" -> "running"`) || !strings.Contains(plan.stderr, "cluster.cluster.node.sv2") ||
		!strings.Contains(plan.stderr, "Cluster run state unknown") {
		t.Errorf("the plan does not name sv2's unknown run state:\n%s\n%s", plan.stdout, plan.stderr)
	}
	f := filepath.Join(dir, "failover1.hcl")
	edit(t, f, "interval = 10", "interval = 11")
	apply := n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 1, "apply refuses")
	if !strings.Contains(apply.stderr, "--assume-running") || strings.Contains(apply.stderr, "distribute the configuration") {
		t.Errorf("apply did not refuse before pushing:\n%s", apply.stderr)
	}
	// A plan saved with --assume-running applies as it was shown: the flag travels in the plan.
	planFile := filepath.Join(t.TempDir(), "assume.plan")
	n.run("plan", "--assume-running", "--out", planFile, "--var-file", n.varFile, dir).must(t, 0, "plan --assume-running --out")
	apply = n.run("apply", planFile).must(t, 0, "apply the saved plan made with --assume-running")
	for _, step := range []string{"suspend the cluster...", "distribute the configuration", "resume the cluster..."} {
		if !strings.Contains(apply.stderr, step) {
			t.Errorf("progress lacks %q:\n%s", step, apply.stderr)
		}
	}
	if err := os.Remove(clpstat); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(clpstat, saved, 0o755); err != nil {
		t.Fatal(err)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, "plan once clpstat answers")
}
