package e2e

import (
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// A member whose disk is full is held back alone: the others are synced, the held-back member
// keeps its settings and stays in the balancer, and plan --detailed-exitcode keeps reporting
// it (exit 2) until its disk has room and an apply syncs it.
func TestServerGroupFullDiskHoldsBackThatMemberAlone(t *testing.T) {
	n := sgSetup(t)
	ex := posixExample(t, sgExample)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")
	log := sgRead(t, n.path("web1", "lb.log"))

	sgWrite(t, n.path("web1", sgSettings+"/wsmgr.conf"), "port=8080\n", 0o644)
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
		if got := sgRead(t, n.path(node, sgSettings+"/wsmgr.conf")); got != want {
			t.Errorf("%s holds %q, want %q", node, got, want)
		}
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 2, "plan while web3 is held back")

	if err := labdir.ClearFault(n.roots["web3"], labdir.DiskFull, ""); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply once web3 has room")
	if got := sgRead(t, n.path("web3", sgSettings+"/wsmgr.conf")); got != "port=8080\n" {
		t.Errorf("web3 holds %q after the repair", got)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the repair")
}
