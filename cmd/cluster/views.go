package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/views"
)

// planView picks the plan rendering: JSON on stdout, or text with colour on a terminal. In
// text, the plan goes to stdout and its errors and warnings to stderr, as every command's
// errors do; JSON keeps them in the document.
func planView(cmd *cobra.Command, g *globals, asJSON bool) views.PlanView {
	if asJSON {
		return views.NewPlanJSON(cmd.OutOrStdout())
	}
	return splitPlanView{
		plan:   views.NewPlanHuman(cmd.OutOrStdout(), colourFor(g, cmd.OutOrStdout())),
		errOut: cmd.ErrOrStderr(),
		colour: colourFor(g, cmd.ErrOrStderr()),
	}
}

// splitPlanView renders the plan without its diagnostics, then the diagnostics on errOut.
type splitPlanView struct {
	plan   views.PlanView
	errOut io.Writer
	colour bool
}

func (v splitPlanView) Plan(p *planner.Plan) error {
	shown := *p
	shown.Diagnostics = nil
	if err := v.plan.Plan(&shown); err != nil {
		return err
	}
	return writePlanDiagnostics(v.errOut, p.Diagnostics, v.colour)
}

// writePlanDiagnostics writes the errors and warnings found while planning, each as
//
//	Error: summary
//
//	  on group.iis:
//	  detail
//
// in one Write. (This is the layout views' plan rendering used on stdout.)
func writePlanDiagnostics(w io.Writer, diags []planner.Diagnostic, colour bool) error {
	if len(diags) == 0 {
		return nil
	}
	paint := func(codes, s string) string {
		if !colour {
			return s
		}
		return codes + s + "\x1b[0m"
	}
	var b bytes.Buffer
	for _, d := range diags {
		b.WriteByte('\n')
		if d.Severity == planner.SeverityError {
			fmt.Fprintf(&b, "%s %s\n", paint("\x1b[1m\x1b[31m", "Error:"), d.Summary)
		} else {
			fmt.Fprintf(&b, "%s %s\n", paint("\x1b[1m\x1b[33m", "Warning:"), d.Summary)
		}
		if d.Addr == "" && d.Detail == "" {
			continue
		}
		b.WriteByte('\n')
		if d.Addr != "" {
			fmt.Fprintf(&b, "  on %s:\n", d.Addr)
		}
		for line := range strings.Lines(d.Detail) {
			fmt.Fprintf(&b, "  %s\n", strings.TrimRight(line, "\n"))
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the plan's diagnostics: %w", err)
	}
	return nil
}

// progressView writes apply progress to stderr; --json runs are quiet.
func progressView(cmd *cobra.Command, g *globals, asJSON bool) planner.Progress {
	if asJSON {
		return views.NewProgressQuiet()
	}
	return views.NewProgressHuman(cmd.ErrOrStderr(), colourFor(g, cmd.ErrOrStderr()))
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
		errOut := a.cmd.ErrOrStderr()
		return views.NewApplyHuman(errOut, colourFor(a.g, errOut)).Result(p, r)
	}
	return views.NewApplyHuman(a.cmd.OutOrStdout(), colourFor(a.g, a.cmd.OutOrStdout())).Result(p, r)
}
