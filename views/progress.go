package views

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/clusterctl/cluster/planner"
)

// Progress receives what apply is doing, node by node. Apply runs nodes in parallel, so
// implementations are safe for concurrent use. It has the method set of planner.Progress, so
// any Progress can be handed to the engine.
type Progress interface {
	// Step says that a step starts on a node.
	Step(node, step string)
	// Done says that the step ended, successfully when err is nil.
	Done(node, step string, err error)
	// Info is a message about the run as a whole.
	Info(msg string)
}

var _ planner.Progress = Progress(nil)

// ObserveProgress receives what plan is doing while it reads the nodes: Observing once, with
// every node about to be read, then Observed once per node, in the order they finish.
type ObserveProgress interface {
	Observing(nodes []string)
	// Connecting says that the connection to node is being made, Connected that it was made
	// or failed. While it is being made, "still connecting to NODE (10s)" is reported every
	// StillRunningInterval, so one slow node does not leave the run silent.
	Connecting(node string)
	Connected(node string)
	Observed(node string, err error)
	// Warn reports what the connections found worth telling without failing (an ssh_config
	// Match form that cannot be evaluated, a malformed known_hosts line).
	Warn(msg string)
}

// RunProgress is everything a plan or apply run reports while it runs. Close stops the
// "still running" reports of steps that never ended; call it when the run is over.
type RunProgress interface {
	Progress
	ObserveProgress
	Close()
}

// NewProgressHuman returns a RunProgress that writes whole lines: one when a step starts, one
// when it ends with the time that step took, and one every 10 seconds while it runs:
//
//	Observing 2 nodes...
//	cluster.web.node.sv2: observed (0.3s)
//	cluster.web.node.sv1: observed (0.4s)
//	cluster.web.node.sv1: push the configuration...
//	cluster.web.node.sv1: push the configuration... still running [10s elapsed]
//	cluster.web.node.sv1: push the configuration... done (12.5s)
//
// It is meant for stderr, so it never mixes with the output of --json or of a plan.
func NewProgressHuman(w io.Writer, colour bool) RunProgress {
	return newProgressHuman(w, colour, time.Now)
}

func newProgressHuman(w io.Writer, colour bool, now func() time.Time) *progressHuman {
	p := &progressHuman{w: w, pal: ansiPalette{on: colour}, now: now, observeStart: now()}
	p.steps = newStepTimer(now, p.stillRunning)
	p.connects = newStepTimer(now, func(node, _ string, elapsed time.Duration) { p.line(stillConnecting(node, elapsed)) })
	return p
}

type progressHuman struct {
	mu    sync.Mutex // one line at a time
	w     io.Writer
	pal   ansiPalette
	now   func() time.Time
	steps *stepTimer
	// connects times the connections being made (step connectStep), for "still connecting".
	connects *stepTimer

	observeMu    sync.Mutex
	observeStart time.Time
}

func (p *progressHuman) Step(node, step string) {
	p.steps.start(node, step)
	p.line(fmt.Sprintf("%s: %s...", node, step))
}

func (p *progressHuman) Done(node, step string, err error) {
	took := ""
	if d, ok := p.steps.end(node, step); ok {
		took = " (" + formatElapsed(d) + ")"
	}
	if err != nil {
		p.line(fmt.Sprintf("%s: %s... %s%s: %v", node, step, p.pal.boldRed("failed"), took, err))
		return
	}
	p.line(fmt.Sprintf("%s: %s... %s%s", node, step, p.pal.green("done"), took))
}

func (p *progressHuman) stillRunning(node, step string, elapsed time.Duration) {
	p.line(fmt.Sprintf("%s: %s... still running [%s elapsed]", node, step, elapsed.Round(time.Second)))
}

func (p *progressHuman) Info(msg string) { p.line(msg) }

func (p *progressHuman) Observing(nodes []string) {
	p.observeMu.Lock()
	p.observeStart = p.now()
	p.observeMu.Unlock()
	p.line(fmt.Sprintf("Observing %d %s...", len(nodes), plural(len(nodes), "node", "nodes")))
}

func (p *progressHuman) Observed(node string, err error) {
	p.observeMu.Lock()
	took := formatElapsed(p.now().Sub(p.observeStart))
	p.observeMu.Unlock()
	if err != nil {
		p.line(fmt.Sprintf("%s: %s (%s): %v", node, p.pal.boldRed("not observed"), took, err))
		return
	}
	p.line(fmt.Sprintf("%s: observed (%s)", node, took))
}

func (p *progressHuman) Warn(msg string) { p.line(p.pal.boldYellow("Warning:") + " " + msg) }

func (p *progressHuman) Connecting(node string) { p.connects.start(node, connectStep) }

func (p *progressHuman) Connected(node string) { p.connects.end(node, connectStep) }

func (p *progressHuman) Close() {
	p.steps.close()
	p.connects.close()
}

// connectStep is the step under which connections are timed.
const connectStep = "connect"

// stillConnecting is the report of a connection that is taking long.
func stillConnecting(node string, elapsed time.Duration) string {
	return fmt.Sprintf("still connecting to %s (%s)", node, elapsed.Round(time.Second))
}

// line writes s and a newline in a single Write. A progress line that cannot be written is
// dropped: losing the terminal must not abort an apply half way.
func (p *progressHuman) line(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = io.WriteString(p.w, s+"\n")
}

// formatElapsed renders a duration to a tenth of a second below a minute ("1.2s") and to the
// second above ("2m5s").
func formatElapsed(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// ApplyResult is what an apply did, node by node (node addresses). A node is in at most one
// list. Err is the failure that stopped the apply, nil when it completed.
type ApplyResult struct {
	Changed   []string // the new configuration is in place
	Unchanged []string // not touched: not needed, or not reached because of an earlier failure
	Kept      []string // hold their previous configuration, running: the run stopped before changing them
	Failed    []string // the apply failed on these; they may be partly changed
	Err       error
	// Interrupted: the run stopped because it was asked to (a signal), not because something
	// failed.
	Interrupted bool
}

// Succeeded reports whether the apply completed everywhere.
func (r ApplyResult) Succeeded() bool { return r.Err == nil && len(r.Failed) == 0 }

// ApplyView renders the end of an apply. The plan is the one that was applied; its counts are
// the summary of a complete apply.
type ApplyView interface {
	Result(p *planner.Plan, r ApplyResult) error
}

// NewApplyHuman returns the text rendering of apply results.
func NewApplyHuman(w io.Writer, colour bool) ApplyView {
	return &applyHuman{w: w, pal: ansiPalette{on: colour}}
}

type applyHuman struct {
	w   io.Writer
	pal ansiPalette
}

// Result writes "Apply complete! ..." or, when the apply failed or was interrupted, a paragraph
// that says exactly which nodes were changed, which kept their previous configuration, which
// failed and which were not touched, so the operator knows where the clusters stand.
func (v *applyHuman) Result(p *planner.Plan, r ApplyResult) error {
	var b bytes.Buffer
	switch {
	case r.Succeeded():
		add, change, destroy, held := appliedCounts(p)
		fmt.Fprintf(&b, "%s Resources: %d added, %d changed, %d destroyed%s.\n", v.pal.boldGreen("Apply complete!"), add, change, destroy, heldBackNote(held))
	case r.Interrupted:
		fmt.Fprintf(&b, "%s %v\n\n", v.pal.boldYellow("Apply interrupted:"), r.Err)
		v.standing(&b, r)
	default:
		if r.Err != nil {
			fmt.Fprintf(&b, "%s %v\n\n", v.pal.boldRed("Apply failed:"), r.Err)
		} else {
			fmt.Fprintf(&b, "%s\n\n", v.pal.boldRed("Apply failed."))
		}
		v.standing(&b, r)
	}
	if _, err := v.w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the apply result: %w", err)
	}
	return nil
}

// standing lists where every node stands after an apply that did not complete. Kept and
// Failed appear only when they hold a node: an interrupted run names no node as failed that
// was not.
func (v *applyHuman) standing(b *bytes.Buffer, r ApplyResult) {
	nodeList(b, "Changed (their new configuration is in place):", r.Changed)
	if len(r.Kept) > 0 {
		nodeList(b, "Kept their previous configuration (running; the change was not made there):", r.Kept)
	}
	if len(r.Failed) > 0 || !r.Interrupted {
		nodeList(b, "Failed (they may be partly changed):", r.Failed)
	}
	nodeList(b, "Not touched:", r.Unchanged)
	b.WriteString("\nRun \"cluster plan\" to see what remains to be done.\n")
}

func nodeList(b *bytes.Buffer, title string, nodes []string) {
	b.WriteString(title + "\n")
	if len(nodes) == 0 {
		b.WriteString("  (none)\n")
	}
	for _, n := range nodes {
		fmt.Fprintf(b, "  %s\n", n)
	}
}

func appliedCounts(p *planner.Plan) (add, change, destroy, heldBack int) {
	if p == nil {
		return 0, 0, 0, 0
	}
	return p.AppliedCounts()
}

// heldBackNote completes the apply summary when changes were held back.
func heldBackNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d held back (see the plan's warnings)", n)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
