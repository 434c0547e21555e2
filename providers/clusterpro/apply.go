package clusterpro

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
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
	rep, where := u.verify(ctx, st, conns, p, err != nil)
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
		u.unstage(ctx, conns[st.master], st.master, p)
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
		res, err := node.Run(ctx, u.l.observeStat())
		if err == nil && suspensionRecorded(res.Stderr) {
			marked = append(marked, n.Addr)
		}
	}
	if len(marked) == 0 {
		return
	}
	// Best effort: a resume that fails is reported by its progress line and by the plan that
	// follows, which shows the cluster still suspended.
	resume := step{name: "resume the cluster after the failure", node: marked[0], ops: u.l.resume(), resume: true}
	if u.do(ctx, conns[marked[0]], marked[0], vendorSteps([]step{resume})[0], p) != nil && !u.resumeFailed(ctx, conns[marked[0]], marked[0], p) {
		return
	}
	for _, n := range marked[1:] {
		_ = u.do(ctx, conns[n], n, step{name: "remove the suspension record the resume covered", node: n, ops: u.l.forget()}, p)
	}
}

// resumeFailed looks into a resume of the whole cluster that exited non-zero: a resume that
// failed on one server may still have resumed the others, and one that failed to report may
// have resumed all. When clpstat on n shows every server Online (the state every public
// sample of a running cluster shows), the cluster runs: the suspension record is removed and
// the resume counts as done. Otherwise the record stays, and the plan that follows shows the
// cluster still suspended.
func (u *unit) resumeFailed(ctx context.Context, node transport.Node, n addrs.Address, p planner.Progress) bool {
	res, err := node.Run(ctx, u.l.stat())
	if err != nil {
		return false
	}
	st, err := ParseStatus(res)
	if err != nil || len(st.Servers) == 0 {
		return false
	}
	for _, s := range st.Servers {
		if localState(s.Status) != stateRunning {
			return false
		}
	}
	if u.do(ctx, node, n, step{name: "remove the suspension record: clpstat shows every server Online", node: n, ops: u.l.forget()}, p) != nil {
		return false
	}
	return true
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
		id := newRunID(time.Now())
		errs := make([]error, len(st.backup))
		var wg sync.WaitGroup
		for i, n := range st.backup {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = u.backup(ctx, conns[n], n, id, p)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return &stepError{"back up", err}
		}
		if err := u.stage(ctx, master, st, p); err != nil {
			return &stepError{"stage", err}
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
		if err := u.do(ctx, node, s.node, s, p); err != nil && !(s.resume && u.resumeFailed(ctx, node, s.node, p)) {
			return &stepError{s.name, err}
		}
	}
	return nil
}

// newRunID names one apply's backups: the UTC time, then a random suffix, so that two applies
// in the same second never share a backup directory, and names still sort by time.
func newRunID(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// syncTree makes a directory tree durable: every file and directory in it is synced (GNU sync
// with arguments; where sync takes none, the whole system is). It expects the tree in $1.
const syncTree = `find "$1" -exec sync -- {} + 2>/dev/null || sync`

// backup copies the installed configuration aside under the run's ID and prunes old copies (a
// POSIX-only command: pruning lists the backups, which no op does yet). The
// copy is made in a hidden directory, synced, and renamed to its name, so every backup that
// carries a name is whole; hidden leftovers of killed runs are removed, and only whole backups
// count towards keepBackups.
func (u *unit) backup(ctx context.Context, node transport.Node, n addrs.Address, runID string, p planner.Progress) error {
	// Few processes: on a busy node process starts are what this costs. Old backups are
	// pruned oldest first by glob order (names start with the UTC time), with no ls or sort.
	const script = `set -e
[ -f "$1/etc/clp.conf" ] || exit 0
b="$2/$3"
t="$2/.partial-$3"
for old in "$2"/.partial-*; do
	if [ -e "$old" ]; then rm -rf -- "$old"; fi
done
if [ -e "$b" ]; then echo "cluster: the backup $b already exists" >&2; exit 1; fi
mkdir -p "$t/etc"
cp -p "$1/etc/clp.conf" "$t/etc/clp.conf"
if [ -d "$1/scripts" ]; then cp -Rp "$1/scripts" "$t/scripts"; fi
keep=$4
set -- "$t" "$2" "$b"
` + syncTree + `
mv -- "$1" "$3"
sync -- "$2" 2>/dev/null || sync
set -- "$2"/*
while [ $# -gt "$keep" ]; do rm -rf -- "$1"; shift; done`
	return u.do(ctx, node, n, cmdStep("back up the installed configuration", n, transport.Shell(script, u.l.install, u.l.backups(), runID, fmt.Sprint(keepBackups))), p)
}

// stage writes the configuration directory on the master node. It is unpacked beside its final
// place, synced, and renamed in, so the directory clpcfctrl reads is always whole (a POSIX-only
// command: no op renames a directory yet).
func (u *unit) stage(ctx context.Context, node transport.Node, st *unitState, p planner.Progress) error {
	data, err := tarDir(st.files, u.l.windows)
	if err != nil {
		return err
	}
	const script = `set -e
d="$1"
rm -rf "$d.tmp"
mkdir -p "$d.tmp"
tar -xf - -C "$d.tmp"
set -- "$d.tmp"
` + syncTree + `
rm -rf "$d"
mv "$d.tmp" "$d"
sync -- "$(dirname "$d")" 2>/dev/null || sync`
	return u.do(ctx, node, st.master, cmdStep("write the configuration directory", st.master,
		transport.Shell(script, u.l.staged()).WithStdin(data)), p)
}

// unstage removes the staged configuration directory once every node holds it. A failure to
// remove it is reported, not fatal: the configuration is applied.
func (u *unit) unstage(ctx context.Context, node transport.Node, n addrs.Address, p planner.Progress) {
	if node == nil {
		return
	}
	err := u.do(ctx, node, n, step{name: "remove the staged configuration directory", node: n, ops: []transport.Op{transport.Remove{Path: u.l.staged(), Recursive: true}}}, p)
	if err != nil && p != nil {
		p.Info(fmt.Sprintf("%s: the staged configuration directory %s was left behind: %v", n, u.l.staged().Posix(), err))
	}
}

// do runs one step on a node and reports it; a non-zero exit is an error quoting the output.
func (u *unit) do(ctx context.Context, node transport.Node, n addrs.Address, s step, p planner.Progress) error {
	if p != nil {
		p.Step(n.String(), s.name)
	}
	outs, err := transport.DoInOrder(ctx, node, s.ops...)
	for _, o := range outs {
		if err != nil || o.OK() {
			continue
		}
		if _, isCmd := o.Op.(transport.Command); isCmd {
			out := strings.TrimSpace(string(o.Stderr) + "\n" + string(o.Stdout))
			err = fmt.Errorf("%s exited with status %d: %s", s.shown(), o.ExitCode, out)
		} else {
			err = o.Err()
		}
	}
	if p != nil {
		p.Done(n.String(), s.name, err)
	}
	return err
}

// verify reads every node again and sorts them by outcome. stopped: the sequence stopped early
// (interrupt or failure), so a running node with its previous configuration was kept, not
// failed. Besides the report it returns one line per node saying which configuration it holds
// and whether the cluster runs there.
func (u *unit) verify(ctx context.Context, st *unitState, conns map[addrs.Address]transport.Node, p planner.Progress, stopped bool) (planner.ApplyReport, []string) {
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
	decoder := newNodeDecoder(u.c.Name, NamesOf(u.c), u.desired)
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
			res, err := transport.Do(ctx, node, obs.set.Ops()...)
			if err == nil {
				readings[i].now, err = decoder.decode(obs, res)
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

// tarDir packs the configuration directory; scripts are executable.
func tarDir(files map[string][]byte, windows bool) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dirs := map[string]bool{}
	for _, n := range names {
		for d := parentDir(n); d != "" && !dirs[d]; d = parentDir(d) {
			dirs[d] = true
		}
	}
	dirNames := make([]string, 0, len(dirs))
	for d := range dirs {
		dirNames = append(dirNames, d)
	}
	sort.Strings(dirNames)
	for _, d := range dirNames {
		if err := tw.WriteHeader(&tar.Header{Name: d + "/", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
			return nil, err
		}
	}
	for _, n := range names {
		mode := int64(0o644)
		if strings.HasPrefix(n, "scripts/") && !windows {
			mode = 0o755
		}
		if err := tw.WriteHeader(&tar.Header{Name: n, Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(files[n]))}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(files[n]); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func parentDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return ""
}
