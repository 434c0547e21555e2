package views

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/planner"
)

func newTestStream(w *bytes.Buffer) (*Stream, *fakeTimers) {
	clock := &fakeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), step: 250 * time.Millisecond}
	s := newStream(w, clock.now)
	timers := &fakeTimers{}
	s.steps.after = timers.after
	return s, timers
}

// TestStreamGolden renders a whole apply as the stream: version, observation, the plan,
// progress with a step that runs long and one that fails, and the outcome.
func TestStreamGolden(t *testing.T) {
	var out bytes.Buffer
	s, timers := newTestStream(&out)
	s.Version("v1.2.3")
	s.Observing([]string{"cluster.web.node.sv1", "cluster.web.node.sv2"})
	s.Observed("cluster.web.node.sv1", nil)
	s.Observed("cluster.web.node.sv2", errors.New("dial tcp: connection refused"))
	if err := s.Plan(representativePlan()); err != nil {
		t.Fatal(err)
	}
	s.Info("Acquiring the lock on cluster.web")
	s.Step("cluster.web.node.sv1", "push the configuration")
	timers.fire()
	s.Done("cluster.web.node.sv1", "push the configuration", nil)
	s.Step("cluster.web.node.sv1", "resume the cluster")
	s.Done("cluster.web.node.sv1", "resume the cluster", errors.New("clpcl exited with status 3"))
	err := s.Result(representativePlan(), ApplyResult{
		Changed: []string{"cluster.web.node.sv1"},
		Failed:  []string{"cluster.web.node.sv2"},
		Err:     errors.New("cluster.web: resume the cluster: clpcl exited with status 3"),
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	checkGolden(t, "stream_apply.jsonl", out.Bytes())
	checkStreamLines(t, out.String())
	if strings.Contains(out.String(), secret) || strings.Contains(out.String(), "old-pw") {
		t.Error("a sensitive value reached the stream")
	}
}

// checkStreamLines checks the rules every stream obeys: each line one JSON object with the
// common keys, version first, exactly one summary and it last.
func checkStreamLines(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", i+1, err, l)
		}
		for _, k := range []string{"@level", "@message", "@module", "@timestamp", "type"} {
			if _, ok := m[k].(string); !ok {
				t.Errorf("line %d lacks %s: %s", i+1, k, l)
			}
		}
		if _, err := time.Parse(time.RFC3339Nano, m["@timestamp"].(string)); err != nil {
			t.Errorf("line %d: @timestamp: %v", i+1, err)
		}
		switch lvl := m["@level"]; lvl {
		case "info", "warn", "error":
		default:
			t.Errorf("line %d: @level %v", i+1, lvl)
		}
		typ := m["type"]
		if (i == 0) != (typ == "version") {
			t.Errorf("line %d has type %v; version must be first and only first", i+1, typ)
		}
		last := i == len(lines)-1
		if summary := typ == "change_summary" || typ == "validate_summary"; last && !summary {
			t.Errorf("last line has type %v, want a summary", typ)
		}
	}
}

func TestStreamPlanSummaries(t *testing.T) {
	tests := map[string]struct {
		plan    *planner.Plan
		message string
		level   string
	}{
		"changes":    {representativePlan(), "Plan: 2 to add, 2 to change, 2 to destroy.", "info"},
		"no changes": {&planner.Plan{}, "No changes. Your clusters match the configuration.", "info"},
		"errored":    {&planner.Plan{Errored: true}, "Planning failed. The changes above are incomplete and cannot be applied.", "error"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			s, _ := newTestStream(&out)
			if err := s.Plan(tc.plan); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			var last struct {
				Level   string `json:"@level"`
				Message string `json:"@message"`
				Type    string `json:"type"`
				Changes struct {
					Operation string `json:"operation"`
				} `json:"changes"`
				Errored bool `json:"errored"`
			}
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
				t.Fatal(err)
			}
			if last.Type != "change_summary" || last.Message != tc.message || last.Level != tc.level ||
				last.Changes.Operation != "plan" || last.Errored != tc.plan.Errored {
				t.Errorf("last line %+v", last)
			}
		})
	}
}

// TestStreamFailuresEndWithSummary checks the stream of a run that stopped before it had a plan
// or an outcome.
func TestStreamFailuresEndWithSummary(t *testing.T) {
	for _, op := range []string{"plan", "apply"} {
		var out bytes.Buffer
		s, _ := newTestStream(&out)
		s.Version("v1")
		if op == "plan" {
			s.PlanFailed(errors.New("--target group.nope: no such object"))
		} else {
			s.ApplyFailed(errors.New("Saved plan is stale"))
		}
		checkStreamLines(t, out.String())
		if !s.Summarized() || !strings.Contains(out.String(), `"type":"diagnostic"`) {
			t.Errorf("%s: %s", op, out.String())
		}
	}
}

func TestStreamValidate(t *testing.T) {
	var out bytes.Buffer
	s, _ := newTestStream(&out)
	s.Version("v1")
	rng := hcl.Range{Filename: "main.hcl", Start: hcl.Pos{Line: 3, Column: 5, Byte: 20}, End: hcl.Pos{Line: 3, Column: 9, Byte: 24}}
	err := s.Validate(hcl.Diagnostics{
		{Severity: hcl.DiagWarning, Summary: "Deprecated attribute", Detail: "use x", Subject: &rng},
		{Severity: hcl.DiagError, Summary: "Empty policy"},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "stream_validate.jsonl", out.Bytes())
	checkStreamLines(t, out.String())
}

func TestStreamStopsAtFirstWriteError(t *testing.T) {
	s := NewStream(failingWriter{})
	s.Version("v1")
	if err := s.Plan(&planner.Plan{}); !errors.Is(err, errDiskFull) {
		t.Errorf("Plan() = %v, want %v", err, errDiskFull)
	}
	if err := s.Result(&planner.Plan{}, ApplyResult{}); !errors.Is(err, errDiskFull) {
		t.Errorf("Result() = %v, want %v", err, errDiskFull)
	}
}

// TestStreamLinesStayWhole writes from many goroutines, as apply does.
func TestStreamLinesStayWhole(t *testing.T) {
	var out lockedBuffer
	s := NewStream(&out)
	done := make(chan struct{})
	for n := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 50 {
				node, step := fmt.Sprintf("node%d", n), fmt.Sprintf("step %d", i)
				s.Step(node, step)
				s.Done(node, step, nil)
			}
		}()
	}
	for range 8 {
		<-done
	}
	s.Close()
	for l := range strings.Lines(out.String()) {
		if !json.Valid([]byte(l)) {
			t.Fatalf("garbled line %q", l)
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent writes; each Write is kept whole.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestStreamTypesAreDocumented keeps docs/json-format.md in step with the stream: every message
// type the stream writes has a row in its table.
func TestStreamTypesAreDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/json-format.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{typeVersion, typeLog, typeDiagnostic, typeObserveStart, typeObserveComplete,
		typeObserveErrored, typePlannedChange, typeResourceDrift, typeChangeSummary, typeApplyStart,
		typeApplyProgress, typeApplyComplete, typeApplyErrored, typeValidateSummary} {
		if !bytes.Contains(doc, []byte("| `"+typ+"` |")) {
			t.Errorf("message type %s has no row in docs/json-format.md", typ)
		}
	}
	if !bytes.Contains(doc, []byte(`"ui": "`+JSONUIVersion+`"`)) {
		t.Errorf("docs/json-format.md does not give the stream version %s", JSONUIVersion)
	}
}
