package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/clusterctl/cluster/planner"
)

// interrupts turns SIGINT/SIGTERM into the two stops of a run. For a command that changes
// nodes (apply), the first signal lets the remote step in progress finish, after which the
// command recovers (resumes what it suspended, releases its locks) and stops; only a deliberate
// second interrupt aborts at once (see abortsRun). Any other command stops at the first.
type interrupts struct {
	stop     chan struct{}
	cancel   context.CancelFunc
	graceful atomic.Bool
	now      func() time.Time
}

// repeatGrace is how long after the first signal was acknowledged a repeat of it is still taken
// as part of the same request to stop. GNU timeout sends its signal to the command and then to
// the command's process group (coreutils src/timeout.c, cleanup: send_sig (monitored_pid, sig),
// then send_sig (0, sig)), so one timeout delivers the same signal twice within microseconds; a
// person who presses Ctrl-C twice in a hurry means one stop as well. Two seconds is long enough
// for both and short enough for a deliberate second Ctrl-C. See docs/timeouts.md.
const repeatGrace = 2 * time.Second

type interruptsKey struct{}

// newInterrupts returns the run's context, stopped as described above by signals sent to sig.
func newInterrupts(parent context.Context) (context.Context, *interrupts) {
	ctx, cancel := context.WithCancel(parent)
	in := &interrupts{stop: make(chan struct{}), cancel: cancel, now: time.Now}
	ctx = planner.WithStopRequest(ctx, in.stop)
	return context.WithValue(ctx, interruptsKey{}, in), in
}

// stopGracefully marks the command running in ctx as one whose first interrupt only asks it to
// stop at the next step boundary.
func stopGracefully(ctx context.Context) {
	if in, ok := ctx.Value(interruptsKey{}).(*interrupts); ok {
		in.graceful.Store(true)
	}
}

// abortsRun tells whether signal next, arriving after the first signal was acknowledged, aborts a
// graceful stop: only the same signal again, at least repeatGrace later. A different signal
// after the first is a runner escalating its cancel (GitHub Actions sends SIGINT, then SIGTERM
// 7.5 s later, then kills; GitLab sends SIGTERM, then kills): it asks for the stop already under
// way, and the recovery had better be left to finish before the kill comes.
func abortsRun(first, next os.Signal, sinceAck time.Duration) bool {
	return sameSignal(first, next) && sinceAck >= repeatGrace
}

func sameSignal(a, b os.Signal) bool {
	// os.Interrupt is syscall.SIGINT; compare by value.
	sa, okA := a.(syscall.Signal)
	sb, okB := b.(syscall.Signal)
	if okA && okB {
		return sa == sb
	}
	return a.String() == b.String()
}

// watch waits for signals on sig until the run ends (done closed).
func (in *interrupts) watch(sig <-chan os.Signal, done <-chan struct{}, errOut io.Writer) {
	var first os.Signal
	select {
	case first = <-sig:
	case <-done:
		return
	}
	close(in.stop)
	if !in.graceful.Load() {
		in.cancel()
		return
	}
	fmt.Fprintf(errOut, "\nInterrupt (%s): the step in progress finishes, then this run resumes what it suspended, releases its locks and stops. "+
		"Interrupt again (Ctrl-C, after %s) to abort at once.\n", signalName(first), repeatGrace)
	acked := in.now()
	for {
		var next os.Signal
		select {
		case next = <-sig:
		case <-done:
			return
		}
		if !abortsRun(first, next, in.now().Sub(acked)) {
			fmt.Fprintf(errOut, "%s: already stopping; this run still resumes what it suspended and releases its locks.\n", signalName(next))
			continue
		}
		fmt.Fprintln(errOut, "\nSecond interrupt: aborting now. The cluster may be left suspended or locked: run `cluster plan` to see every node's state; `cluster apply` resumes a suspended cluster; `cluster force-unlock --all-stale` removes a lock this run left.")
		in.cancel()
		return
	}
}

// signalName is the conventional name of s ("SIGINT").
func signalName(s os.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}
