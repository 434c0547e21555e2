package planner

import (
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// A secret is hidden however a plan spells it: raw in a file, quoted and escaped in a value or a
// drift line.
func TestRedactPlanHidesEverySpelling(t *testing.T) {
	const secret = `pa"ss 秘密`
	ss := newSecrets([]string{secret})
	p := &Plan{Changes: []Change{{
		Addr:   addrs.Group("g"),
		Action: Update,
		Attrs:  []AttrChange{{Name: "comment", Before: String("x"), After: String("db " + secret)}},
		Texts:  []TextDiff{{Path: "scripts/g/r/start.sh", After: "login " + secret + "\n"}},
		Drift: []NodeDrift{{Node: "cluster.c.node.n1", Details: []string{
			"~ group.g: comment = " + String("db "+secret).String() + ` -> "x"`}}},
	}}}
	ss.redactPlan(p)
	c := p.Changes[0]
	if !c.Attrs[0].Before.Sensitive || !c.Attrs[0].After.Sensitive {
		t.Errorf("attribute not sensitive: %+v", c.Attrs[0])
	}
	if !c.Texts[0].Sensitive {
		t.Errorf("file not sensitive: %+v", c.Texts[0])
	}
	for _, d := range c.Drift[0].Details {
		if strings.Contains(d, "pa") || strings.Contains(d, "秘密") || strings.Contains(d, `\u79d8`) {
			t.Errorf("drift detail shows the secret: %s", d)
		}
	}
	for _, v := range []Value{c.Attrs[0].Before, c.Attrs[0].After} {
		if got := v.String(); got != "(sensitive)" {
			t.Errorf("a sensitive value renders as %s", got)
		}
	}
}
