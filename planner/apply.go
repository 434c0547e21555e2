package planner

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// ErrStalePlan means the nodes no longer are as they were when the plan was made.
var ErrStalePlan = errors.New("the cluster changed since this plan was made")

// ApplyOptions control an apply.
type ApplyOptions struct {
	// Approved is the plan the user saw (or saved): apply refuses to do anything else.
	Approved *Plan
	// LockTimeout is how long to wait for another run's lock; 0 fails at once.
	LockTimeout time.Duration
	Progress    Progress
	// Operation is recorded in the lock ("apply").
	Operation string
}

// Outcome is the result of an apply, unit by unit.
type Outcome struct {
	Reports   []ApplyReport
	Untouched []string // units not attempted because an earlier one failed
	Err       error
}

// Apply locks every unit that has changes, observes again under the lock, refuses when that
// differs from the approved plan, then applies unit by unit and stops at the first failure.
func (e *Engine) Apply(ctx context.Context, run *Run, opts ApplyOptions) Outcome {
	ss := secrets(run.cfg.Secrets)
	if opts.Progress != nil {
		opts.Progress = redactingProgress{p: opts.Progress, ss: ss}
	}
	return ss.redactOutcome(e.apply(ctx, run, opts))
}

func (e *Engine) apply(ctx context.Context, run *Run, opts ApplyOptions) Outcome {
	if run.Plan.Errored {
		return Outcome{Err: errors.New("the plan has errors; nothing was applied")}
	}
	var active []int
	for i, up := range run.plans {
		if len(up.Changes) > 0 {
			active = append(active, i)
		}
	}
	if len(active) == 0 {
		return Outcome{}
	}
	info := NewLockInfo(opts.Operation)
	unlock, err := e.lockUnits(ctx, run, active, info, opts.LockTimeout, opts.Progress)
	if err != nil {
		return Outcome{Err: err}
	}
	defer unlock()

	fresh, err := e.Replan(ctx, run)
	if err != nil {
		return Outcome{Err: fmt.Errorf("observing under the lock: %w", err)}
	}
	if opts.Approved != nil {
		if why := staleness(opts.Approved, fresh); why != "" {
			return Outcome{Err: fmt.Errorf("%w: %s. Run plan again", ErrStalePlan, why)}
		}
	}
	if fresh.Errored {
		return Outcome{Err: errors.New("the plan has errors; nothing was applied")}
	}

	var out Outcome
	for k, i := range active {
		if StopRequested(ctx) {
			for _, j := range active[k:] {
				out.Untouched = append(out.Untouched, run.units[j].Addr().String())
			}
			out.Err = fmt.Errorf("%w before %s", ErrInterrupted, run.units[i].Addr())
			break
		}
		u, up := run.units[i], run.plans[i]
		conns := map[addrs.Address]transport.Node{}
		for _, n := range u.Nodes() {
			if c, ok := run.conns[n.Addr]; ok {
				conns[n.Addr] = c
			}
		}
		rep := u.Apply(ctx, up, conns, opts.Progress)
		out.Reports = append(out.Reports, rep)
		if rep.Err != nil {
			out.Err = fmt.Errorf("%s: %w", u.Addr(), rep.Err)
			for _, j := range active[k+1:] {
				out.Untouched = append(out.Untouched, run.units[j].Addr().String())
			}
			break
		}
	}
	return out
}

// lockUnits takes the lock on every reachable node of the given units, in a fixed order so two
// runs cannot deadlock, waiting up to timeout for a held lock. It returns the release function.
func (e *Engine) lockUnits(ctx context.Context, run *Run, active []int, info LockInfo, timeout time.Duration, p Progress) (func(), error) {
	type held struct {
		node transport.Node
		dir  transport.NodePath
	}
	var taken []held
	release := func() {
		// Release even when ctx was cancelled: a lock must not outlive its run.
		rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for i := len(taken) - 1; i >= 0; i-- {
			_, _ = releaseLock(rctx, taken[i].node, taken[i].dir, info.ID)
		}
	}
	deadline := time.Now().Add(timeout)
	for _, i := range active {
		u := run.units[i]
		for _, n := range u.Nodes() {
			node, ok := run.conns[n.Addr]
			if !ok {
				continue
			}
			for {
				err := acquireLock(ctx, node, u.LockDir(), info)
				var locked *LockedError
				if errors.As(err, &locked) && abandoned(locked.Info) {
					if p != nil {
						p.Info(fmt.Sprintf("%s: breaking the lock of a run that no longer exists (%s)", node.Name(), locked.Info))
					}
					if _, rerr := releaseLock(ctx, node, u.LockDir(), locked.Info.ID); rerr == nil {
						continue
					}
				}
				if errors.As(err, &locked) && time.Now().Before(deadline) {
					select {
					case <-ctx.Done():
						release()
						return nil, ctx.Err()
					case <-time.After(time.Second):
						continue
					}
				}
				if err != nil {
					release()
					return nil, err
				}
				taken = append(taken, held{node, u.LockDir()})
				break
			}
		}
	}
	return release, nil
}

// staleness says how the nodes now differ from when the approved plan was made, or "".
func staleness(approved, now *Plan) string {
	nodes := make([]string, 0, len(approved.Observed))
	for n := range approved.Observed {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	for _, n := range nodes {
		if now.Observed[n] != approved.Observed[n] {
			return n + " no longer holds what it held when the plan was made"
		}
	}
	if same, why := Equivalent(approved, now); !same {
		return why
	}
	return ""
}
