package planner

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// ErrStalePlan means the nodes no longer are as they were when the plan was made.
var ErrStalePlan = errors.New("the cluster changed since this plan was made")

// ApplyOptions control an apply.
type ApplyOptions struct {
	// Approved is the plan the user saw (or saved): apply refuses to do anything else.
	Approved *Plan
	// LockTimeout is how long to wait for another run's lock; 0 fails at once. Not used when
	// the run was planned under the lock (Options.Lock).
	LockTimeout time.Duration
	Progress    Progress
	// Operation is recorded in the lock ("apply"). Not used when the run holds the lock.
	Operation string
	// Reobserve observes the nodes again before applying even when the run was planned under
	// the lock: time has passed since (a prompt), in which someone may have edited a node by
	// hand.
	Reobserve bool
}

// Outcome is the result of an apply, unit by unit.
type Outcome struct {
	Reports   []ApplyReport
	Untouched []string // units not attempted because an earlier one failed
	Err       error
	// Interrupted: the run stopped because it was asked to (StopRequested), not because
	// something failed; Err says where it stopped.
	Interrupted bool
}

// Apply applies the run's plan under the lock, refusing when the nodes under the lock differ
// from the approved plan, unit by unit, and stops at the first failure. A run planned under the
// lock (Options.Lock) was observed under it; any other run is locked (the units that have
// changes) and observed again first. The lock is released when Apply returns.
func (e *Engine) Apply(ctx context.Context, run *Run, opts ApplyOptions) Outcome {
	ss := newSecrets(run.cfg.Secrets)
	if opts.Progress != nil {
		opts.Progress = redactingProgress{p: opts.Progress, ss: ss}
	}
	return ss.redactOutcome(e.apply(ctx, run, opts))
}

func (e *Engine) apply(ctx context.Context, run *Run, opts ApplyOptions) Outcome {
	defer run.Unlock()
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
	if !run.Locked() {
		unlock, err := e.lockUnits(ctx, run, active, NewLockInfo(opts.Operation), opts.LockTimeout, opts.Progress)
		if err != nil {
			return Outcome{Err: err}
		}
		defer unlock()
	}
	fresh := run.Plan
	if !run.Locked() || opts.Reobserve {
		var err error
		if fresh, err = e.Replan(ctx, run); err != nil {
			return Outcome{Err: fmt.Errorf("observing under the lock: %w", err)}
		}
	}
	if opts.Approved != nil {
		if why := staleness(opts.Approved, fresh); why != "" {
			return Outcome{Err: fmt.Errorf("%w: %s. Run plan again", ErrStalePlan, why)}
		}
	}
	if fresh.Errored {
		return Outcome{Err: errors.New("the plan has errors; nothing was applied")}
	}

	return e.applyUnits(ctx, run, active, opts.Progress)
}

// applyUnits applies the active units, up to the engine's parallelism at once, never two that
// share a node. After a unit fails (or an interrupt) no other unit starts: those are reported
// untouched, and the first failure in unit order is the outcome's error.
func (e *Engine) applyUnits(ctx context.Context, run *Run, active []int, p Progress) Outcome {
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		running int
		busy    = map[addrs.Address]bool{}
		stopped bool
		reports = make([]*ApplyReport, len(active))
		wg      sync.WaitGroup
	)
	free := func(u Unit) bool {
		for _, n := range u.Nodes() {
			if busy[n.Addr] {
				return false
			}
		}
		return true
	}
	mu.Lock()
	for k, i := range active {
		u := run.units[i]
		for !stopped && (running >= e.parallelism() || !free(u)) {
			cond.Wait()
		}
		if stopped || StopRequested(ctx) {
			stopped = true
			break
		}
		running++
		for _, n := range u.Nodes() {
			busy[n.Addr] = true
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			conns := map[addrs.Address]transport.Node{}
			for _, n := range u.Nodes() {
				if c, ok := run.conns[n.Addr]; ok {
					conns[n.Addr] = c
				}
			}
			up := run.plans[i]
			up.Release = run.releaseFor(u)
			rep := u.Apply(ctx, up, conns, p)
			mu.Lock()
			defer mu.Unlock()
			reports[k] = &rep
			running--
			for _, n := range u.Nodes() {
				delete(busy, n.Addr)
			}
			if rep.Err != nil {
				stopped = true
			}
			cond.Broadcast()
		}()
	}
	mu.Unlock()
	wg.Wait()

	var out Outcome
	for k, i := range active {
		u := run.units[i]
		rep := reports[k]
		if rep == nil {
			out.Untouched = append(out.Untouched, u.Addr().String())
			continue
		}
		out.Reports = append(out.Reports, *rep)
		if rep.Err != nil && out.Err == nil {
			out.Err = fmt.Errorf("%s: %w", u.Addr(), rep.Err)
		}
	}
	if out.Err == nil && len(out.Untouched) > 0 {
		out.Err = fmt.Errorf("%w before %s", ErrInterrupted, out.Untouched[0])
	}
	out.Interrupted = errors.Is(out.Err, ErrInterrupted)
	return out
}

// lockUnits takes the lock on every reachable node of the given units, waiting up to timeout
// for a held lock. The locks are taken in one global order (lockSite.key: node address, then
// lock directory): the first alone, then the others at once (bounded by the engine's
// parallelism). Of several runs that lock the same nodes, the one that wins the first lock is
// therefore the one that gets them all; the others fail on the first lock without having taken
// any, instead of each winning a few and all failing. A round that cannot take every lock
// releases what it took before it waits or fails, so two runs with different sets never hold
// parts of each other's sets for long, and never deadlock. It returns the release function.
func (e *Engine) lockUnits(ctx context.Context, run *Run, active []int, info LockInfo, timeout time.Duration, p Progress) (func(), error) {
	unlock, _, err := e.lockUnitsThen(ctx, run, active, newHeldLock(info), timeout, p, nil)
	return unlock, err
}

// observedUnderLock is what the ops run after a lock's create, in its session, returned: their
// outcomes, or the error that kept them from running.
type observedUnderLock struct {
	res []transport.Outcome
	err error
}

// lockUnitsThen is lockUnits where each lock's session also runs then(site) after its create
// (nil: nothing): it returns their outcomes by lockSite.key, from the round that took every
// lock.
func (e *Engine) lockUnitsThen(ctx context.Context, run *Run, active []int, held *heldLock, timeout time.Duration, p Progress,
	then func(lockSite) []transport.Op) (func(), map[string]observedUnderLock, error) {
	info := held.info
	units := make([]Unit, len(active))
	for k, i := range active {
		units[k] = run.units[i]
	}
	targets := run.lockSites(units...)
	sort.Slice(targets, func(i, j int) bool { return targets[i].key() < targets[j].key() })
	// taken[k]: the lock on target k may be ours, so it is released: taken, or its create's
	// answer was lost (see acquireOutcomeUnknown).
	releaseAll := func(taken []bool) {
		// Release even when ctx was cancelled: a lock must not outlive its run.
		rctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		e.eachTarget(len(targets), func(k int) {
			if taken[k] && !held.isReleased(targets[k].key()) {
				_ = held.release(rctx, targets[k].node, targets[k].dir)
			}
		})
	}
	deadline := time.Now().Add(timeout)
	waiting := false // said once
	for {
		taken := make([]bool, len(targets))
		errs := make([]error, len(targets))
		seen := make([]observedUnderLock, len(targets))
		take := func(k int) {
			t := targets[k]
			var ops []transport.Op
			if then != nil {
				ops = then(t)
			}
			for {
				res, thenErr, err := acquireLockThen(ctx, t.node, t.dir, info, ops)
				seen[k] = observedUnderLock{res, thenErr}
				var locked *LockedError
				if errors.As(err, &locked) && locked.HolderGone {
					if _, rerr := breakDeadLock(ctx, t.node, t.dir, locked.Info); rerr == nil {
						if p != nil {
							p.Info(fmt.Sprintf("%s: %s (%s)", t.node.Name(), deadLockRemoved, locked.Info))
						}
						continue
					}
				}
				errs[k], taken[k] = err, err == nil || acquireOutcomeUnknown(err)
				return
			}
		}
		if len(targets) > 0 {
			take(0) // the first lock decides which run goes on
			if errs[0] == nil {
				e.eachTarget(len(targets)-1, func(k int) { take(k + 1) })
			}
		}
		var first error
		held := false
		for _, err := range errs {
			var locked *LockedError
			if err != nil && first == nil {
				first = err
			}
			held = held || errors.As(err, &locked)
		}
		if first == nil {
			bySite := map[string]observedUnderLock{}
			for k, t := range targets {
				bySite[t.key()] = seen[k]
			}
			return func() { releaseAll(taken) }, bySite, nil
		}
		releaseAll(taken)
		if !held || !time.Now().Before(deadline) {
			return nil, nil, first
		}
		if !waiting && p != nil {
			p.Info(waitingMessage(errs, time.Until(deadline)))
		}
		waiting = true
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(time.Second + time.Duration(rand.Int64N(int64(500*time.Millisecond)))):
		}
	}
}

// acquireOutcomeUnknown reports whether a failed acquireLock may still have created our lock:
// any error but "locked by another run". The exclusive create can succeed on the node while its
// answer is lost (Ctrl-C, a timeout, a dropped connection), and a lock left so would block every
// run until force-unlock (proof of death works only from this machine). Releasing it is safe:
// heldLock.release removes only the lock file this run created (its record's exact bytes).
func acquireOutcomeUnknown(err error) bool {
	var locked *LockedError
	return err != nil && !errors.As(err, &locked)
}

// waitingMessage says whose lock the run waits for (the first in errs), and how long at most.
func waitingMessage(errs []error, left time.Duration) string {
	for _, err := range errs {
		var locked *LockedError
		if !errors.As(err, &locked) {
			continue
		}
		holder := "a run that recorded no holder"
		if locked.beingTaken() {
			holder = "a run taking it right now"
		}
		if locked.Readable {
			holder = locked.Info.String()
		}
		return fmt.Sprintf("%s is locked by %s; waiting up to %s (--lock-timeout)", locked.Node, holder, left.Round(time.Second))
	}
	return ""
}

// eachTarget runs f(0..n-1) with the engine's parallelism and waits for all.
func (e *Engine) eachTarget(n int, f func(k int)) {
	var g errgroup.Group
	g.SetLimit(e.parallelism())
	for k := range n {
		g.Go(func() error {
			f(k)
			return nil
		})
	}
	_ = g.Wait()
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
