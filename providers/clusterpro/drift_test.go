package clusterpro

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/planner"
)

// editIP is a hand edit of one node's clp.conf: the floating IP changed to 10.0.0.199.
func editIP(files map[string][]byte) {
	files["etc/clp.conf"] = bytes.Replace(files["etc/clp.conf"], []byte("10.0.0.100"), []byte("10.0.0.199"), 1)
}

// Each node is compared with the configuration, not with the majority: on a 2-node cluster an
// edit on the master is blamed on the master, and the change runs from the node's value to the
// configuration's.
func TestDriftNamesTheNodeAndTheDirection(t *testing.T) {
	cases := map[string]struct {
		cluster func() *unit
		edited  string
		nodes   []string
	}{
		"2 nodes, master edited":    {func() *unit { return mustUnit(t, testCluster("nginx")) }, "sv1", []string{"sv1", "sv2"}},
		"2 nodes, standby edited":   {func() *unit { return mustUnit(t, testCluster("nginx")) }, "sv2", []string{"sv1", "sv2"}},
		"3 nodes, middle edited":    {func() *unit { return mustUnit(t, threeNodes()) }, "sv2", []string{"sv1", "sv2", "sv3"}},
		"3 nodes, master edited":    {func() *unit { return mustUnit(t, threeNodes()) }, "sv1", []string{"sv1", "sv2", "sv3"}},
		"3 nodes, last node edited": {func() *unit { return mustUnit(t, threeNodes()) }, "sv3", []string{"sv1", "sv2", "sv3"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			u := tc.cluster()
			nodes := map[string]observed{}
			for _, n := range tc.nodes {
				var edit func(map[string][]byte)
				if n == tc.edited {
					edit = editIP
				}
				nodes[n] = holding(u, "Running", edit)
			}
			up := u.Plan(observation(t, nodes))

			var drift []planner.NodeDrift
			var fip *planner.Change
			for i, c := range up.Changes {
				drift = append(drift, c.Drift...)
				if c.Addr.String() == "group.app.fip.fip1" {
					fip = &up.Changes[i]
				}
			}
			if len(drift) != 1 || drift[0].Node != "cluster.web.node."+tc.edited {
				t.Fatalf("drift = %+v, want exactly %s", drift, tc.edited)
			}
			want := `~ group.app.fip.fip1: ip = "10.0.0.199" -> "10.0.0.100"`
			if !slices.Contains(drift[0].Details, want) {
				t.Errorf("drift details = %q, want the line %q", drift[0].Details, want)
			}
			if fip == nil {
				t.Fatal("no change of group.app.fip.fip1")
			}
			wantAttrs := []planner.AttrChange{{Name: "ip", Before: planner.String("10.0.0.199"), After: planner.String("10.0.0.100")}}
			if diff := cmp.Diff(wantAttrs, fip.Attrs); diff != "" {
				t.Errorf("fip1 attributes (-want +got):\n%s", diff)
			}
		})
	}
}

// A node's drifted script is shown as that node's own file diff.
func TestDriftShowsTheNodesScriptDiff(t *testing.T) {
	u := mustUnit(t, threeNodes())
	const path = "scripts/app/exec1/start.sh"
	up := u.Plan(observation(t, map[string]observed{
		"sv1": holding(u, "Running", nil),
		"sv2": holding(u, "Running", func(f map[string][]byte) { f[path] = []byte("#!/bin/sh\necho edited by hand\n") }),
		"sv3": holding(u, "Running", nil),
	}))
	var drift []planner.NodeDrift
	for _, c := range up.Changes {
		drift = append(drift, c.Drift...)
	}
	if len(drift) != 1 || drift[0].Node != "cluster.web.node.sv2" {
		t.Fatalf("drift = %+v, want sv2 only", drift)
	}
	if len(drift[0].Texts) != 1 || drift[0].Texts[0].Path != path ||
		!strings.Contains(drift[0].Texts[0].Before, "edited by hand") || strings.Contains(drift[0].Texts[0].After, "edited by hand") {
		t.Errorf("drift texts = %+v, want %s from the edited content to the configuration's", drift[0].Texts, path)
	}
}

// When every node holds the same old configuration, the change is a change, not drift.
func TestSameOldConfigurationEverywhereIsNoDrift(t *testing.T) {
	u := mustUnit(t, testCluster("nginx"))
	up := u.Plan(observation(t, map[string]observed{"sv1": holding(u, "Running", editIP), "sv2": holding(u, "Running", editIP)}))
	if diff := cmp.Diff([]changeSummary{{Addr: "group.app.fip.fip1", Action: planner.Update}}, summarize(up.Changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}
