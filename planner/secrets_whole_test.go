package planner

import (
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// A short secret is hidden where it is a whole attribute value (or element), and nowhere else:
// an address holding its digits stays readable and comparable.
func TestRedactWholeValues(t *testing.T) {
	p := &Plan{Changes: []Change{{
		Addr:   addrs.Group("g"),
		Action: Update,
		Attrs: []AttrChange{
			{Name: "pin", Before: String("x"), After: String("on")},
			{Name: "port", Before: Int(1), After: Int(2)},
			{Name: "list", After: List("a", "on")},
			{Name: "map", After: Map(map[string]string{"k": "2"})},
			{Name: "address", Before: String("10.0.0.2"), After: String("10.0.2.2")},
			{Name: "name", After: String("one")},
		},
	}}}
	redactWholeValues(p, []string{"on", "2"})
	for _, a := range p.Changes[0].Attrs {
		wantHidden := a.Name != "address" && a.Name != "name"
		for _, v := range []Value{a.Before, a.After} {
			if v.Sensitive != wantHidden {
				t.Errorf("%s: sensitive = %t, want %t", a.Name, v.Sensitive, wantHidden)
			}
			if wantHidden && v.String() != "(sensitive)" {
				t.Errorf("%s renders as %s", a.Name, v.String())
			}
		}
	}
}
