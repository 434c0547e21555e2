package e2e

import (
	"strings"
	"testing"
)

// `cluster rollback` returns the cluster to the configuration apply backed up, end to end, and
// `cluster backups` lists what each node keeps.
func TestRollbackRestoresThePreviousConfiguration(t *testing.T) {
	r := newFaultRig(t) // applied: interval 10
	r.flip()            // interval 11
	r.n.run("apply", "--auto-approve", "--var-file", r.n.varFile, r.dir).must(t, 0, "apply interval 11")
	r.mustConverged("after the second apply")

	list := r.n.run("backups", "--var-file", r.n.varFile, r.dir).must(t, 0, "backups")
	if !strings.Contains(list.stdout, "cluster.cluster") || !strings.Contains(list.stdout, "sv1, sv2") {
		t.Fatalf("backups does not list a backup kept by both nodes:\n%s", list.stdout)
	}

	rb := r.n.run("rollback", "--auto-approve", "--var-file", r.n.varFile, r.dir).must(t, 0, "rollback")
	if !strings.Contains(rb.stdout+rb.stderr, "returns to backup") {
		t.Errorf("rollback does not say which backup it returns to:\n%s\n%s", rb.stdout, rb.stderr)
	}
	// The nodes hold interval 10 again: the configuration (11) now differs, by exactly that.
	plan := r.n.run("plan", "--detailed-exitcode", "--var-file", r.n.varFile, r.dir).must(t, 2, "plan after rollback")
	if !strings.Contains(plan.stdout, "~ interval = 10 -> 11") {
		t.Errorf("after rollback the plan should change interval 10 -> 11:\n%s", plan.stdout)
	}
	r.flip() // back to 10: what the nodes hold
	r.mustConverged("the rolled-back configuration")
	if s := r.suspended(); len(s) > 0 {
		t.Errorf("rollback left %v suspended", s)
	}

	missing := r.n.run("rollback", "--auto-approve", "--to", "19990101T000000Z-00000000", "--var-file", r.n.varFile, r.dir)
	if missing.code == 0 || !strings.Contains(missing.stdout+missing.stderr, "No backup to roll back to") {
		t.Errorf("rollback to a missing backup: exit %d\n%s\n%s", missing.code, missing.stdout, missing.stderr)
	}
}
