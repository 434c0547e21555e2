package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// A member whose disk is full is held back alone: the others are synced, the held-back member
// keeps its settings and stays in the balancer, and plan --detailed-exitcode keeps reporting
// it (exit 2) until its disk has room and an apply syncs it.
func TestServerGroupFullDiskHoldsBackThatMemberAlone(t *testing.T) {
	n := sgSetup(t)
	ex := filepath.Join("examples", sgExample)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")
	log := sgRead(t, n.path("web1", "lb.log"))

	sgWrite(t, n.path("web1", "opt/wsmgr/config/wsmgr.conf"), "port=8080\n", 0o644)
	if err := labdir.SetFault(n.roots["web3"], labdir.DiskFull, ""); err != nil {
		t.Fatal(err)
	}
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan with web3's disk full")
	for _, s := range []string{"Member held back: not enough free space", "node.web3", "0 KiB free", "The other members are rolled out"} {
		if !strings.Contains(plan.stdout+plan.stderr, s) {
			t.Errorf("plan output lacks %q:\n%s\n%s", s, plan.stdout, plan.stderr)
		}
	}
	applied := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply with web3's disk full")
	if !strings.Contains(applied.stdout, "; 1 held back (see the plan's warnings).") {
		t.Errorf("the apply summary does not say web3 was held back:\n%s", applied.stdout)
	}
	if got := strings.TrimPrefix(sgRead(t, n.path("web1", "lb.log")), log); got != "detach web2\nattach web2\ndetach web4\nattach web4\n" {
		t.Errorf("balancer calls: %q, want web2 and web4 only", got)
	}
	for node, want := range map[string]string{"web2": "port=8080\n", "web3": "port=80\n", "web4": "port=8080\n"} {
		if got := sgRead(t, n.path(node, "opt/wsmgr/config/wsmgr.conf")); got != want {
			t.Errorf("%s holds %q, want %q", node, got, want)
		}
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 2, "plan while web3 is held back")

	if err := labdir.ClearFault(n.roots["web3"], labdir.DiskFull, ""); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply once web3 has room")
	if got := sgRead(t, n.path("web3", "opt/wsmgr/config/wsmgr.conf")); got != "port=8080\n" {
		t.Errorf("web3 holds %q after the repair", got)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the repair")
}

// A member whose sync failed stays out of the balancer, held back until --resync: plan
// --detailed-exitcode exits 2 while it is, and the reason kept and shown is the failed
// command's own message, not the first line of the sync script.
func TestServerGroupHeldBackMemberIsPendingWithItsReason(t *testing.T) {
	n := sgSetup(t)
	ex := filepath.Join("examples", sgExample)
	sgWrite(t, n.path("web3", "opt/wsmgr"), "not a directory\n", 0o644)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 1, "apply with a broken member")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply rolling out the others")

	roster := sgRead(t, n.path("web1", "opt/wsmgr/.config.cluster-group.json"))
	if !strings.Contains(roster, "Not a directory") || strings.Contains(roster, "set -e") {
		t.Errorf("the roster does not keep the failed command's message:\n%s", roster)
	}
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 2, "plan with web3 held back")
	out := r.stdout + r.stderr
	if !strings.Contains(out, "Not a directory") || strings.Contains(out, "sh -c 'set -e") {
		t.Errorf("plan does not show the real failure:\n%s", out)
	}
	if !strings.Contains(out, "--resync server_group.web.member.web3") {
		t.Errorf("plan does not say how to sync web3:\n%s", out)
	}

	if err := os.Remove(n.path("web3", "opt/wsmgr")); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--resync", "server_group.web.member.web3", "--var-file", n.varFile, ex).must(t, 0, "apply --resync")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the resync")
}

// The management server is replaced while it is away (a disabled member), then comes back
// still holding its old roster: plan warns of the stale roster, and apply makes it a member.
func TestServerGroupRecoveredManagementServerIsWarned(t *testing.T) {
	n := sgSetup(t)
	ex := copyExample(t, sgExample)
	conf := filepath.Join(ex, "servergroup.hcl")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")

	// web2 becomes the management node (it holds the same settings); web1 is under
	// maintenance, a disabled member, so its roster is not touched.
	edit(t, conf, "management   = node.web1", "management   = node.web2")
	edit(t, conf, `  member "web2" {
    node     = node.web2
    disabled = contains(var.maintenance, "web2")
  }`, `  member "web1" {
    node     = node.web1
    disabled = contains(var.maintenance, "web1")
  }`)
	edit(t, conf, `!contains(var.maintenance, "web1")`, `!contains(var.maintenance, "web2")`)
	sgWrite(t, n.path("web2", "usr/local/bin/lbctl"), "#!/bin/sh\necho \"$*\" >>\"$CLUSTER_NODE_ROOT/lb.log\"\n", 0o755)
	maint := []string{"--var", `maintenance=["web1"]`}
	n.run(append([]string{"apply", "--auto-approve", "--var-file", n.varFile}, append(maint, ex)...)...).must(t, 0, "apply moving the role")
	if roster := sgRead(t, n.path("web1", "opt/wsmgr/.config.cluster-group.json")); !strings.Contains(roster, `"management"`) {
		t.Fatalf("web1 no longer holds its old roster, the test cannot go on:\n%s", roster)
	}

	// web1 is back from maintenance.
	r := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan with web1 back")
	if !strings.Contains(r.stdout+r.stderr, "Stale management roster on a member") || !strings.Contains(r.stdout+r.stderr, "node.web1") {
		t.Errorf("plan does not warn of web1's stale roster:\n%s\n%s", r.stdout, r.stderr)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply adding web1 back")
	r = n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after web1 rejoined")
	if strings.Contains(r.stdout+r.stderr, "Stale management roster") {
		t.Errorf("the warning stays after web1 rejoined as a member:\n%s", r.stdout+r.stderr)
	}
}
