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

// applyResultView renders an apply's outcome: JSON on stdout; text on stdout when it
// succeeded and on stderr when it failed, where CI logs look for errors.
type applyResultView struct {
	cmd    *cobra.Command
	g      *globals
	asJSON bool
}

func applyView(cmd *cobra.Command, g *globals, asJSON bool) applyResultView {
	return applyResultView{cmd, g, asJSON}
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
	switch {
	case a.asJSON:
		return views.NewApplyJSON(a.cmd.OutOrStdout()).Result(p, r)
	case out.Err != nil:
		return views.NewApplyHuman(a.cmd.ErrOrStderr(), !a.g.noColor && isTerminal(os.Stderr)).Result(p, r)
	}
	return views.NewApplyHuman(a.cmd.OutOrStdout(), colorOut(a.g)).Result(p, r)
}
