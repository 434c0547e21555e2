package views

import (
	"sync"
	"time"
)

// StillRunningInterval is how long a step runs before its first "still running" report, and the
// interval between two of them.
const StillRunningInterval = 10 * time.Second

// stepTimer times the steps in flight, node by node, and calls stillRunning every
// StillRunningInterval while a step has not ended. Human and JSON progress share it, so both
// report the same durations. It is safe for concurrent use.
type stepTimer struct {
	now   func() time.Time
	after func(d time.Duration, f func()) (stop func() bool) // time.AfterFunc, or a fake in tests
	every time.Duration
	// stillRunning is called, outside the lock, for a step that runs longer than every.
	stillRunning func(node, step string, elapsed time.Duration)

	mu      sync.Mutex
	running map[stepKey]*runningStep
}

type stepKey struct{ node, step string }

type runningStep struct {
	start time.Time
	stop  func() bool
}

func newStepTimer(now func() time.Time, stillRunning func(node, step string, elapsed time.Duration)) *stepTimer {
	return &stepTimer{
		now:          now,
		after:        realAfter,
		every:        StillRunningInterval,
		stillRunning: stillRunning,
		running:      map[stepKey]*runningStep{},
	}
}

func realAfter(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// start records that step began on node and arms its "still running" reports.
func (t *stepTimer) start(node, step string) {
	k := stepKey{node, step}
	t.mu.Lock()
	defer t.mu.Unlock()
	if old, ok := t.running[k]; ok {
		old.stop()
	}
	rs := &runningStep{start: t.now()}
	t.running[k] = rs
	t.arm(k, rs)
}

// arm schedules the next report of rs; t.mu is held.
func (t *stepTimer) arm(k stepKey, rs *runningStep) {
	rs.stop = t.after(t.every, func() {
		t.mu.Lock()
		if t.running[k] != rs { // ended (or restarted) meanwhile
			t.mu.Unlock()
			return
		}
		elapsed := t.now().Sub(rs.start)
		t.arm(k, rs)
		t.mu.Unlock()
		if t.stillRunning != nil {
			t.stillRunning(k.node, k.step, elapsed)
		}
	})
}

// end forgets step on node and returns how long it ran; ok is false when its start was never
// reported.
func (t *stepTimer) end(node, step string) (elapsed time.Duration, ok bool) {
	k := stepKey{node, step}
	t.mu.Lock()
	defer t.mu.Unlock()
	rs, ok := t.running[k]
	if !ok {
		return 0, false
	}
	rs.stop()
	delete(t.running, k)
	return t.now().Sub(rs.start), true
}

// close stops every pending report.
func (t *stepTimer) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, rs := range t.running {
		rs.stop()
		delete(t.running, k)
	}
}
