package clusterpro

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
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
		out = append(out, s.node.String()+": "+s.shown())
	}
	return out
}

// A cluster an earlier apply left suspended (the tool's suspension record on a node) is a change
// even when every node holds the configuration. clpcl --resume acts on the whole cluster: apply
// resumes it once, from the first node holding a record, and removes the other records.
func TestSuspendedClusterIsAChange(t *testing.T) {
	u := mustUnit(t, testCluster("nginx"))
	for name, tc := range map[string]struct {
		sv1, sv2 string
		steps    []string
	}{
		"recorded on both": {"Suspended", "Suspended", []string{
			"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcl --resume",
			"cluster.web.node.sv2: rm -f /opt/nec/clusterpro/work/cluster/suspended",
		}},
		"recorded on one": {"Running", "Suspended", []string{
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

// A configuration change on a cluster an earlier apply left suspended first resumes it (once,
// for the whole cluster), then suspends, pushes and resumes it from the master as usual.
func TestChangeOnPartlySuspendedCluster(t *testing.T) {
	base := mustUnit(t, testCluster("nginx"))
	u := mustUnit(t, testCluster("nginx", "php-fpm"))
	up := u.Plan(observation(t, map[string]observed{"sv1": holding(base, "Running", nil), "sv2": holding(base, "Suspended", nil)}))
	want := []string{
		"cluster.web.node.sv2: /opt/nec/clusterpro/bin/clpcl --resume",
		"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcl --suspend",
		"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcfctrl --push -l -x /opt/nec/clusterpro/work/cluster/staged",
		"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcl --resume",
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

// A run state clpstat does not show readably (a failed clpstat, a word other than Online or
// Offline on the local server line) is never taken as stopped: the plan names the node in a
// warning and in run_state, also beside other changes, and apply refuses; --assume-running
// suspends and resumes the cluster around the push instead.
func TestUnknownRunStateIsNeverStopped(t *testing.T) {
	base := mustUnit(t, testCluster("nginx"))
	changed := testCluster("nginx", "php-fpm")
	for _, sv2 := range []string{"", "Caution"} { // "": clpstat exits 127 with no output
		t.Run("sv2 "+sv2, func(t *testing.T) {
			u := mustUnit(t, changed)
			up := u.Plan(observation(t, map[string]observed{"sv1": holding(base, "Running", nil), "sv2": holding(base, sv2, nil)}))
			var warned bool
			for _, d := range up.Diagnostics {
				warned = warned || (d.Summary == "Cluster run state unknown" && d.Addr == "cluster.web.node.sv2")
			}
			if !warned {
				t.Errorf("no warning naming sv2: %+v", up.Diagnostics)
			}
			i := indexOf(up.Changes, u.c.Addr)
			if i < 0 || !slices.ContainsFunc(up.Changes[i].Attrs, func(a planner.AttrChange) bool {
				return a.Name == "run_state" && a.Before == planner.String("unknown on sv2")
			}) {
				t.Errorf("run_state not shown beside the other changes: %+v", up.Changes)
			}
			rep := u.Apply(context.Background(), up, nil, nil)
			if rep.Err == nil || !strings.Contains(rep.Err.Error(), "--assume-running") {
				t.Errorf("apply = %v, want a refusal naming --assume-running", rep.Err)
			}

			u.assumeRunning = true
			up = u.Plan(observation(t, map[string]observed{"sv1": holding(base, "Running", nil), "sv2": holding(base, sv2, nil)}))
			want := []string{
				"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcl --suspend",
				"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcfctrl --push -l -x /opt/nec/clusterpro/work/cluster/staged",
				"cluster.web.node.sv1: /opt/nec/clusterpro/bin/clpcl --resume",
			}
			if diff := cmp.Diff(want, stepsOf(t, up)); diff != "" {
				t.Errorf("with --assume-running, steps (-want +got):\n%s", diff)
			}
		})
	}
}

// The run state's repair is shown also when the configuration changes too (issue 18, item 3).
func TestRunStateShownBesideOtherChanges(t *testing.T) {
	base := mustUnit(t, testCluster("nginx"))
	u := mustUnit(t, testCluster("nginx", "php-fpm"))
	up := u.Plan(observation(t, map[string]observed{"sv1": holding(base, "Suspended", nil), "sv2": holding(base, "Suspended", nil)}))
	i := indexOf(up.Changes, u.c.Addr)
	if len(up.Changes) < 2 || i < 0 || !slices.ContainsFunc(up.Changes[i].Attrs, func(a planner.AttrChange) bool {
		return a.Name == "run_state" && a.Before == planner.String("suspended from sv1, sv2") && a.After == planner.String("running")
	}) {
		t.Errorf("changes = %+v, want run_state beside the configuration change", up.Changes)
	}
}

// A cluster that runs, is suspended or may run is never new, even when no node shows a
// configuration directory (moved away, a link, a directory that cannot be entered): plan
// refuses, naming the nodes, instead of planning a push and clpcl -s -a on a live cluster.
func TestActiveClusterWithoutConfigurationIsNeverNew(t *testing.T) {
	for name, tc := range map[string]struct {
		sv1, sv2      string // clpstat's answer; "" = clpstat not installed
		assumeRunning bool
		named         string
	}{
		"running on both":              {sv1: "Running", sv2: "Running", named: "sv1, sv2"},
		"running on one":               {sv1: "Stopped", sv2: "Running", named: "on sv2,"},
		"suspended by an apply":        {sv1: "Suspended", sv2: "Stopped", named: "on sv1,"},
		"unknown state":                {sv1: "Caution", sv2: "", named: "on sv1,"},
		"unknown, with assume-running": {sv1: "Caution", sv2: "Stopped", assumeRunning: true, named: "on sv1,"},
	} {
		t.Run(name, func(t *testing.T) {
			u := mustUnit(t, testCluster("nginx"))
			u.assumeRunning = tc.assumeRunning
			up := u.Plan(observation(t, map[string]observed{"sv1": {status: tc.sv1}, "sv2": {status: tc.sv2}}))
			if up.State != nil || len(up.Changes) != 0 {
				t.Errorf("planned %+v on an active cluster with no readable configuration", summarize(up.Changes))
			}
			var refused bool
			for _, d := range up.Diagnostics {
				refused = refused || (d.Severity == "error" && d.Summary == "Cluster active without a readable configuration" &&
					strings.Contains(d.Detail, tc.named))
			}
			if !refused {
				t.Errorf("no error naming %q: %+v", tc.named, up.Diagnostics)
			}
		})
	}
}

// The master that suspends, pushes and resumes is the running node of highest priority: a node
// that reports the cluster stopped while another runs it is not chosen; when the nodes agree,
// the first node is.
func TestMasterIsARunningNode(t *testing.T) {
	base := mustUnit(t, testCluster("nginx"))
	for name, tc := range map[string]struct {
		sv1, sv2 string
		master   string
	}{
		"sv1 stopped, sv2 running": {"Stopped", "Running", "cluster.web.node.sv2"},
		"both running":             {"Running", "Running", "cluster.web.node.sv1"},
		"both stopped":             {"Stopped", "Stopped", "cluster.web.node.sv1"},
	} {
		t.Run(name, func(t *testing.T) {
			u := mustUnit(t, testCluster("nginx", "php-fpm"))
			up := u.Plan(observation(t, map[string]observed{"sv1": holding(base, tc.sv1, nil), "sv2": holding(base, tc.sv2, nil)}))
			st, ok := up.State.(*unitState)
			if !ok {
				t.Fatalf("nothing planned: %+v", up.Diagnostics)
			}
			if st.master.String() != tc.master {
				t.Errorf("master = %s, want %s", st.master, tc.master)
			}
			for _, s := range st.steps {
				if s.node.String() != tc.master {
					t.Errorf("step %q runs on %s, want the master %s", s.name, s.node, tc.master)
				}
			}
		})
	}
}

// clpstat shows what is installed: its cut names are matched against the installed
// configuration only. Renaming db-failover-grp-1 to db-failover-grp-2 (the same first 16
// characters) is then an ordinary change, not an ambiguity that blocks every plan.
func TestRenameWithinTheCutIsNotAmbiguous(t *testing.T) {
	named := func(group string) *config.Cluster {
		c := testCluster("nginx")
		g := c.Groups[0]
		g.Name, g.Addr = group, addrs.Group(group)
		for _, r := range g.Resources {
			r.Addr = addrs.Resource(group, string(r.Kind), r.Name)
		}
		return c
	}
	installed := mustUnit(t, named("db-failover-grp-1"))
	u := mustUnit(t, named("db-failover-grp-2"))
	obs := observation(t, map[string]observed{"sv1": holding(installed, "Running", nil), "sv2": holding(installed, "Running", nil)})
	for _, n := range []string{"sv1", "sv2"} {
		out := " Cluster : web\n <server>\n"
		for _, s := range []string{"sv1", "sv2"} {
			mark := " "
			if s == n {
				mark = "*"
			}
			out += "  " + mark + s + " .........: Online\n"
		}
		out += " <group>\n  db-failover-grp- : Online\n   current        : sv1\n"
		obs.Results[addrs.ClusterNode("web", n)][2].Result = transport.Result{Stdout: []byte(out)}
	}
	up := u.Plan(obs)
	for _, d := range up.Diagnostics {
		if d.Severity == planner.SeverityError {
			t.Errorf("error diagnostic: %s: %s", d.Summary, d.Detail)
		}
	}
	st, ok := up.State.(*unitState)
	if !ok || st.seq != seqSuspended {
		t.Fatalf("plan state %+v, want the suspend sequence of a running cluster", up.State)
	}
}

// Installed groups whose names clpstat cuts to the same 16 characters: the run state still
// comes from the local "*" line, and the ambiguity is an error only for a group whose new
// policy leaves out a node it may run on (where it runs is then needed).
func TestAmbiguousNamesKeepTheRunState(t *testing.T) {
	twoGroups := func(policyOfFirst int) *config.Cluster {
		c := testCluster("nginx")
		var groups []*config.Group
		for i, name := range []string{"container-recovery", "container-recovered"} {
			g := &config.Group{Addr: addrs.Group(name), Name: name, Cluster: c, Policy: c.Nodes, AutoStart: true}
			if i == 0 {
				g.Policy = c.Nodes[:policyOfFirst]
			}
			g.Resources = []*config.Resource{{Addr: addrs.Resource(name, "fip", "fip1"), Kind: config.ResFIP, Name: "fip1", Group: g, IP: fmt.Sprintf("10.0.0.%d", 100+i)}}
			groups = append(groups, g)
		}
		c.Groups = groups
		return c
	}
	installed := mustUnit(t, twoGroups(2))
	for name, tc := range map[string]struct {
		desired   *config.Cluster
		wantError bool
	}{
		"policies unchanged":         {desired: func() *config.Cluster { c := twoGroups(2); c.Groups[1].Resources[0].IP = "10.0.0.200"; return c }()},
		"a policy leaves out a node": {desired: twoGroups(1), wantError: true},
	} {
		t.Run(name, func(t *testing.T) {
			u := mustUnit(t, tc.desired)
			obs := observation(t, map[string]observed{"sv1": holding(installed, "Running", nil), "sv2": holding(installed, "Running", nil)})
			for _, n := range []string{"sv1", "sv2"} {
				out := " Cluster : web\n <server>\n  *" + n + " .........: Online\n <group>\n" +
					"  container-recove : Online\n   current        : sv1\n  container-recove : Offline\n   current        : None\n"
				obs.Results[addrs.ClusterNode("web", n)][2].Result = transport.Result{Stdout: []byte(out)}
			}
			up := u.Plan(obs)
			var ambiguous []string
			for _, d := range up.Diagnostics {
				if d.Severity == planner.SeverityError {
					if d.Summary != "Ambiguous clpstat name" {
						t.Errorf("error diagnostic: %s: %s", d.Summary, d.Detail)
					}
					ambiguous = append(ambiguous, d.Addr)
				}
			}
			if want := []string(nil); !tc.wantError && !cmp.Equal(want, ambiguous) {
				t.Errorf("ambiguity reported on %v, want nowhere", ambiguous)
			}
			if want := []string{"group.container-recovery"}; tc.wantError && !cmp.Equal(want, ambiguous) {
				t.Errorf("ambiguity reported on %v, want %v", ambiguous, want)
			}
			st, ok := up.State.(*unitState)
			if !ok || st.seq != seqSuspended {
				t.Fatalf("plan state %+v, want the suspend sequence of a running cluster", up.State)
			}
		})
	}
}
