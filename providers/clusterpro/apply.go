package clusterpro

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// keepBackups is how many previous configuration directories each node keeps.
const keepBackups = 10

// Apply carries out the plan's decision: back up, stage, run the vendor sequence on the master
// node, then read every node again. The report says, node by node, what changed.
func (u *unit) Apply(ctx context.Context, up planner.UnitPlan, conns map[addrs.Address]transport.Node, p planner.Progress) planner.ApplyReport {
	st, ok := up.State.(*unitState)
	if !ok || st == nil {
		return planner.ApplyReport{}
	}
	if len(st.unknown) > 0 {
		// Pushing to a cluster that may run, without suspending it, is what must never happen.
		return planner.ApplyReport{Err: fmt.Errorf("the cluster's run state is unknown on %s (clpstat does not show it readably): nothing was changed; check the cluster, or pass --assume-running to suspend it before the push and resume it after", nodeList(st.unknown))}
	}
	err := u.run(ctx, st, conns, p)
	if err != nil && ctx.Err() == nil && st.seq != seqCreate {
		// Whatever step failed, a node the sequence left suspended is resumed, so the cluster
		// keeps running (its previous configuration when the push did not happen).
		u.resumeSuspended(ctx, conns, p)
	}
	// Each node's lock is released in this run's last call on it (up.Release): verify's
	// reading, and on the master the unstaging that follows a successful apply (when the
	// sequence stopped there is none: the master's goes with verify's reading too).
	rep, where := u.verify(ctx, st, conns, p, err != nil, up.Release)
	if (err != nil || len(rep.Failed) > 0) && p != nil {
		// Say exactly where every node stands, so the operator knows what the next run finds.
		for _, line := range where {
			p.Info(line)
		}
	}
	if err != nil {
		rep.Err = err
	} else if len(rep.Failed) > 0 {
		rep.Err = fmt.Errorf("after apply, %s do not hold the new configuration or are left suspended", strings.Join(rep.Failed, ", "))
	} else {
		u.unstage(ctx, conns[st.master], st.master, p, up.Release)
	}
	return rep
}

// vendorTimeout is how long a vendor command of the sequence may run, however short the
// node's command timeout: clpcl --suspend, --resume, -s and -r and clpcfctrl --push wait for
// every server of the cluster, which takes minutes on a busy one. Cutting one short would leave
// the cluster half-way (suspended, or pushed to some servers only). See docs/timeouts.md.
const vendorTimeout = 30 * time.Minute

// vendorSteps returns steps allowed to run for vendorTimeout.
func vendorSteps(steps []step) []step {
	out := make([]step, len(steps))
	for i, s := range steps {
		s.ops = slices.Clone(s.ops)
		for j, op := range s.ops {
			if c, ok := op.(transport.Command); ok {
				s.ops[j] = c.WithTimeout(vendorTimeout)
			}
		}
		out[i] = s
	}
	return out
}

// stepError marks a failed vendor step, so Apply knows how far the sequence got.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

// resumeSuspended resumes the cluster when a node holds the tool's suspension record. It is the
// recovery after a failed or interrupted sequence: a suspend may half-succeed ("A request to
// suspend cluster failed on some servers", EXPRESSCLUSTER/AlertMessages), and the cluster must
// keep running. The resume acts on the whole cluster, once; the other records it covered are
// removed.
func (u *unit) resumeSuspended(ctx context.Context, conns map[addrs.Address]transport.Node, p planner.Progress) {
	var marked []addrs.Address
	for _, n := range u.c.Nodes {
		node, ok := conns[n.Addr]
		if !ok {
			continue
		}
		r, err := u.l.readClpstatNow(ctx, node)
		if err == nil && r.marked {
			marked = append(marked, n.Addr)
		}
	}
	if len(marked) == 0 {
		return
	}
	// Best effort: a resume that fails is reported by its progress line and by the plan that
	// follows, which shows the cluster still suspended. clpstat is no proof that a failed
	// resume resumed the cluster (no public source shows how it displays a suspended one), so
	// the record stays and the next plan resumes again.
	resume := step{name: "resume the cluster after the failure", node: marked[0], ops: u.l.resume(), shell: u.shellOf(marked[0])}
	if u.do(ctx, conns[marked[0]], marked[0], vendorSteps([]step{resume})[0], p) != nil {
		return
	}
	for _, n := range marked[1:] {
		_ = u.do(ctx, conns[n], n, step{name: "remove the suspension record the resume covered", node: n, ops: u.l.forget()}, p)
	}
}

func (u *unit) run(ctx context.Context, st *unitState, conns map[addrs.Address]transport.Node, p planner.Progress) error {
	master := conns[st.master]
	if master == nil {
		return fmt.Errorf("%s is not connected", st.master)
	}
	if st.seq != seqResume { // a resume changes no file
		if planner.StopRequested(ctx) {
			return &stepError{"back up", planner.ErrInterrupted}
		}
		// Every node is backed up at once; the first failure (in node order) stops the run.
		// The master writes the configuration directory in the same call as its backup, one
		// session fewer: staging runs only after the master's backup succeeded (the ops run in
		// order), and it changes nothing the cluster reads (only the staged directory): the
		// vendor sequence, which does, still starts only after EVERY node's backup succeeded.
		id := newRunID(time.Now())
		errs := make([]error, len(st.backup))
		staged := make(chan error, 1)
		var wg sync.WaitGroup
		for i, n := range st.backup {
			var then []step
			if n == st.master {
				then = []step{stageStep(u.l, st)}
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				var stageErr error
				var look *backupLook
				if l, ok := st.looks[n]; ok {
					look = &l
				}
				errs[i], stageErr = u.backupLookedThen(ctx, conns[n], n, id, look, then, p)
				if then != nil {
					staged <- stageErr
				}
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return &stepError{"back up", err}
		}
		select {
		case err := <-staged: // staged with the master's backup, which succeeded
			if err != nil {
				return &stepError{"stage", err}
			}
		default:
			if err := u.stage(ctx, master, st, p); err != nil {
				return &stepError{"stage", err}
			}
		}
	}
	for _, s := range vendorSteps(st.steps) {
		if planner.StopRequested(ctx) {
			return &stepError{s.name, fmt.Errorf("%w before this step", planner.ErrInterrupted)}
		}
		node := conns[s.node]
		if node == nil {
			return &stepError{s.name, fmt.Errorf("%s is not connected", s.node)}
		}
		if err := u.do(ctx, node, s.node, s, p); err != nil {
			return &stepError{s.name, err}
		}
	}
	return nil
}

// runIDSeq numbers the run IDs this process makes, to tell apart two made at the same instant.
var runIDSeq atomic.Uint32

// newRunID names one apply's backups: the UTC time to the second, then eight hex digits, the
// microseconds within that second (five) and this process's sequence number (three), so that
// two applies in the same second never share a backup directory and names sort in the order
// the runs began, within a second too (rollback's "latest" and retention go by that order).
func newRunID(now time.Time) string {
	seq := runIDSeq.Add(1) & 0xfff
	return now.UTC().Format("20060102T150405Z") + fmt.Sprintf("-%05x%03x", now.Nanosecond()/1000, seq)
}

// partialPrefix names a backup being copied: ".partial-ID", renamed to ID once whole.
const partialPrefix = ".partial-"

// backupLookedThen copies the installed configuration aside under the run's ID and prunes old
// copies, in typed ops (every dialect runs them). Its guarantees, each kept by the ops' own rules:
//   - Every backup that carries a name is whole: the copy is made under ".partial-ID" (CopyTree
//     syncs what it copies before it succeeds) and only then renamed to ID (Rename syncs the
//     backup directory). A killed run leaves at most a hidden ".partial-" directory, which the
//     next backup removes and which never counts as a backup.
//   - A backup is never mixed into another: Rename refuses a directory onto an existing name,
//     so the same ID twice fails instead of merging.
//   - Pruning never removes the newest backup, nor the one just made: it runs only after that
//     rename succeeded (the ops run in order, each only after the one before succeeded), keeps
//     the keepBackups newest whole backups by name (IDs start with the UTC time) and never names
//     runID. It goes by the listing read just before, so it removes nothing it did not see.
//   - No clp.conf installed: nothing to back up (a node with scripts only is left as it is).
//
// then (the master's staging) follows in the same call, run only when the backup succeeded,
// and by itself when there is nothing to back up; thenErr is its error. look is the backup's
// look read with the observation, under the lock; a nil look is read first, in a call of its
// own.
func (u *unit) backupLookedThen(ctx context.Context, node transport.Node, n addrs.Address, runID string, look *backupLook, then []step, p planner.Progress) (backupErr, thenErr error) {
	const name = "back up the installed configuration"
	if look == nil {
		read, err := u.readBackupLookNow(ctx, node)
		if err != nil {
			if p != nil {
				p.Step(n.String(), name)
				p.Done(n.String(), name, err)
			}
			return err, nil
		}
		look = &read
	}
	if !look.conf {
		_, err := u.doSteps(ctx, node, n, then, p)
		return nil, err
	}
	steps := append([]step{{name: name, node: n, ops: backupOps(u.l, runID, look.scripts, look.entries)}}, then...)
	at, err := u.doSteps(ctx, node, n, steps, p)
	if err != nil && at > 0 {
		return nil, err
	}
	return err, nil
}

// readBackupLookNow reads the backup's look on node, in a call of its own.
func (u *unit) readBackupLookNow(ctx context.Context, node transport.Node) (backupLook, error) {
	var o nodeProbes
	o.addBackupLook(u.l)
	res, err := transport.Do(ctx, node, o.set.Ops()...)
	if err != nil {
		return backupLook{}, err
	}
	return o.backupLookOf(res)
}

// backupOps are backup's ops, given whether scripts/ is installed and the backup directory's
// entries as listed: remove leftovers, copy, rename into place, prune.
func backupOps(l layout, runID string, scripts bool, entries []transport.DirEntry) []transport.Op {
	dir := l.backups()
	partial := dir.Join(partialPrefix + runID)
	var ops []transport.Op
	var whole []string
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name, partialPrefix):
			ops = append(ops, transport.Remove{Path: dir.Join(e.Name), Recursive: true})
		case e.Dir && !strings.HasPrefix(e.Name, ".") && e.Name != runID:
			whole = append(whole, e.Name)
		}
	}
	ops = append(ops, transport.CopyTree{From: l.conf(), To: partial.Join("etc", "clp.conf")})
	if scripts {
		ops = append(ops, transport.CopyTree{From: l.install.Join("scripts"), To: partial.Join("scripts")})
	}
	ops = append(ops, transport.Rename{From: partial, To: dir.Join(runID)})
	for _, old := range pruned(whole, runID) {
		ops = append(ops, transport.Remove{Path: dir.Join(old), Recursive: true})
	}
	return ops
}

// pruned lists the backups to remove once runID is made: all but the keepBackups newest of
// existing and runID together, runID itself never.
func pruned(existing []string, runID string) []string {
	all := append(slices.Clone(existing), runID)
	slices.Sort(all)
	slices.Reverse(all)
	if len(all) <= keepBackups {
		return nil
	}
	var out []string
	for _, id := range all[keepBackups:] {
		if id != runID {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// stageStep writes the configuration directory on the master node, in typed ops run in order
// (each only after the one before succeeded), so that the directory clpcfctrl reads is always
// whole: a leftover "staged.tmp" of an interrupted run is removed, the files are written into a
// new "staged.tmp" by one WriteTree (complete and synced when it succeeds; not each replaced
// atomically, which a directory nobody reads yet does not need), then the old "staged" is
// removed and "staged.tmp" renamed to it (Rename refuses a directory onto an existing name, so
// the removal comes first; Rename syncs the work directory). Interrupted before the removal,
// the old staged directory is left as it was; between the removal and the rename, there is none
// (never a partial one), and the vendor sequence, which runs only after staging succeeded, does
// not start.
func (u *unit) stage(ctx context.Context, node transport.Node, st *unitState, p planner.Progress) error {
	return u.do(ctx, node, st.master, stageStep(u.l, st), p)
}

// stageStep is stage's step, for a call that runs it after another (the master's backup).
func stageStep(l layout, st *unitState) step {
	return step{name: "write the configuration directory", node: st.master, ops: stageOps(l, st.files)}
}

// stageOps are stage's ops for the configuration directory files (slash paths).
func stageOps(l layout, files map[string][]byte) []transport.Op {
	d := l.staged()
	tmp := transport.NodePath(string(d) + ".tmp")
	tree := transport.WriteTree{Dir: tmp}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		mode := fs.FileMode(0o644)
		if strings.HasPrefix(name, "scripts/") && !l.windows {
			mode = 0o755
		}
		tree.Files = append(tree.Files, transport.TreeFile{Path: name, Data: files[name], Mode: mode})
	}
	return []transport.Op{transport.Remove{Path: tmp, Recursive: true}, tree, transport.Remove{Path: d, Recursive: true}, transport.Rename{From: tmp, To: d}}
}

// unstage removes the staged configuration directory once every node holds it, and in the same
// call releases the run's lock on the node (release: the last thing this run does there). A
// failure to remove it is reported, not fatal: the configuration is applied.
func (u *unit) unstage(ctx context.Context, node transport.Node, n addrs.Address, p planner.Progress, release *planner.Release) {
	if node == nil {
		return
	}
	s := step{name: "remove the staged configuration directory", node: n, ops: []transport.Op{transport.Remove{Path: u.l.staged(), Recursive: true}}}
	if p != nil {
		p.Step(n.String(), s.name)
	}
	unlock := release.Ops(n)
	outs, err := transport.Do(ctx, node, append(slices.Clone(s.ops), unlock...)...)
	if err == nil {
		release.Done(n, outs[len(s.ops):])
		err = stepFailure(s, outs[:len(s.ops)])
	}
	if p != nil {
		p.Done(n.String(), s.name, err)
	}
	if err != nil && p != nil {
		p.Info(fmt.Sprintf("%s: the staged configuration directory %s was left behind: %v", n, u.l.staged(), err))
	}
}

// do runs one step on a node and reports it; a non-zero exit is an error quoting the output.
func (u *unit) do(ctx context.Context, node transport.Node, n addrs.Address, s step, p planner.Progress) error {
	_, err := u.doSteps(ctx, node, n, []step{s}, p)
	return err
}

// doSteps runs steps on one node in ONE call (one session on a POSIX node), saving a round trip
// per step: all their ops run in order, each only after every op before it succeeded, so a
// step runs only when the steps before it succeeded, exactly as when each step was its own call
// after the previous one returned without error. Each step is reported in order; the first
// that fails is the error, with its index, and the steps after it are not reported (they did
// not run).
func (u *unit) doSteps(ctx context.Context, node transport.Node, n addrs.Address, steps []step, p planner.Progress) (int, error) {
	if len(steps) == 0 {
		return 0, nil
	}
	if p != nil {
		p.Step(n.String(), steps[0].name)
	}
	var ops []transport.Op
	for _, s := range steps {
		ops = append(ops, s.ops...)
	}
	outs, err := transport.DoInOrder(ctx, node, ops...)
	for i, s := range steps {
		if i > 0 && p != nil {
			p.Step(n.String(), s.name)
		}
		if err == nil {
			err = stepFailure(s, outs[:len(s.ops)])
			outs = outs[len(s.ops):]
		}
		if p != nil {
			p.Done(n.String(), s.name, err)
		}
		if err != nil {
			return i, err
		}
	}
	return 0, nil
}

// stepFailure is the error of a step's outcomes: a non-zero exit quotes the output.
func stepFailure(s step, outs []transport.Outcome) error {
	var err error
	for _, o := range outs {
		if o.OK() || (err != nil && o.Skipped()) {
			continue // the first failure says why; the ops it stopped only say "not run"
		}
		if _, isCmd := o.Op.(transport.Command); isCmd {
			out := strings.TrimSpace(string(o.Stderr) + "\n" + string(o.Stdout))
			err = fmt.Errorf("%s exited with status %d: %s", s.shown(), o.ExitCode, out)
		} else {
			err = o.Err()
		}
	}
	return err
}

// verify reads every node again and sorts them by outcome. stopped: the sequence stopped early
// (interrupt or failure), so a running node with its previous configuration was kept, not
// failed. Besides the report it returns one line per node saying which configuration it holds
// and whether the cluster runs there. Each node's reading also releases the run's lock there
// (release), after the reading, in the same call: but the master's when the sequence did not
// stop, which goes with its unstaging.
func (u *unit) verify(ctx context.Context, st *unitState, conns map[addrs.Address]transport.Node, p planner.Progress, stopped bool, release *planner.Release) (planner.ApplyReport, []string) {
	var rep planner.ApplyReport
	var where []string
	if p != nil {
		p.Step(u.c.Addr.String(), "verify every node")
	}
	// Every node is read at once: one round trip for the cluster, not one per node.
	type reading struct {
		now *nodeState
		err error
	}
	readings := make([]reading, len(u.c.Nodes))
	decoder := newNodeDecoder(u.c.Name, u.desired)
	var wg sync.WaitGroup
	for i, n := range u.c.Nodes {
		node, ok := conns[n.Addr]
		if !ok {
			readings[i].err = errors.New("not connected")
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			obs := u.readProbes()
			ops := obs.set.Ops()
			var unlock []transport.Op
			if n.Addr != st.master || stopped {
				unlock = release.Ops(n.Addr)
			}
			res, err := transport.Do(ctx, node, append(slices.Clone(ops), unlock...)...)
			if err == nil {
				release.Done(n.Addr, res[len(ops):])
				readings[i].now, err = decoder.decode(obs, res[:len(ops)])
			}
			readings[i].err = err
		}()
	}
	wg.Wait()
	for i, n := range u.c.Nodes {
		now, err := readings[i].now, readings[i].err
		where = append(where, nodeStanding(n.Addr, now, st, err))
		switch {
		case err != nil || now.run == stateSuspended:
			// A node left suspended has not taken the change either: the plan that follows
			// shows its resume.
			rep.Failed = append(rep.Failed, n.Addr.String())
		case now.fp == st.desired && st.held(n.Addr):
			rep.Unchanged = append(rep.Unchanged, n.Addr.String())
		case now.fp == st.desired:
			rep.Changed = append(rep.Changed, n.Addr.String())
		case stopped && now.fp == st.previous[n.Addr]:
			// The sequence stopped before the push reached it, and it runs again: not failed.
			rep.Kept = append(rep.Kept, n.Addr.String())
		default:
			rep.Failed = append(rep.Failed, n.Addr.String())
		}
	}
	if p != nil {
		var err error
		if len(rep.Failed) > 0 {
			err = fmt.Errorf("%d node(s) do not hold the new configuration", len(rep.Failed))
		}
		p.Done(u.c.Addr.String(), "verify every node", err)
	}
	return rep, where
}

// nodeStanding says which configuration a node holds after an apply and its cluster state.
func nodeStanding(n addrs.Address, now *nodeState, st *unitState, err error) string {
	if err != nil {
		return fmt.Sprintf("%s: could not be read: %v", n, err)
	}
	conf := "a configuration that is neither the previous nor the new one"
	switch {
	case now.fp == st.desired:
		conf = "the new configuration"
	case now.fp == st.previous[n]:
		conf = "its previous configuration"
	}
	return fmt.Sprintf("%s: holds %s; cluster %s", n, conf, now.run)
}
