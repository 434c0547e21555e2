package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/clusterctl/cluster/planner"
)

// interrupts turns SIGINT/SIGTERM into the two stops of a run. For a command that changes
// nodes (apply), the first signal lets the remote step in progress finish, after which the
// command recovers (resumes what it suspended, releases its locks) and stops; the second
// aborts at once. Any other command stops at the first.
type interrupts struct {
	stop     chan struct{}
	cancel   context.CancelFunc
	graceful atomic.Bool
}

type interruptsKey struct{}

// newInterrupts returns the run's context, stopped as described above by signals sent to sig.
func newInterrupts(parent context.Context) (context.Context, *interrupts) {
	ctx, cancel := context.WithCancel(parent)
	in := &interrupts{stop: make(chan struct{}), cancel: cancel}
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

// watch waits for signals on sig until the run ends (done closed).
func (in *interrupts) watch(sig <-chan os.Signal, done <-chan struct{}, errOut io.Writer) {
	select {
	case <-sig:
	case <-done:
		return
	}
	close(in.stop)
	if !in.graceful.Load() {
		in.cancel()
		return
	}
	fmt.Fprintln(errOut, "\nInterrupt: the step in progress finishes, then this run resumes what it suspended, releases its locks and stops. Interrupt again to abort at once.")
	select {
	case <-sig:
	case <-done:
		return
	}
	fmt.Fprintln(errOut, "\nSecond interrupt: aborting now. The cluster may be left suspended or locked: run `cluster plan` to see every node's state; `cluster apply` resumes a suspended cluster; `cluster force-unlock --all-stale` removes a lock this run left.")
	in.cancel()
}
