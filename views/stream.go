package views

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/planner"
)

// JSONUIVersion is the version of the machine-readable UI stream of plan, apply and validate
// (--json), documented in docs/json-format.md. It follows the same rules as JSONFormatVersion:
// fields and message types are only added within a major version.
const JSONUIVersion = "1.0"

// streamTimeLayout is the layout of @timestamp: RFC 3339 with microseconds.
const streamTimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// Levels of a stream message (@level).
const (
	levelInfo  = "info"
	levelWarn  = "warn"
	levelError = "error"
)

// Stream is the machine-readable UI of plan, apply and validate: one JSON object per line,
// written as things happen, modelled on Terraform's machine-readable UI. Every line has
// @level, @message (what the human view would say), @module, @timestamp and type; the first
// line is a version message and the last one a summary (change_summary, validate_summary).
//
// A Stream implements PlanView, ApplyView and RunProgress, so one value renders a whole run. It is
// safe for concurrent use; every line is written whole, in one Write. After a failed Write
// nothing more is written, and Err reports the failure.
type Stream struct {
	now   func() time.Time
	steps *stepTimer
	// connects times the connections being made, for "still connecting" log messages.
	connects *stepTimer

	mu           sync.Mutex
	w            io.Writer
	err          error
	observeStart time.Time
	summarized   bool
}

var (
	_ PlanView    = (*Stream)(nil)
	_ ApplyView   = (*Stream)(nil)
	_ RunProgress = (*Stream)(nil)
)

// NewStream returns a Stream writing to w.
func NewStream(w io.Writer) *Stream { return newStream(w, time.Now) }

func newStream(w io.Writer, now func() time.Time) *Stream {
	s := &Stream{w: w, now: now, observeStart: now()}
	s.steps = newStepTimer(now, s.stillRunning)
	s.connects = newStepTimer(now, func(node, _ string, elapsed time.Duration) {
		s.emit(levelInfo, stillConnecting(node, elapsed), typeLog, nil)
	})
	return s
}

// Err is the first error writing to the stream, or nil.
func (s *Stream) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Summarized reports whether the final summary line has been written.
func (s *Stream) Summarized() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.summarized
}

// emit writes one message. fields must not use the @ keys or "type".
func (s *Stream) emit(level, message, typ string, fields map[string]any) {
	msg := make(map[string]any, len(fields)+5)
	for k, v := range fields {
		msg[k] = v
	}
	msg["@level"] = level
	msg["@message"] = message
	msg["@module"] = "cluster.ui"
	msg["@timestamp"] = s.now().Format(streamTimeLayout)
	msg["type"] = typ
	b, err := marshalLine(msg)

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	if err == nil {
		_, err = s.w.Write(b)
	}
	if err != nil {
		s.err = fmt.Errorf("writing JSON output: %w", err)
	}
	if typ == typeChangeSummary || typ == typeValidateSummary {
		s.summarized = true
	}
}

// marshalLine encodes v compactly, keys sorted, without HTML escaping, with a newline.
func marshalLine(v any) ([]byte, error) {
	var b lineBuffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.buf, nil
}

type lineBuffer struct{ buf []byte }

func (l *lineBuffer) Write(p []byte) (int, error) { l.buf = append(l.buf, p...); return len(p), nil }

// Message types of the stream.
const (
	typeVersion         = "version"
	typeLog             = "log"
	typeDiagnostic      = "diagnostic"
	typeObserveStart    = "observe_start"
	typeObserveComplete = "observe_complete"
	typeObserveErrored  = "observe_errored"
	typePlannedChange   = "planned_change"
	typeResourceDrift   = "resource_drift"
	typeChangeSummary   = "change_summary"
	typeApplyStart      = "apply_start"
	typeApplyProgress   = "apply_progress"
	typeApplyComplete   = "apply_complete"
	typeApplyErrored    = "apply_errored"
	typeValidateSummary = "validate_summary"
)

// Version writes the first line: the UI version and the version of cluster.
func (s *Stream) Version(tool string) {
	s.emit(levelInfo, "cluster "+tool, typeVersion, map[string]any{"ui": JSONUIVersion, "cluster": tool})
}

// Info writes a log message about the run as a whole.
func (s *Stream) Info(msg string) { s.emit(levelInfo, msg, typeLog, nil) }

// streamDiagnostic is the "diagnostic" object of a diagnostic message.
type streamDiagnostic struct {
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail"`
	Address  string     `json:"address"`
	Range    *JSONRange `json:"range,omitempty"`
}

func (s *Stream) diagnostic(d streamDiagnostic) {
	level, word := levelError, "Error: "
	if d.Severity == planner.SeverityWarning {
		level, word = levelWarn, "Warning: "
	}
	s.emit(level, word+d.Summary, typeDiagnostic, map[string]any{"diagnostic": d})
}

// Diagnostics writes one diagnostic message per configuration diagnostic, with its source range.
func (s *Stream) Diagnostics(diags hcl.Diagnostics) {
	for _, d := range DiagnosticsJSON(diags) {
		s.diagnostic(streamDiagnostic{Severity: d.Severity, Summary: d.Summary, Detail: d.Detail, Range: d.Range})
	}
}

// Error writes err as an error diagnostic.
func (s *Stream) Error(err error) {
	s.diagnostic(streamDiagnostic{Severity: planner.SeverityError, Summary: err.Error()})
}

// Warn writes msg as a warning diagnostic.
func (s *Stream) Warn(msg string) {
	s.diagnostic(streamDiagnostic{Severity: planner.SeverityWarning, Summary: msg})
}

// Observing reports that nodes are about to be read.
func (s *Stream) Observing(nodes []string) {
	s.mu.Lock()
	s.observeStart = s.now()
	s.mu.Unlock()
	nodes = slices.Clone(nodes)
	if nodes == nil {
		nodes = []string{}
	}
	s.emit(levelInfo, fmt.Sprintf("Observing %d %s...", len(nodes), plural(len(nodes), "node", "nodes")),
		typeObserveStart, map[string]any{"hook": map[string]any{"nodes": nodes}})
}

// Observed reports that a node has been read, or could not be.
func (s *Stream) Observed(node string, err error) {
	s.mu.Lock()
	took := s.now().Sub(s.observeStart)
	s.mu.Unlock()
	hook := map[string]any{"node": node, "elapsed_seconds": seconds(took)}
	if err != nil {
		hook["error"] = err.Error()
		s.emit(levelError, fmt.Sprintf("%s: not observed (%s): %v", node, formatElapsed(took), err), typeObserveErrored, map[string]any{"hook": hook})
		return
	}
	s.emit(levelInfo, fmt.Sprintf("%s: observed (%s)", node, formatElapsed(took)), typeObserveComplete, map[string]any{"hook": hook})
}

// Step reports that a step starts on a node (apply_start).
func (s *Stream) Step(node, step string) {
	s.steps.start(node, step)
	s.emit(levelInfo, fmt.Sprintf("%s: %s...", node, step), typeApplyStart,
		map[string]any{"hook": map[string]any{"node": node, "step": step}})
}

func (s *Stream) stillRunning(node, step string, elapsed time.Duration) {
	s.emit(levelInfo, fmt.Sprintf("%s: %s... still running [%s elapsed]", node, step, elapsed.Round(time.Second)), typeApplyProgress,
		map[string]any{"hook": map[string]any{"node": node, "step": step, "elapsed_seconds": seconds(elapsed)}})
}

// Done reports that a step ended (apply_complete), or failed (apply_errored).
func (s *Stream) Done(node, step string, err error) {
	hook := map[string]any{"node": node, "step": step}
	took := ""
	if d, ok := s.steps.end(node, step); ok {
		hook["elapsed_seconds"] = seconds(d)
		took = " (" + formatElapsed(d) + ")"
	}
	if err != nil {
		hook["error"] = err.Error()
		s.emit(levelError, fmt.Sprintf("%s: %s... failed%s: %v", node, step, took, err), typeApplyErrored, map[string]any{"hook": hook})
		return
	}
	s.emit(levelInfo, fmt.Sprintf("%s: %s... done%s", node, step, took), typeApplyComplete, map[string]any{"hook": hook})
}

// Close stops the "still running" reports.
func (s *Stream) Close() {
	s.steps.close()
	s.connects.close()
}

// Connecting arms the "still connecting" log messages of node's connection.
func (s *Stream) Connecting(node string) { s.connects.start(node, connectStep) }

// Connected ends them.
func (s *Stream) Connected(node string) { s.connects.end(node, connectStep) }

// seconds is a duration in seconds, to the millisecond.
func seconds(d time.Duration) float64 { return math.Round(d.Seconds()*1000) / 1000 }

// Plan writes the plan: a planned_change per object that changes, a resource_drift per object
// that needs nothing but drifted, its diagnostics, then a change_summary with operation "plan".
func (s *Stream) Plan(p *planner.Plan) error {
	doc := planDocument(p)
	for _, c := range doc.Changes {
		if c.Action == planner.NoOp {
			if len(c.Drift) > 0 {
				s.emit(levelWarn, fmt.Sprintf("%s: Drift detected on %d %s", c.Address, len(c.Drift), plural(len(c.Drift), "node", "nodes")),
					typeResourceDrift, map[string]any{"change": c})
			}
			continue
		}
		s.emit(levelInfo, fmt.Sprintf("%s: Plan to %s", c.Address, c.Action), typePlannedChange, map[string]any{"change": c})
	}
	for _, d := range doc.Diagnostics {
		s.diagnostic(streamDiagnostic{Severity: d.Severity, Summary: d.Summary, Detail: d.Detail, Address: d.Address})
	}
	level, message := levelInfo, ""
	switch {
	case p.Errored:
		level, message = levelError, "Planning failed. The changes above are incomplete and cannot be applied."
	case !p.HasChanges():
		message = "No changes. Your clusters match the configuration."
	default:
		message = fmt.Sprintf("Plan: %d to add, %d to change, %d to destroy.", doc.Summary.Add, doc.Summary.Change, doc.Summary.Destroy)
	}
	s.emit(level, message, typeChangeSummary, map[string]any{
		"changes": streamCounts{Add: doc.Summary.Add, Change: doc.Summary.Change, Destroy: doc.Summary.Destroy, Operation: "plan"},
		"errored": p.Errored,
	})
	return s.Err()
}

// streamCounts is the "changes" object of a change_summary.
type streamCounts struct {
	Add       int    `json:"add"`
	Change    int    `json:"change"`
	Destroy   int    `json:"destroy"`
	HeldBack  int    `json:"held_back,omitempty"` // apply: changes left undone on purpose
	Operation string `json:"operation"`           // "plan" or "apply"
}

// PlanFailed ends the stream of a plan that could not be made: err as a diagnostic (unless it
// is nil, when the diagnostics were written already), then an errored change_summary.
func (s *Stream) PlanFailed(err error) {
	if err != nil {
		s.Error(err)
	}
	s.emit(levelError, "Planning failed.", typeChangeSummary, map[string]any{
		"changes": streamCounts{Operation: "plan"},
		"errored": true,
	})
}

// streamOutcome is the "outcome" object of an apply's change_summary: the fields of the apply
// result document.
type streamOutcome struct {
	Status    string   `json:"status"`
	Changed   []string `json:"changed"`
	Failed    []string `json:"failed"`
	Untouched []string `json:"untouched"`
	Error     *string  `json:"error"`
}

// Result writes the outcome of an apply: a change_summary with operation "apply", whose
// "changes" is null when the apply failed.
func (s *Stream) Result(p *planner.Plan, r ApplyResult) error {
	// A kept node holds its previous configuration: apply did not change it.
	untouched := append(append([]string{}, r.Unchanged...), r.Kept...)
	out := streamOutcome{Status: "complete", Changed: nonNil(r.Changed), Failed: nonNil(r.Failed), Untouched: untouched}
	fields := map[string]any{"outcome": &out}
	if r.Succeeded() {
		add, change, destroy, held := appliedCounts(p)
		fields["changes"] = streamCounts{Add: add, Change: change, Destroy: destroy, HeldBack: held, Operation: "apply"}
		s.emit(levelInfo, fmt.Sprintf("Apply complete! Resources: %d added, %d changed, %d destroyed%s.", add, change, destroy, heldBackNote(held)), typeChangeSummary, fields)
		return s.Err()
	}
	title := "Apply failed: "
	out.Status = "failed"
	if r.Interrupted {
		out.Status, title = "interrupted", "Apply interrupted: "
	}
	msg := fmt.Sprintf("the apply failed on %d %s", len(r.Failed), plural(len(r.Failed), "node", "nodes"))
	if r.Err != nil {
		msg = r.Err.Error()
	}
	out.Error = &msg
	fields["changes"] = nil
	s.emit(levelError, title+msg, typeChangeSummary, fields)
	return s.Err()
}

// ApplyFailed ends the stream of an apply that stopped before applying anything: err as a
// diagnostic (unless nil), then a failed change_summary.
func (s *Stream) ApplyFailed(err error) {
	msg := "the apply failed before changing anything"
	if err != nil {
		s.Error(err)
		msg = err.Error()
	}
	s.emit(levelError, "Apply failed: "+msg, typeChangeSummary, map[string]any{
		"changes": nil,
		"outcome": streamOutcome{Status: "failed", Changed: []string{}, Failed: []string{}, Untouched: []string{}, Error: &msg},
	})
}

// Validate writes the result of a validation: one diagnostic message per diagnostic, then a
// validate_summary.
func (s *Stream) Validate(diags hcl.Diagnostics) error {
	s.Diagnostics(diags)
	errs, warnings := countDiagnostics(diags)
	level, message := levelInfo, "Success! The configuration is valid."
	switch {
	case errs > 0:
		level, message = levelError, fmt.Sprintf("The configuration is invalid: %d %s.", errs, plural(errs, "error", "errors"))
	case warnings > 0:
		message = "Success! The configuration is valid, but there were some validation warnings."
	}
	s.emit(level, message, typeValidateSummary, map[string]any{
		"valid": errs == 0, "error_count": errs, "warning_count": warnings,
	})
	return s.Err()
}
