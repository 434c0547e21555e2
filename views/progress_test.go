package views

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/planner"
)

// fakeClock advances by a fixed step at every reading.
type fakeClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

func TestProgressHumanLines(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 1200 * time.Millisecond}
	p := newProgressHuman(&out, false, clock.now) // the start reading is the first tick

	p.Info("Acquiring the lock on cluster.web")
	p.Step("cluster.web.node.sv1", "suspend the cluster")
	p.Done("cluster.web.node.sv1", "suspend the cluster", nil)
	p.Step("cluster.web.node.sv2", "push the configuration")
	p.Done("cluster.web.node.sv2", "push the configuration", fmt.Errorf("clpcfctrl: %w", errors.New("exit status 11")))
	clock.step = 70 * time.Second
	p.Done("cluster.web.node.sv3", "resume the cluster", nil)

	want := `Acquiring the lock on cluster.web
cluster.web.node.sv1: suspend the cluster...
cluster.web.node.sv1: suspend the cluster... done (1.2s)
cluster.web.node.sv2: push the configuration...
cluster.web.node.sv2: push the configuration... failed (2.4s): clpcfctrl: exit status 11
cluster.web.node.sv3: resume the cluster... done (1m12s)
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestProgressHumanColour(t *testing.T) {
	var out bytes.Buffer
	p := NewProgressHuman(&out, true)
	p.Done("n", "s", nil)
	p.Done("n", "s", errors.New("boom"))
	if !strings.Contains(out.String(), ansiGreen+"done"+ansiReset) || !strings.Contains(out.String(), ansiBold+ansiRed+"failed"+ansiReset) {
		t.Errorf("no colour in %q", out.String())
	}
}

// TestProgressHumanConcurrent checks that lines written from many goroutines stay whole.
func TestProgressHumanConcurrent(t *testing.T) {
	var out bytes.Buffer
	p := NewProgressHuman(&out, false)
	const nodes, steps = 8, 50
	var wg sync.WaitGroup
	for n := range nodes {
		wg.Go(func() {
			for s := range steps {
				node, step := fmt.Sprintf("cluster.web.node.sv%d", n), fmt.Sprintf("step %d", s)
				p.Step(node, step)
				p.Done(node, step, nil)
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2*nodes*steps {
		t.Fatalf("%d lines, want %d", len(lines), 2*nodes*steps)
	}
	whole := regexp.MustCompile(`^cluster\.web\.node\.sv\d: step \d+\.\.\.( done \(\d+\.\ds\))?$`)
	for _, l := range lines {
		if !whole.MatchString(l) {
			t.Errorf("garbled line %q", l)
		}
	}
}

func TestProgressQuiet(t *testing.T) {
	p := NewProgressQuiet()
	p.Step("n", "s")
	p.Done("n", "s", errors.New("x"))
	p.Info("i") // nothing to observe but that it does not panic; it has no writer at all
}

func TestFormatElapsed(t *testing.T) {
	tests := map[time.Duration]string{
		0:                                     "0.0s",
		40 * time.Millisecond:                 "0.0s",
		1250 * time.Millisecond:               "1.2s",
		59 * time.Second:                      "59.0s",
		61*time.Second + 600*time.Millisecond: "1m2s",
		2 * time.Hour:                         "2h0m0s",
	}
	for d, want := range tests {
		if got := formatElapsed(d); got != want {
			t.Errorf("formatElapsed(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestApplyGolden(t *testing.T) {
	failed := ApplyResult{
		Changed:   []string{"cluster.web.node.sv1"},
		Failed:    []string{"cluster.web.node.sv2"},
		Unchanged: []string{"cluster.web.node.sv3", "server_group.web.member.ap1"},
		Err:       fmt.Errorf("cluster.web: push the configuration: %w", errors.New("clpcfctrl exited with status 11")),
	}
	tests := map[string]struct {
		view   func(w *bytes.Buffer) ApplyView
		result ApplyResult
	}{
		"apply_complete.txt":  {func(w *bytes.Buffer) ApplyView { return NewApplyHuman(w, false) }, ApplyResult{Changed: []string{"cluster.web.node.sv1"}}},
		"apply_complete.json": {func(w *bytes.Buffer) ApplyView { return NewApplyJSON(w) }, ApplyResult{Changed: []string{"cluster.web.node.sv1"}}},
		"apply_failed.txt":    {func(w *bytes.Buffer) ApplyView { return NewApplyHuman(w, false) }, failed},
		"apply_failed.json":   {func(w *bytes.Buffer) ApplyView { return NewApplyJSON(w) }, failed},
		"apply_failed_no_error.txt": {func(w *bytes.Buffer) ApplyView { return NewApplyHuman(w, false) },
			ApplyResult{Failed: []string{"cluster.web.node.sv2"}}},
	}
	for golden, tc := range tests {
		t.Run(golden, func(t *testing.T) {
			var out bytes.Buffer
			if err := tc.view(&out).Result(representativePlan(), tc.result); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, golden, out.Bytes())
		})
	}
}

func TestApplyNilPlan(t *testing.T) {
	var out bytes.Buffer
	if err := NewApplyHuman(&out, false).Result(nil, ApplyResult{}); err != nil {
		t.Fatal(err)
	}
	if want := "Apply complete! Resources: 0 added, 0 changed, 0 destroyed.\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestApplyViewsReportWriteErrors(t *testing.T) {
	for name, v := range map[string]ApplyView{"human": NewApplyHuman(failingWriter{}, false), "json": NewApplyJSON(failingWriter{})} {
		if err := v.Result(&planner.Plan{}, ApplyResult{}); !errors.Is(err, errDiskFull) {
			t.Errorf("%s: Result() = %v, want an error wrapping %v", name, err, errDiskFull)
		}
	}
}
