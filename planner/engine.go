package planner

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// Connector opens one connection per node for the whole run. Nodes that cannot be reached are
// reported in the error map, never silently dropped.
type Connector interface {
	Connect(ctx context.Context, nodes []NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error)
}

// EachConnector is a Connector that can hand over each node as soon as its connection is made
// (or has failed), so that plan observes the nodes that answer while a slow one still connects.
// ConnectEach calls each once per entry of nodes, from any goroutine, and returns when every
// call has returned.
type EachConnector interface {
	Connector
	ConnectEach(ctx context.Context, nodes []NodeRef, each func(n NodeRef, node transport.Node, err error))
}

// Engine walks the providers: observe every node once, plan each unit, apply in order.
type Engine struct {
	Providers []Provider
	Connector Connector
	// Parallelism bounds how many nodes are observed at once (0: 50).
	Parallelism int
}

// Options narrow and describe a run.
type Options struct {
	Targets []addrs.Address
	// Lock, when set, takes every selected unit's lock before observing (apply): the plan is
	// then made under the lock, Apply needs no second observation, and Run.Unlock releases it.
	Lock *LockRequest
}

// LockRequest is how Plan takes the lock for an apply.
type LockRequest struct {
	// Operation is recorded in the lock ("apply").
	Operation string
	// Timeout is how long to wait for another run's lock; 0 fails at once.
	Timeout  time.Duration
	Progress Progress
}

// Run is a planned run: the plan shown to the user and what apply needs to carry it out.
type Run struct {
	Plan *Plan
	// ClearedLocks are the locks of dead runs that Plan removed (see clearDeadLocks).
	ClearedLocks []LockStatus
	// seenLocks are the locks Plan read while observing, by lockSite.key, for Locks; empty
	// when the run holds the lock and read none.
	seenLocks map[string]LockStatus
	cfg       *config.Config
	opts      Options
	units     []Unit
	plans     []UnitPlan
	conns     map[addrs.Address]transport.Node
	// unlock releases the lock Plan took (Options.Lock); nil when it holds none.
	unlock     func()
	unlockOnce sync.Once
	// held is the lock Plan took, for the units to release in their last calls (Release).
	held *heldLock
	// siteUsers counts the units using each lock site, counted once (Run.lockSiteUsers).
	siteUsers     map[string]int
	siteUsersOnce sync.Once
}

// Unlock releases the lock Plan took for this run, if any. It is safe to call more than once;
// Apply calls it when it ends.
func (r *Run) Unlock() {
	if r.unlock != nil {
		r.unlockOnce.Do(r.unlock)
	}
}

// Locked reports whether the run holds its units' lock.
func (r *Run) Locked() bool { return r.unlock != nil }

// Plan connects to the nodes of every selected unit, observes each node in one session and
// computes the plan. With Options.Lock it takes every selected unit's lock first, and the Run
// holds it until Apply ends or Run.Unlock. The returned Run keeps the connections for Apply.
func (e *Engine) Plan(ctx context.Context, cfg *config.Config, opts Options) (*Run, error) {
	units, err := e.selectUnits(cfg, opts.Targets)
	if err != nil {
		return nil, err
	}
	run := &Run{cfg: cfg, opts: opts, units: units}
	var nodes []NodeRef
	for _, u := range units {
		nodes = append(nodes, u.Nodes()...)
	}
	if ec, ok := e.Connector.(EachConnector); ok && opts.Lock == nil {
		// Without a lock to take first, each node is observed as soon as it is connected.
		conns, obs, locks, err := e.connectAndObserve(ctx, ec, units, nodes)
		if err != nil {
			return nil, err
		}
		run.conns = conns
		return e.finishPlan(ctx, run, obs, locks), nil
	}
	conns, connErrs := e.Connector.Connect(ctx, nodes)
	run.conns = conns
	if opts.Lock != nil {
		obs, err := e.lockAndObserve(ctx, run, connErrs)
		if err != nil {
			return nil, err
		}
		return e.finishPlan(ctx, run, obs, nil), nil
	}

	obs, locks, err := e.observe(ctx, units, conns, connErrs, true)
	if err != nil {
		return nil, err
	}
	return e.finishPlan(ctx, run, obs, locks), nil
}

// finishPlan plans every unit of run from its observation and clears the locks of dead runs
// seen while observing.
func (e *Engine) finishPlan(ctx context.Context, run *Run, obs []Observation, locks []lockObservation) *Run {
	run.plans = make([]UnitPlan, len(run.units))
	for i, u := range run.units {
		run.plans[i] = narrow(u, u.Plan(obs[i]), run.opts.Targets)
	}
	run.Plan = assemble(run.cfg, run.opts, run.plans)
	keys, seen := decodeSeenLocks(locks)
	run.ClearedLocks, run.seenLocks = clearDeadLocks(ctx, keys, seen), seen
	for _, l := range run.ClearedLocks {
		run.Plan.Diagnostics = append(run.Plan.Diagnostics, l.clearedWarning())
	}
	return run
}

// connectAndObserve connects the nodes and observes each one (every unit it belongs to, with
// the unit's lock read, as observe does) as soon as its connection is made, under the engine's
// bound, instead of waiting for the slowest node to connect.
func (e *Engine) connectAndObserve(ctx context.Context, ec EachConnector, units []Unit, nodes []NodeRef) (map[addrs.Address]transport.Node, []Observation, []lockObservation, error) {
	jobs := observeJobs(units)
	byNode := map[addrs.Address][]int{}
	for j, jb := range jobs {
		byNode[jb.node] = append(byNode[jb.node], j)
	}
	results := make([][]transport.Outcome, len(jobs))
	errs := make([]error, len(jobs))
	var (
		mu       sync.Mutex
		conns    = map[addrs.Address]transport.Node{}
		connErrs = map[addrs.Address]error{}
		wg       sync.WaitGroup
		slots    = make(chan struct{}, e.parallelism())
	)
	ec.ConnectEach(ctx, nodes, func(n NodeRef, node transport.Node, err error) {
		mu.Lock()
		defer mu.Unlock()
		if _, done := conns[n.Addr]; done {
			return // a node of several units: observed once per unit already
		}
		if _, done := connErrs[n.Addr]; done {
			return
		}
		if err != nil {
			connErrs[n.Addr] = err
			return
		}
		conns[n.Addr] = node
		for _, j := range byNode[n.Addr] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					errs[j] = ctx.Err()
					return
				}
				defer func() { <-slots }()
				results[j], errs[j] = e.observeOne(ctx, units, jobs[j], node, true)
			}()
		}
	})
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	obs, locks := collectObservations(units, jobs, results, errs, conns, connErrs, true)
	return conns, obs, locks, nil
}

// lockAndObserve takes every unit's lock (lockUnits) and observes each node in the session
// that takes its lock: the observe ops follow the exclusive create in the same call, so they
// read the node under the lock, and their outcomes are kept only from the round in which
// every lock was taken (a create that found another run's lock discards them). run.unlock is
// set to release the lock.
func (e *Engine) lockAndObserve(ctx context.Context, run *Run, connErrs map[addrs.Address]error) ([]Observation, error) {
	units := run.units
	jobs := observeJobs(units)
	bySite := map[string][]int{} // the jobs observed in each lock site's session
	jobOps := make([][]transport.Op, len(jobs))
	for j, jb := range jobs {
		key := lockSite{addr: jb.node, dir: units[jb.unit].LockDir()}.key()
		bySite[key] = append(bySite[key], j)
		jobOps[j] = observeOps(units[jb.unit], jb.node, true)
	}
	sessionOps := func(site lockSite) []transport.Op {
		var ops []transport.Op
		for _, j := range bySite[site.key()] {
			ops = append(ops, jobOps[j]...)
		}
		return ops
	}
	all := make([]int, len(units))
	for i := range units {
		all[i] = i
	}
	lock := run.opts.Lock
	held := newHeldLock(NewLockInfo(lock.Operation))
	unlock, seen, err := e.lockUnitsThen(ctx, run, all, held, lock.Timeout, lock.Progress, sessionOps)
	if err != nil {
		return nil, err
	}
	run.unlock, run.held = unlock, held
	results := make([][]transport.Outcome, len(jobs))
	errs := make([]error, len(jobs))
	for key, js := range bySite {
		got, ok := seen[key]
		if !ok {
			continue // a node not connected: collectObservations reports it
		}
		res := got.res
		for _, j := range js {
			if got.err != nil {
				errs[j] = got.err
				continue
			}
			n := len(jobOps[j])
			if len(res) < n {
				errs[j] = fmt.Errorf("%d results", len(got.res))
				continue
			}
			results[j], res = res[:n:n], res[n:]
		}
	}
	obs, _ := collectObservations(units, jobs, results, errs, run.conns, connErrs, false)
	return obs, nil
}

// Replan observes again and recomputes the plan; apply uses it under the lock to make sure the
// nodes still are as they were when the plan was shown.
func (e *Engine) Replan(ctx context.Context, run *Run) (*Plan, error) {
	obs, _, err := e.observe(ctx, run.units, run.conns, nil, false)
	if err != nil {
		return nil, err
	}
	// A node that cannot be observed now (a cut connection) is a connection error, not a change
	// of the cluster: report it as such rather than as a stale plan.
	if err := unobserved(obs); err != nil {
		return nil, err
	}
	for i, u := range run.units {
		run.plans[i] = narrow(u, u.Plan(obs[i]), run.opts.Targets)
	}
	run.Plan = assemble(run.cfg, run.opts, run.plans)
	return run.Plan, nil
}

// observe runs every unit's observe commands on each of its nodes, one Batch (one session) per
// node, in parallel under the engine's bound. With readLocks the same session reads the unit's
// lock on the node (the batch's last command; units never see it), so Plan can clear the locks
// of dead runs; a run that holds the lock knows what is there and reads none.
func (e *Engine) observe(ctx context.Context, units []Unit, conns map[addrs.Address]transport.Node, connErrs map[addrs.Address]error, readLocks bool) ([]Observation, []lockObservation, error) {
	jobs := observeJobs(units)
	results := make([][]transport.Outcome, len(jobs))
	errs := make([]error, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.parallelism())
	for j, jb := range jobs {
		node, ok := conns[jb.node]
		if !ok {
			continue // reported by collectObservations
		}
		g.Go(func() error {
			results[j], errs[j] = e.observeOne(gctx, units, jb, node, readLocks)
			return nil
		})
	}
	_ = g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	obs, locks := collectObservations(units, jobs, results, errs, conns, connErrs, readLocks)
	return obs, locks, nil
}

// observeJob is one unit's observation of one of its nodes: one session.
type observeJob struct {
	unit int
	node addrs.Address
}

// observeJobs lists every unit's nodes, in unit and node order.
func observeJobs(units []Unit) []observeJob {
	var jobs []observeJob
	for i, u := range units {
		for _, n := range u.Nodes() {
			jobs = append(jobs, observeJob{i, n.Addr})
		}
	}
	return jobs
}

// observeOne runs the unit's observe ops on the node in one call (transport.Do: one session),
// with the lock read last when readLocks; a run that reads no lock holds it, and observes
// with the unit's LockedObserveOps.
func (e *Engine) observeOne(ctx context.Context, units []Unit, jb observeJob, node transport.Node, readLocks bool) ([]transport.Outcome, error) {
	ops := observeOps(units[jb.unit], jb.node, !readLocks)
	if readLocks {
		ops = append(ops[:len(ops):len(ops)], lockReadOps(units[jb.unit].LockDir())...)
	}
	return transport.Do(ctx, node, ops...)
}

// collectObservations sorts the jobs' results into each unit's Observation: a node that could
// not be connected carries its connection error, one that could not be observed the error of
// its session; with readLocks the lock read at the end of each session is split off.
func collectObservations(units []Unit, jobs []observeJob, results [][]transport.Outcome, errs []error,
	conns map[addrs.Address]transport.Node, connErrs map[addrs.Address]error, readLocks bool) ([]Observation, []lockObservation) {
	obs := make([]Observation, len(units))
	for i := range units {
		obs[i] = Observation{Results: map[addrs.Address][]transport.Outcome{}, Errors: map[addrs.Address]error{}}
	}
	var locks []lockObservation
	now := time.Now() // the locks were read just now: their ages are counted from here
	for j, jb := range jobs {
		if err, bad := connErrs[jb.node]; bad {
			obs[jb.unit].Errors[jb.node] = err
			continue
		}
		if _, ok := conns[jb.node]; !ok {
			obs[jb.unit].Errors[jb.node] = fmt.Errorf("not connected")
			continue
		}
		if errs[j] == nil && len(results[j]) == 0 {
			errs[j] = fmt.Errorf("no results")
		}
		if errs[j] != nil {
			obs[jb.unit].Errors[jb.node] = fmt.Errorf("observing: %w", errs[j])
			continue
		}
		if !readLocks {
			obs[jb.unit].Results[jb.node] = results[j]
			continue
		}
		if len(results[j]) < lockReads {
			obs[jb.unit].Errors[jb.node] = fmt.Errorf("observing: %d results", len(results[j]))
			continue
		}
		last := len(results[j]) - lockReads
		obs[jb.unit].Results[jb.node] = results[j][:last:last]
		locks = append(locks, lockObservation{
			site: lockSite{addr: jb.node, node: conns[jb.node], dir: units[jb.unit].LockDir()},
			res:  results[j][last:], at: now,
		})
	}
	return obs, locks
}

func (e *Engine) parallelism() int {
	if e.Parallelism > 0 {
		return e.Parallelism
	}
	return 50
}

// selectUnits returns the units that --target selects (all when there is no target). A target
// that matches nothing is an error, like an unknown address.
func (e *Engine) selectUnits(cfg *config.Config, targets []addrs.Address) ([]Unit, error) {
	var all []Unit
	for _, p := range e.Providers {
		us, err := p.Units(cfg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name(), err)
		}
		all = append(all, us...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Addr().String() < all[j].Addr().String() })
	if len(targets) == 0 {
		return all, nil
	}
	var out []Unit
	matched := make([]bool, len(targets))
	for _, u := range all {
		sel := false
		for i, t := range targets {
			if u.Owns(t) || t.Contains(u.Addr()) {
				matched[i], sel = true, true
			}
		}
		if sel {
			out = append(out, u)
		}
	}
	for i, ok := range matched {
		if !ok {
			return nil, fmt.Errorf("--target %s matches no object of the configuration", targets[i])
		}
	}
	return out, nil
}

// narrow keeps the changes that lie inside the targets. A unit is applied as a whole (a
// clp.conf is pushed entire), so a change the targets leave out while others are applied would
// be applied anyway: that is refused as a plan error rather than done behind the user's back.
func narrow(u Unit, up UnitPlan, targets []addrs.Address) UnitPlan {
	if len(targets) == 0 {
		return up
	}
	for _, t := range targets {
		if t.Contains(u.Addr()) {
			return up // the whole unit is targeted
		}
	}
	var in, out []Change
	for _, c := range up.Changes {
		if insideAny(c.Addr, targets) {
			in = append(in, c)
		} else {
			out = append(out, c)
		}
	}
	if len(out) > 0 && len(in) > 0 {
		names := make([]string, len(out))
		for i, c := range out {
			names[i] = c.Addr.String()
		}
		up.Diagnostics = append(up.Diagnostics, Diagnostic{
			Severity: "error",
			Summary:  "Target leaves out changes that would be applied with it",
			Detail: fmt.Sprintf("%s is applied as a whole, and it also has changes outside the targets: %s. "+
				"Target %s instead, or bring those objects back in line with the nodes first.",
				u.Addr(), strings.Join(names, ", "), u.Addr()),
			Addr: u.Addr().String(),
		})
	}
	up.Changes = in
	return up
}

func insideAny(a addrs.Address, targets []addrs.Address) bool {
	for _, t := range targets {
		if t.Contains(a) {
			return true
		}
	}
	return false
}

// assemble builds the user-facing plan from the unit plans.
func assemble(cfg *config.Config, opts Options, plans []UnitPlan) *Plan {
	p := &Plan{
		FormatVersion:     FormatVersion,
		CreatedAt:         time.Now().UTC(),
		ConfigDir:         cfg.Dir,
		ConfigFingerprint: cfg.Fingerprint,
		Variables:         map[string]Value{},
		Observed:          map[string]string{},
	}
	for name, v := range cfg.Variables {
		p.Variables[name] = VariableValue(v)
	}
	for _, t := range opts.Targets {
		p.Targets = append(p.Targets, t.String())
	}
	for _, up := range plans {
		for _, c := range up.Changes {
			c.Unit = up.Unit
			p.Changes = append(p.Changes, c)
		}
		p.Diagnostics = append(p.Diagnostics, up.Diagnostics...)
		for node, fp := range up.Observed {
			p.Observed[observedKey(up.Unit, node)] = fp
		}
	}
	newSecrets(cfg.Secrets).redactPlan(p)
	redactWholeValues(p, cfg.WholeSecrets)
	for _, d := range p.Diagnostics {
		if d.Severity == "error" {
			p.Errored = true
		}
	}
	p.Sort()
	return p
}

// observedKey names a unit's fingerprint of a node in the plan. Several units may observe the
// same node (two Server-Scan hosts on one machine, a node's status files and its server group),
// so a node outside the unit's own address is keyed by both.
func observedKey(unit addrs.Address, node string) string {
	if node == unit.String() || strings.HasPrefix(node, unit.String()+".") {
		return node
	}
	return unit.String() + " on " + node
}
