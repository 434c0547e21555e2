package views

import (
	"bytes"
	"fmt"
	"io"

	"github.com/clusterctl/cluster/planner"
)

// NewSavedPlanHuman renders the plan apply of a saved plan shows before it applies: not the
// whole plan again (it was reviewed when it was made, and 'cluster show' prints it), but what
// will change in short, as Terraform does: one line per changed object and the summary line.
func NewSavedPlanHuman(w io.Writer, colour bool, planFile string) PlanView {
	return &savedPlanHuman{planHuman: planHuman{w: w, pal: ansiPalette{on: colour}}, file: planFile}
}

type savedPlanHuman struct {
	planHuman
	file string
}

func (v *savedPlanHuman) Plan(p *planner.Plan) error {
	var b bytes.Buffer
	if p.HasChanges() && !p.Errored {
		fmt.Fprintf(&b, "Applying the saved plan %s (the whole plan: cluster show %s):\n", v.file, v.file)
		for _, c := range p.Changes {
			if c.Action == planner.NoOp {
				continue
			}
			fmt.Fprintf(&b, "%s %s\n", v.pal.action(c.Action, fmt.Sprintf("%3s", c.Action.Symbol())), c.Addr)
		}
		b.WriteByte('\n')
	}
	return v.finish(&b, p)
}
