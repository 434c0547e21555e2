package views

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
)

// Apply of a saved plan lists what changes in short; the attributes and scripts are not shown
// again.
func TestSavedPlanHumanIsShort(t *testing.T) {
	p := &planner.Plan{Changes: []planner.Change{
		{Addr: addrs.Cluster("web"), Action: planner.Update, Attrs: []planner.AttrChange{
			{Name: "run_state", Before: planner.String("suspended"), After: planner.String("running")},
		}},
		{Addr: addrs.Script("iis"), Action: planner.Update, Texts: []planner.TextDiff{{Path: "/opt/a.sh", Before: "a\n", After: "b\n"}}},
		{Addr: addrs.Group("db"), Action: planner.NoOp},
	}}
	var b bytes.Buffer
	if err := NewSavedPlanHuman(&b, false, "web.plan").Plan(p); err != nil {
		t.Fatal(err)
	}
	want := `Applying the saved plan web.plan (the whole plan: cluster show web.plan):
  ~ cluster.web
  ~ script.iis

Plan: 0 to add, 2 to change, 0 to destroy.
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if strings.Contains(b.String(), "run_state") || strings.Contains(b.String(), "/opt/a.sh") {
		t.Errorf("the details are shown again:\n%s", b.String())
	}
}
