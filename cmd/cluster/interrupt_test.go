package main

import (
	"bytes"
	"context"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/clusterctl/cluster/planner"
)

// A graceful run's first signal only asks it to stop; signals that come with it (GNU timeout's
// second delivery to the process group, a runner's SIGTERM after its SIGINT) are the same
// request; only the same signal again after the grace aborts.
func TestInterruptsTellOneStopFromTwo(t *testing.T) {
	type signalAt struct {
		sig   os.Signal
		after time.Duration // since the first signal
	}
	for _, tc := range []struct {
		name    string
		signals []signalAt
		aborted bool
	}{
		{"timeout -s INT: to the process, then to its group", []signalAt{{syscall.SIGINT, 0}, {syscall.SIGINT, 50 * time.Millisecond}}, false},
		{"SIGINT then SIGTERM in the same second", []signalAt{{syscall.SIGINT, 0}, {syscall.SIGTERM, 300 * time.Millisecond}}, false},
		{"GitHub Actions cancel: SIGINT, SIGTERM 7.5 s later", []signalAt{{syscall.SIGINT, 0}, {syscall.SIGTERM, 7500 * time.Millisecond}}, false},
		{"SIGTERM then SIGINT", []signalAt{{syscall.SIGTERM, 0}, {syscall.SIGINT, 5 * time.Second}}, false},
		{"Ctrl-C twice, deliberately", []signalAt{{syscall.SIGINT, 0}, {syscall.SIGINT, 3 * time.Second}}, true},
		{"timeout, then a deliberate Ctrl-C", []signalAt{{syscall.SIGINT, 0}, {syscall.SIGINT, time.Millisecond}, {syscall.SIGINT, 4 * time.Second}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, in := newInterrupts(context.Background())
			var mu sync.Mutex
			clock := time.Unix(1000, 0)
			in.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
			stopGracefully(ctx)
			sig := make(chan os.Signal)
			done := make(chan struct{})
			var errOut bytes.Buffer
			ended := make(chan struct{})
			go func() { in.watch(sig, done, &errOut); close(ended) }()
			start := clock
			for _, s := range tc.signals {
				mu.Lock()
				clock = start.Add(s.after)
				mu.Unlock()
				select {
				case sig <- s.sig:
				case <-ended:
				}
			}
			// Every signal was received (unbuffered channel) and handled before watch asked for
			// the next one, or watch returned after aborting.
			close(done)
			<-ended
			if !planner.StopRequested(ctx) {
				t.Errorf("no stop was requested")
			}
			if got := ctx.Err() != nil; got != tc.aborted {
				t.Errorf("aborted = %v, want %v\n%s", got, tc.aborted, errOut.String())
			}
		})
	}
}
