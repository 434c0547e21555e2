package clusterpro

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/planner"
)

// stepsOf lists a plan's vendor steps as "node: command".
func stepsOf(t *testing.T, up planner.UnitPlan) []string {
	t.Helper()
	st, ok := up.State.(*unitState)
	if !ok || st == nil {
		t.Fatalf("no state to apply; changes %+v", up.Changes)
	}
	var out []string
	for _, s := range st.steps {
		out = append(out, s.node.String()+": "+s.cmd.Display())
	}
	return out
}

// A cluster left suspended is a change even when every node holds the configuration, and apply
// resumes exactly the suspended nodes.
func TestSuspendedClusterIsAChange(t *testing.T) {
	u := mustUnit(t, testCluster("nginx"))
	for name, tc := range map[string]struct {
		sv1, sv2 string
		steps    []string
	}{
		"wholly suspended": {"Suspended", "Suspended", []string{
			"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcl --resume",
			"cluster.web.node.sv2: /opt/nec/clusterpro/bin/clpcl --resume",
		}},
		"partly suspended": {"Running", "Suspended", []string{
			"cluster.web.node.sv2: /opt/nec/clusterpro/bin/clpcl --resume",
		}},
	} {
		t.Run(name, func(t *testing.T) {
			up := u.Plan(observation(t, map[string]observed{"sv1": holding(u, tc.sv1, nil), "sv2": holding(u, tc.sv2, nil)}))
			if diff := cmp.Diff([]changeSummary{{Addr: "cluster.web", Action: planner.Update}}, summarize(up.Changes)); diff != "" {
				t.Fatalf("changes (-want +got):\n%s", diff)
			}
			if a := up.Changes[0].Attrs; len(a) != 1 || a[0].Name != "run_state" || a[0].After != planner.String("running") {
				t.Errorf("attributes = %+v, want run_state -> \"running\"", a)
			}
			if diff := cmp.Diff(tc.steps, stepsOf(t, up)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
		})
	}
}

// A configuration change on a partly suspended cluster suspends the running nodes one by one,
// pushes, and resumes every node: the vendor refuses -a across nodes in different states.
func TestChangeOnPartlySuspendedCluster(t *testing.T) {
	base := mustUnit(t, testCluster("nginx"))
	u := mustUnit(t, testCluster("nginx", "php-fpm"))
	up := u.Plan(observation(t, map[string]observed{"sv1": holding(base, "Running", nil), "sv2": holding(base, "Suspended", nil)}))
	want := []string{
		"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcl --suspend",
		"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcfctrl --push -l -x /opt/nec/clusterpro/work/cluster/staged",
		"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcl --resume",
		"cluster.web.node.sv2: /opt/nec/clusterpro/bin/clpcl --resume",
	}
	if diff := cmp.Diff(want, stepsOf(t, up)); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

// The run state is part of what a saved plan was made against.
func TestRunStateIsInTheFingerprint(t *testing.T) {
	u := mustUnit(t, testCluster("nginx"))
	running := u.Plan(observation(t, map[string]observed{"sv1": holding(u, "Running", nil), "sv2": holding(u, "Running", nil)}))
	suspended := u.Plan(observation(t, map[string]observed{"sv1": holding(u, "Running", nil), "sv2": holding(u, "Suspended", nil)}))
	if running.Observed["cluster.web.node.sv2"] == suspended.Observed["cluster.web.node.sv2"] {
		t.Error("a suspended node has the same observation fingerprint as a running one")
	}
	if len(running.Changes) != 0 {
		t.Errorf("a running, converged cluster has changes: %+v", running.Changes)
	}
}
