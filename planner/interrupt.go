package planner

import (
	"context"
	"errors"
)

// ErrInterrupted is the error of an apply stopped by an interrupt between two steps.
var ErrInterrupted = errors.New("interrupted")

type stopKey struct{}

// WithStopRequest returns a context whose StopRequested turns true once stop is closed. It is
// the first interrupt: apply finishes the remote step in progress, runs its recovery (resume
// what it suspended, release the locks) and stops. Cancelling the context itself is the second,
// which aborts even the step in progress.
func WithStopRequest(ctx context.Context, stop <-chan struct{}) context.Context {
	return context.WithValue(ctx, stopKey{}, stop)
}

// StopRequested reports whether the run was asked to stop at the next step boundary.
func StopRequested(ctx context.Context) bool {
	stop, _ := ctx.Value(stopKey{}).(<-chan struct{})
	if stop == nil {
		return false
	}
	select {
	case <-stop:
		return true
	default:
		return false
	}
}
