package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/views"
)

// planView picks the plan rendering: JSON on stdout, or text with colour on a terminal.
func planView(cmd *cobra.Command, g *globals, asJSON bool) views.PlanView {
	if asJSON {
		return views.NewPlanJSON(cmd.OutOrStdout())
	}
	return views.NewPlanHuman(cmd.OutOrStdout(), colorOut(g))
}

// progressView writes apply progress to stderr; --json runs are quiet.
func progressView(cmd *cobra.Command, g *globals, asJSON bool) planner.Progress {
	if asJSON {
		return views.NewProgressQuiet()
	}
	return views.NewProgressHuman(cmd.ErrOrStderr(), !g.noColor && isTerminal(os.Stderr))
}

// applyResultView renders an apply's outcome.
type applyResultView struct{ v views.ApplyView }

func applyView(cmd *cobra.Command, g *globals, asJSON bool) applyResultView {
	if asJSON {
		return applyResultView{views.NewApplyJSON(cmd.OutOrStdout())}
	}
	return applyResultView{views.NewApplyHuman(cmd.OutOrStdout(), colorOut(g))}
}

// Result folds the per-unit reports into one node-by-node result.
func (a applyResultView) Result(p *planner.Plan, out planner.Outcome) error {
	var r views.ApplyResult
	for _, rep := range out.Reports {
		r.Changed = append(r.Changed, rep.Changed...)
		r.Unchanged = append(r.Unchanged, rep.Unchanged...)
		r.Failed = append(r.Failed, rep.Failed...)
	}
	r.Unchanged = append(r.Unchanged, out.Untouched...)
	r.Err = out.Err
	return a.v.Result(p, r)
}
