package main

import (
	"errors"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/hcl/config"
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

// splitPlanView renders the plan without its diagnostics (unless keep), then the diagnostics
// on errOut.
type splitPlanView struct {
	plan   views.PlanView
	errOut io.Writer
	colour bool
	keep   bool // the plan view shows the diagnostics too (Markdown: the reviewer reads them there)
}

func (v splitPlanView) Plan(p *planner.Plan) error {
	shown := *p
	if !v.keep {
		shown.Diagnostics = nil
	}
	if err := v.plan.Plan(&shown); err != nil {
		return err
	}
	return views.WritePlanDiagnostics(v.errOut, p.Diagnostics, v.colour)
}

// outputFormat is how a command renders its result.
type outputFormat string

const (
	formatHuman    outputFormat = "human"
	formatJSON     outputFormat = "json"
	formatMarkdown outputFormat = "markdown"
)

// runOutput renders one plan or apply run as it goes: the progress while nodes are observed and
// steps applied, the plan, and the outcome. With --json everything is one stream of JSON lines
// on stdout (views.Stream); otherwise progress goes to stderr and the plan to stdout, as text
// or Markdown.
type runOutput struct {
	cmd      *cobra.Command
	g        *globals
	format   outputFormat
	stream   *views.Stream // formatJSON only
	progress views.RunProgress
}

func newRunOutput(cmd *cobra.Command, g *globals, format outputFormat) *runOutput {
	o := &runOutput{cmd: cmd, g: g, format: format}
	if format == formatJSON {
		o.stream = views.NewStream(cmd.OutOrStdout())
		o.stream.Version(toolVersion())
		o.progress = o.stream
	} else {
		o.progress = views.NewProgressHuman(cmd.ErrOrStderr(), colourFor(g, cmd.ErrOrStderr()))
	}
	return o
}

// close stops the progress reports.
func (o *runOutput) close() { o.progress.Close() }

// loadConfig loads the configuration, its diagnostics rendered as the output wants them.
func (o *runOutput) loadConfig(dir string, opts config.LoadOptions) (*config.Config, error) {
	if o.stream == nil {
		return loadConfig(o.cmd, o.g, dir, opts)
	}
	opts.Environ = os.Environ()
	loaded, diags := config.Load(dir, opts)
	o.stream.Diagnostics(diags)
	if diags.HasErrors() {
		return nil, silentExit(1)
	}
	return loaded.Config, nil
}

// plan is the view of the plan itself.
func (o *runOutput) plan() views.PlanView {
	switch o.format {
	case formatJSON:
		return o.stream
	case formatMarkdown:
		return splitPlanView{
			plan:   views.NewPlanMarkdown(o.cmd.OutOrStdout()),
			errOut: o.cmd.ErrOrStderr(),
			colour: colourFor(o.g, o.cmd.ErrOrStderr()),
			keep:   true,
		}
	}
	return planView(o.cmd, o.g, false)
}

// savedPlan is the view of the plan apply of a saved plan shows: in text, only what changes
// (the plan was reviewed when it was made); JSON has the whole plan as ever.
func (o *runOutput) savedPlan(planFile string) views.PlanView {
	if o.format != formatHuman {
		return o.plan()
	}
	return splitPlanView{
		plan:   views.NewSavedPlanHuman(o.cmd.OutOrStdout(), colourFor(o.g, o.cmd.OutOrStdout()), planFile),
		errOut: o.cmd.ErrOrStderr(),
		colour: colourFor(o.g, o.cmd.ErrOrStderr()),
	}
}

// applied renders the outcome of an apply, its per-unit reports folded into one node-by-node
// result: JSON on stdout; text on stdout when it succeeded and on stderr when it failed, where
// CI logs look for errors.
func (o *runOutput) applied(p *planner.Plan, out planner.Outcome) error {
	var r views.ApplyResult
	for _, rep := range out.Reports {
		r.Changed = append(r.Changed, rep.Changed...)
		r.Unchanged = append(r.Unchanged, rep.Unchanged...)
		r.Kept = append(r.Kept, rep.Kept...)
		r.Failed = append(r.Failed, rep.Failed...)
	}
	r.Unchanged = append(r.Unchanged, out.Untouched...)
	r.Err, r.Interrupted = out.Err, out.Interrupted
	if o.stream != nil {
		return o.stream.Result(p, r)
	}
	w := o.cmd.OutOrStdout()
	if out.Err != nil {
		w = o.cmd.ErrOrStderr()
	}
	return views.NewApplyHuman(w, colourFor(o.g, w)).Result(p, r)
}

// finish ends the run's output. In JSON mode an error that was not rendered yet becomes a
// diagnostic, and the stream always ends with its summary line (change_summary), even when the
// run stopped early; the error then only sets the exit status.
func (o *runOutput) finish(err error, operation string) error {
	if o.stream == nil {
		return err
	}
	var ee *exitError
	shown := err == nil || errors.As(err, &ee) && ee.err == nil
	code := 1
	if ee != nil {
		code = ee.code
	}
	if !o.stream.Summarized() {
		var unshown error
		if !shown {
			unshown = err
		}
		if operation == "apply" {
			o.stream.ApplyFailed(unshown)
		} else {
			o.stream.PlanFailed(unshown)
		}
	} else if !shown {
		o.stream.Error(err)
	}
	if err == nil {
		return nil
	}
	return silentExit(code)
}

// toolVersion is the version `cluster version` reports.
func toolVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return readBuildVersion(bi).Version
}
