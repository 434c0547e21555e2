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

	"github.com/clusterctl/cluster/hcl/addrs"
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

// fakeTimers stands in for time.AfterFunc: fire runs the functions that are due, as if their
// time had come.
type fakeTimers struct {
	mu      sync.Mutex
	pending []*fakeTimer
}

type fakeTimer struct {
	f       func()
	stopped bool
}

func (ft *fakeTimers) after(_ time.Duration, f func()) func() bool {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	t := &fakeTimer{f: f}
	ft.pending = append(ft.pending, t)
	return func() bool {
		ft.mu.Lock()
		defer ft.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// fire runs every timer armed and not stopped, once.
func (ft *fakeTimers) fire() {
	ft.mu.Lock()
	due := ft.pending
	ft.pending = nil
	ft.mu.Unlock()
	for _, t := range due {
		ft.mu.Lock()
		run := !t.stopped
		t.stopped = true
		ft.mu.Unlock()
		if run {
			t.f()
		}
	}
}

func TestProgressHumanLines(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 1200 * time.Millisecond}
	p := newProgressHuman(&out, false, clock.now)

	p.Info("Acquiring the lock on cluster.web")
	p.Step("cluster.web.node.sv1", "suspend the cluster")
	p.Done("cluster.web.node.sv1", "suspend the cluster", nil)
	p.Step("cluster.web.node.sv2", "push the configuration")
	p.Done("cluster.web.node.sv2", "push the configuration", fmt.Errorf("clpcfctrl: %w", errors.New("exit status 11")))
	clock.step = 70 * time.Second
	p.Step("cluster.web.node.sv3", "resume the cluster")
	p.Done("cluster.web.node.sv3", "resume the cluster", nil)
	p.Done("cluster.web.node.sv4", "a step whose start was not reported", nil)

	// Each duration is the step's own, not the time since the run started.
	want := `Acquiring the lock on cluster.web
cluster.web.node.sv1: suspend the cluster...
cluster.web.node.sv1: suspend the cluster... done (1.2s)
cluster.web.node.sv2: push the configuration...
cluster.web.node.sv2: push the configuration... failed (1.2s): clpcfctrl: exit status 11
cluster.web.node.sv3: resume the cluster...
cluster.web.node.sv3: resume the cluster... done (1m10s)
cluster.web.node.sv4: a step whose start was not reported... done
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestProgressHumanStillRunning(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 10 * time.Second}
	p := newProgressHuman(&out, false, clock.now)
	timers := &fakeTimers{}
	p.steps.after = timers.after

	p.Step("cluster.web.node.sv1", "push the configuration")
	p.Step("cluster.web.node.sv2", "wait for the group")
	p.Done("cluster.web.node.sv2", "wait for the group", nil) // ends before 10 s: no report
	timers.fire()
	timers.fire()
	p.Done("cluster.web.node.sv1", "push the configuration", nil)
	timers.fire() // nothing runs any more
	p.Close()

	want := `cluster.web.node.sv1: push the configuration...
cluster.web.node.sv2: wait for the group...
cluster.web.node.sv2: wait for the group... done (10.0s)
cluster.web.node.sv1: push the configuration... still running [30s elapsed]
cluster.web.node.sv1: push the configuration... still running [40s elapsed]
cluster.web.node.sv1: push the configuration... done (50.0s)
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestStillRunningRealTimer runs the real timer with a short interval: reports come while the
// step runs and stop when it ends.
func TestStillRunningRealTimer(t *testing.T) {
	var mu sync.Mutex
	reports := 0
	timer := newStepTimer(time.Now, func(node, step string, elapsed time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		reports++
	})
	timer.every = 5 * time.Millisecond
	timer.start("n", "s")
	time.Sleep(60 * time.Millisecond)
	if _, ok := timer.end("n", "s"); !ok {
		t.Fatal("end: the step was not running")
	}
	mu.Lock()
	got := reports
	mu.Unlock()
	if got == 0 {
		t.Fatal("no still-running report in 60ms with a 5ms interval")
	}
	time.Sleep(30 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if reports != got {
		t.Errorf("%d reports after the step ended", reports-got)
	}
}

func TestProgressHumanObserve(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 300 * time.Millisecond}
	p := newProgressHuman(&out, false, clock.now)
	p.Observing([]string{"cluster.web.node.sv1", "cluster.web.node.sv2"})
	p.Observed("cluster.web.node.sv2", nil)
	p.Observed("cluster.web.node.sv1", errors.New("dial tcp 127.0.0.2:22: connection refused"))
	want := `Observing 2 nodes...
cluster.web.node.sv2: observed (0.3s)
cluster.web.node.sv1: not observed (0.6s): dial tcp 127.0.0.2:22: connection refused
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
		"apply_complete.txt": {func(w *bytes.Buffer) ApplyView { return NewApplyHuman(w, false) }, ApplyResult{Changed: []string{"cluster.web.node.sv1"}}},
		"apply_failed.txt":   {func(w *bytes.Buffer) ApplyView { return NewApplyHuman(w, false) }, failed},
		"apply_failed_no_error.txt": {func(w *bytes.Buffer) ApplyView { return NewApplyHuman(w, false) },
			ApplyResult{Failed: []string{"cluster.web.node.sv2"}}},
		// A graceful interrupt before the push: every node kept its configuration and runs.
		"apply_interrupted.txt": {func(w *bytes.Buffer) ApplyView { return NewApplyHuman(w, false) },
			ApplyResult{Kept: []string{"cluster.web.node.sv1", "cluster.web.node.sv2"}, Unchanged: []string{"cluster.db"}, Interrupted: true,
				Err: fmt.Errorf("cluster.web: distribute the configuration to every node: %w before this step", planner.ErrInterrupted)}},
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
	for name, v := range map[string]ApplyView{"human": NewApplyHuman(failingWriter{}, false), "json": NewStream(failingWriter{})} {
		if err := v.Result(&planner.Plan{}, ApplyResult{}); !errors.Is(err, errDiskFull) {
			t.Errorf("%s: Result() = %v, want an error wrapping %v", name, err, errDiskFull)
		}
	}
}

// A held-back change is in the plan's counts but not in what the apply made.
func TestApplySummaryLeavesOutHeldBackChanges(t *testing.T) {
	p := &planner.Plan{Changes: []planner.Change{
		{Addr: addrs.Member("web", "web2"), Action: planner.Update},
		{Addr: addrs.Member("web", "web3"), Action: planner.Update, HeldBack: true, Reason: "held back: no room"},
		{Addr: addrs.Member("web", "web4"), Action: planner.NoOp, HeldBack: true},
	}}
	var human bytes.Buffer
	if err := NewApplyHuman(&human, false).Result(p, ApplyResult{}); err != nil {
		t.Fatal(err)
	}
	if want := "Apply complete! Resources: 0 added, 1 changed, 0 destroyed; 1 held back (see the plan's warnings).\n"; human.String() != want {
		t.Errorf("human: got %q, want %q", human.String(), want)
	}
	var stream bytes.Buffer
	if err := NewStream(&stream).Result(p, ApplyResult{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stream.String(), `"changes":{"add":0,"change":1,"destroy":0,"held_back":1,"operation":"apply"}`) {
		t.Errorf("stream: %s", stream.String())
	}
	if add, change, destroy := p.Counts(); add != 0 || change != 2 || destroy != 0 {
		t.Errorf("plan counts %d/%d/%d, want the held-back change counted", add, change, destroy)
	}
}

// A node that takes long to connect is reported every 10 s while the others are observed; its
// reports stop once it is connected.
func TestProgressHumanStillConnecting(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 5 * time.Second}
	p := newProgressHuman(&out, false, clock.now)
	timers := &fakeTimers{}
	p.connects.after = timers.after

	p.Observing([]string{"cluster.web.node.sv1", "cluster.web.node.sv2"})
	p.Connecting("cluster.web.node.sv1")
	p.Connecting("cluster.web.node.sv2")
	p.Connected("cluster.web.node.sv2")
	p.Observed("cluster.web.node.sv2", nil)
	timers.fire()
	timers.fire()
	p.Connected("cluster.web.node.sv1")
	timers.fire() // connected: no more reports
	p.Close()

	want := `Observing 2 nodes...
cluster.web.node.sv2: observed (20.0s)
still connecting to cluster.web.node.sv1 (20s)
still connecting to cluster.web.node.sv1 (25s)
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
