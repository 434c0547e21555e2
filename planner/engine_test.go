package planner

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/local"
)

// fakeUnit is a unit whose observed state is the content of /state on each node, and whose
// plan is fixed. Apply writes the desired state to every node.
type fakeUnit struct {
	addr    addrs.Address
	nodes   []NodeRef
	owns    []addrs.Address
	changes []Change
	desired string
	failApp error
	applied int
	// release: Apply writes each node and releases its lock in one call (UnitPlan.Release).
	release bool
}

func (u *fakeUnit) Addr() addrs.Address         { return u.addr }
func (u *fakeUnit) Nodes() []NodeRef            { return u.nodes }
func (u *fakeUnit) LockDir() transport.NodePath { return "/work/lock" }
func (u *fakeUnit) Owns(a addrs.Address) bool {
	for _, o := range u.owns {
		if o.Contains(a) {
			return true
		}
	}
	return u.addr.Contains(a)
}

// fakeState is the state file the fake unit reads and writes on each node.
var fakeState = func() (s transport.ProbeSet, p transport.Probe[string]) {
	p = transport.AddProbe(&s, transport.ReadFiles{Paths: []transport.NodePath{"/state"}}, func(o transport.Outcome) (string, error) {
		if err := o.Err(); err != nil {
			return "", err
		}
		return string(o.Files[0].Data), nil
	})
	return s, p
}

func (u *fakeUnit) ObserveOps(addrs.Address) []transport.Op {
	s, _ := fakeState()
	return s.Ops()
}
func (u *fakeUnit) Plan(obs Observation) UnitPlan {
	up := UnitPlan{Unit: u.addr, Observed: map[string]string{}}
	same := true
	_, state := fakeState()
	for a, r := range obs.Results {
		got, err := state.Read(r)
		if err != nil {
			up.Diagnostics = append(up.Diagnostics, Diagnostic{Severity: SeverityError, Summary: "State unreadable", Addr: a.String(), Detail: err.Error()})
		}
		up.Observed[a.String()] = got
		same = same && got == u.desired
	}
	for a, err := range obs.Errors {
		up.Diagnostics = append(up.Diagnostics, Diagnostic{Severity: SeverityError, Summary: "Node unreachable", Addr: a.String(), Detail: err.Error()})
	}
	if !same {
		up.Changes = u.changes
	}
	return up
}
func (u *fakeUnit) Apply(ctx context.Context, up UnitPlan, conns map[addrs.Address]transport.Node, p Progress) ApplyReport {
	u.applied++
	if u.failApp != nil {
		return ApplyReport{Err: u.failApp}
	}
	var rep ApplyReport
	for a, n := range conns {
		if u.release {
			write := transport.WriteFile{Path: "/state", Data: []byte(u.desired), Mode: 0o644}
			out, err := transport.Do(ctx, n, append([]transport.Op{write}, up.Release.Ops(a)...)...)
			if err != nil || out[0].Err() != nil {
				rep.Failed = append(rep.Failed, a.String())
				continue
			}
			up.Release.Done(a, out[1:])
			rep.Changed = append(rep.Changed, a.String())
			continue
		}
		if err := n.WriteFile(ctx, "/state", []byte(u.desired), 0o644); err != nil {
			rep.Failed = append(rep.Failed, a.String())
			continue
		}
		rep.Changed = append(rep.Changed, a.String())
	}
	return rep
}

type fakeProvider struct{ units []Unit }

func (p fakeProvider) Name() string                         { return "fake" }
func (p fakeProvider) Units(*config.Config) ([]Unit, error) { return p.units, nil }

// localConnector connects to local shell nodes; a name in down is unreachable.
type localConnector struct {
	nodes map[addrs.Address]*local.Node
	down  map[addrs.Address]bool
}

func (c localConnector) Connect(_ context.Context, refs []NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	conns, errs := map[addrs.Address]transport.Node{}, map[addrs.Address]error{}
	for _, r := range refs {
		if c.down[r.Addr] {
			errs[r.Addr] = errors.New("connection refused")
			continue
		}
		conns[r.Addr] = c.nodes[r.Addr]
	}
	return conns, errs
}

type lab struct {
	conn  localConnector
	units map[string]*fakeUnit
}

// newLab makes units "a" and "b" of two local nodes each.
func newLab(t *testing.T) *lab {
	t.Helper()
	l := &lab{conn: localConnector{nodes: map[addrs.Address]*local.Node{}, down: map[addrs.Address]bool{}}, units: map[string]*fakeUnit{}}
	for _, name := range []string{"a", "b"} {
		u := &fakeUnit{addr: addrs.Cluster(name), desired: "v2", owns: []addrs.Address{addrs.Group(name + "g")},
			changes: []Change{{Addr: addrs.Group(name + "g"), Action: Update}}}
		for _, n := range []string{"n1", "n2"} {
			a := addrs.ClusterNode(name, n)
			node, err := local.New(a.String(), filepath.Join(t.TempDir(), name+n))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(node.Root, "state"), []byte("v1"), 0o644)
			l.conn.nodes[a] = node
			u.nodes = append(u.nodes, NodeRef{Addr: a})
		}
		l.units[name] = u
	}
	return l
}

func (l *lab) engine() *Engine {
	return &Engine{Providers: []Provider{fakeProvider{units: []Unit{l.units["b"], l.units["a"]}}}, Connector: l.conn}
}

func TestPlanSelectsTargets(t *testing.T) {
	cases := map[string]struct {
		targets []string
		want    []string
		err     string
	}{
		"all":              {want: []string{"cluster.a", "cluster.b"}},
		"one cluster":      {targets: []string{"cluster.b"}, want: []string{"cluster.b"}},
		"an owned group":   {targets: []string{"group.ag"}, want: []string{"cluster.a"}},
		"a node of a unit": {targets: []string{"cluster.a.node.n2"}}, // its cluster is observed; only the node's own changes are kept
		"unknown target":   {targets: []string{"group.zz"}, err: "matches no object"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var targets []addrs.Address
			for _, s := range tc.targets {
				a, err := addrs.Parse(s)
				if err != nil {
					t.Fatal(err)
				}
				targets = append(targets, a)
			}
			run, err := newLab(t).engine().Plan(context.Background(), &config.Config{}, Options{Targets: targets})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range run.Plan.Changes {
				got = append(got, strings.TrimSuffix(strings.Replace(c.Addr.String(), "group.", "cluster.", 1), "g"))
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("planned %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNarrowTargetRefusesChangesLeftOut(t *testing.T) {
	l := newLab(t)
	l.units["a"].changes = []Change{{Addr: addrs.Group("ag"), Action: Update}, {Addr: addrs.Cluster("a"), Action: Update}}
	run, err := l.engine().Plan(context.Background(), &config.Config{}, Options{Targets: []addrs.Address{addrs.Group("ag")}})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Plan.Errored || len(run.Plan.Diagnostics) != 1 || !strings.Contains(run.Plan.Diagnostics[0].Detail, "cluster.a") {
		t.Fatalf("want one error naming cluster.a, got %+v", run.Plan.Diagnostics)
	}
}

func TestObserveUsesOneSessionPerNode(t *testing.T) {
	l := newLab(t)
	if _, err := l.engine().Plan(context.Background(), &config.Config{}, Options{}); err != nil {
		t.Fatal(err)
	}
	for a, n := range l.conn.nodes {
		if n.Stats() != 1 {
			t.Errorf("%s: %d sessions, want 1", a, n.Stats())
		}
	}
}

func TestApplyConvergesAndReleasesLock(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan, Operation: "test"})
	if out.Err != nil {
		t.Fatal(out.Err)
	}
	for a, n := range l.conn.nodes {
		if b, _ := os.ReadFile(filepath.Join(n.Root, "state")); string(b) != "v2" {
			t.Errorf("%s holds %q after apply", a, b)
		}
		if _, err := os.Stat(filepath.Join(n.Root, "work/lock")); !os.IsNotExist(err) {
			t.Errorf("%s: lock left behind (%v)", a, err)
		}
	}
	again, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Plan.HasChanges() {
		t.Errorf("plan after apply has changes: %+v", again.Plan.Changes)
	}
}

// An apply planned under the lock (Options.Lock) holds every node's lock from before it
// observes, applies without observing again, and releases the lock when Apply returns.
func TestPlanUnderLockObservesOnce(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{Lock: &LockRequest{Operation: "apply"}})
	if err != nil {
		t.Fatal(err)
	}
	sessions := map[addrs.Address]int{}
	for a, n := range l.conn.nodes {
		if _, err := os.Stat(filepath.Join(n.Root, "work/lock")); err != nil {
			t.Errorf("%s: not locked while planning for apply (%v)", a, err)
		}
		// The lock is taken and the node observed in one session.
		if n.Stats() != 1 {
			t.Errorf("%s: planning under the lock used %d sessions, want 1 (lock and observe)", a, n.Stats())
		}
		sessions[a] = n.Stats()
	}
	if out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan}); out.Err != nil {
		t.Fatal(out.Err)
	}
	for a, n := range l.conn.nodes {
		if _, err := os.Stat(filepath.Join(n.Root, "work/lock")); !os.IsNotExist(err) {
			t.Errorf("%s: lock left behind (%v)", a, err)
		}
		// Apply's own sessions: the unit's apply (one) and the release of the lock (one: it is
		// removed only if it still holds this run's record, compared on the node); no second
		// observation.
		if d := n.Stats() - sessions[a]; d != 2 {
			t.Errorf("%s: apply used %d sessions, want 2 (apply, unlock)", a, d)
		}
	}
	run.Unlock() // again: a no-op
}

// A unit that releases the lock in its own last call on each node (UnitPlan.Release) needs no
// release when Apply ends: the whole apply is one session per node, and no lock is left.
func TestUnitReleasesTheLockInItsLastCall(t *testing.T) {
	l := newLab(t)
	l.units["a"].release, l.units["b"].release = true, true
	eng := l.engine()
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{Lock: &LockRequest{Operation: "apply"}})
	if err != nil {
		t.Fatal(err)
	}
	sessions := map[addrs.Address]int{}
	for a, n := range l.conn.nodes {
		sessions[a] = n.Stats()
	}
	if out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan}); out.Err != nil {
		t.Fatal(out.Err)
	}
	for a, n := range l.conn.nodes {
		if _, err := os.Stat(filepath.Join(n.Root, "work/lock")); !os.IsNotExist(err) {
			t.Errorf("%s: lock left behind (%v)", a, err)
		}
		if d := n.Stats() - sessions[a]; d != 1 {
			t.Errorf("%s: apply used %d sessions, want 1 (the change and the unlock in one call)", a, d)
		}
	}
}

// A lock site two units share (the same node address and lock path) is never handed to one
// of them to release: the other may still be applied under it.
func TestReleaseOffersOnlyAUnitsOwnLocks(t *testing.T) {
	l := newLab(t)
	shared := l.units["a"].nodes[0]
	l.units["b"].nodes = append(l.units["b"].nodes, shared)
	run := &Run{units: []Unit{l.units["a"], l.units["b"]}, held: newHeldLock(NewLockInfo("apply"))}
	ra, rb := run.releaseFor(l.units["a"]), run.releaseFor(l.units["b"])
	if ra.Ops(shared.Addr) != nil || rb.Ops(shared.Addr) != nil {
		t.Errorf("the shared site %s is offered for release: %v, %v", shared.Addr, ra.Ops(shared.Addr), rb.Ops(shared.Addr))
	}
	if own := l.units["a"].nodes[1].Addr; len(ra.Ops(own)) != 1 {
		t.Errorf("a's own site %s: %v; want its release", own, ra.Ops(own))
	}
	if (&Run{units: run.units}).releaseFor(l.units["a"]) != nil {
		t.Errorf("a run that took no lock in Plan offers a release")
	}
}

// Planning under the lock fails at once, before observing anything, while another run holds
// it, and leaves no lock of its own.
func TestPlanUnderLockRefusedWhileLocked(t *testing.T) {
	l := newLab(t)
	other := NewLockInfo("apply by someone else")
	other.Host = "another-host"
	n1 := l.conn.nodes[addrs.ClusterNode("a", "n1")]
	if err := acquireLock(context.Background(), n1, "/work/lock", other); err != nil {
		t.Fatal(err)
	}
	_, err := l.engine().Plan(context.Background(), &config.Config{}, Options{Lock: &LockRequest{Operation: "apply"}})
	var locked *LockedError
	if !errors.As(err, &locked) || locked.Info.ID != other.ID {
		t.Fatalf("err = %v, want LockedError naming %s", err, other.ID)
	}
	for a, n := range l.conn.nodes {
		if a.String() != n1.NodeName {
			if _, err := os.Stat(filepath.Join(n.Root, "work/lock")); !os.IsNotExist(err) {
				t.Errorf("%s: lock left behind", a)
			}
		}
	}
}

// infoRecorder keeps the Info messages of a run.
type infoRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *infoRecorder) Step(string, string)        {}
func (r *infoRecorder) Done(string, string, error) {}
func (r *infoRecorder) Info(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, msg)
}

// With a lock timeout, planning under the lock says once whose lock it waits for, and goes on
// when that run lets go.
func TestPlanUnderLockWaitsForTheHolder(t *testing.T) {
	l := newLab(t)
	other := NewLockInfo("apply by someone else")
	other.Host = "another-host"
	n1 := l.conn.nodes[addrs.ClusterNode("a", "n1")]
	if err := acquireLock(context.Background(), n1, "/work/lock", other); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(2500 * time.Millisecond)
		releaseLock(context.Background(), n1, "/work/lock", other.ID)
	}()
	rec := &infoRecorder{}
	run, err := l.engine().Plan(context.Background(), &config.Config{}, Options{Lock: &LockRequest{Operation: "apply", Timeout: time.Minute, Progress: rec}})
	if err != nil {
		t.Fatalf("the lock was let go within the timeout: %v", err)
	}
	defer run.Unlock()
	if len(rec.msgs) != 1 || !strings.Contains(rec.msgs[0], "cluster.a.node.n1 is locked by") ||
		!strings.Contains(rec.msgs[0], other.ID) || !strings.Contains(rec.msgs[0], "waiting up to 1m0s") {
		t.Errorf("messages while waiting: %q; want one naming the node, the holder and the wait", rec.msgs)
	}
}

// What a node's session observed after its create found another run's lock is discarded: the
// plan is made from the round that took every lock, so it sees what the other run left.
func TestPlanUnderLockObservesWhatTheHolderLeft(t *testing.T) {
	l := newLab(t)
	other := NewLockInfo("apply by someone else")
	other.Host = "another-host"
	n1 := l.conn.nodes[addrs.ClusterNode("a", "n1")]
	if err := acquireLock(context.Background(), n1, "/work/lock", other); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(1500 * time.Millisecond)
		// The other run converges every node, then lets go.
		for _, n := range l.conn.nodes {
			os.WriteFile(filepath.Join(n.Root, "state"), []byte("v2"), 0o644)
		}
		releaseLock(context.Background(), n1, "/work/lock", other.ID)
	}()
	run, err := l.engine().Plan(context.Background(), &config.Config{}, Options{Lock: &LockRequest{Operation: "apply", Timeout: time.Minute}})
	if err != nil {
		t.Fatalf("the lock was let go within the timeout: %v", err)
	}
	defer run.Unlock()
	if run.Plan.HasChanges() {
		t.Errorf("plan under the lock = %+v; want no changes: the nodes were converged before the lock was let go", run.Plan.Changes)
	}
}

// After a prompt (Reobserve) a run planned under the lock observes again and refuses a plan
// the nodes no longer match.
func TestPlanUnderLockReobservesAfterPrompt(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{Lock: &LockRequest{Operation: "apply"}})
	if err != nil {
		t.Fatal(err)
	}
	approved := run.Plan
	os.WriteFile(filepath.Join(l.conn.nodes[addrs.ClusterNode("b", "n2")].Root, "state"), []byte("v1-edited"), 0o644)
	out := eng.Apply(context.Background(), run, ApplyOptions{Approved: approved, Reobserve: true})
	if !errors.Is(out.Err, ErrStalePlan) || !strings.Contains(out.Err.Error(), "cluster.b.node.n2") {
		t.Fatalf("err = %v, want a stale plan naming cluster.b.node.n2", out.Err)
	}
	for a, n := range l.conn.nodes {
		if _, err := os.Stat(filepath.Join(n.Root, "work/lock")); !os.IsNotExist(err) {
			t.Errorf("%s: lock left behind after a refused apply (%v)", a, err)
		}
	}
}

func TestApplyRefusesStalePlan(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	approved := run.Plan
	// Someone changes a node between plan and apply.
	os.WriteFile(filepath.Join(l.conn.nodes[addrs.ClusterNode("b", "n2")].Root, "state"), []byte("v1-edited"), 0o644)
	out := eng.Apply(context.Background(), run, ApplyOptions{Approved: approved})
	if !errors.Is(out.Err, ErrStalePlan) || !strings.Contains(out.Err.Error(), "cluster.b.node.n2") {
		t.Fatalf("err = %v, want a stale plan naming cluster.b.node.n2", out.Err)
	}
	if l.units["a"].applied+l.units["b"].applied != 0 {
		t.Error("a stale plan was applied")
	}
}

func TestApplyRefusesWhileLocked(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	other := NewLockInfo("apply by someone else")
	other.Host = "another-host"
	n1 := l.conn.nodes[addrs.ClusterNode("a", "n1")]
	if err := acquireLock(context.Background(), n1, "/work/lock", other); err != nil {
		t.Fatal(err)
	}
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan})
	var locked *LockedError
	if !errors.As(out.Err, &locked) || locked.Info.ID != other.ID || !strings.Contains(out.Err.Error(), "force-unlock "+other.ID) {
		t.Fatalf("err = %v, want LockedError naming %s", out.Err, other.ID)
	}
	// The run took no lock of its own on any other node, and left none behind.
	for a, n := range l.conn.nodes {
		if a.String() == n1.NodeName {
			continue
		}
		if _, err := os.Stat(filepath.Join(n.Root, "work/lock")); !os.IsNotExist(err) {
			t.Errorf("%s: lock left behind", a)
		}
	}
	n, err := eng.ForceUnlock(context.Background(), run, other.ID)
	if err != nil || n != 1 {
		t.Fatalf("ForceUnlock = %d, %v; want 1 lock removed", n, err)
	}
	if out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan}); out.Err != nil {
		t.Fatalf("apply after force-unlock: %v", out.Err)
	}
}

func TestAbandonedLockIsBroken(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	dead := NewLockInfo("killed apply")
	dead.PID = 1 << 22 // above pid_max: no such process
	n1 := l.conn.nodes[addrs.ClusterNode("b", "n1")]
	if err := acquireLock(context.Background(), n1, "/work/lock", dead); err != nil {
		t.Fatal(err)
	}
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan}); out.Err != nil {
		t.Fatalf("a lock of a dead local process should be broken: %v", out.Err)
	}
}

// Units are applied in parallel up to the engine's bound; after a failure no unit starts. With a
// bound of one that means every unit after the failed one is untouched.
func TestApplyStopsAtFirstFailedUnit(t *testing.T) {
	l := newLab(t)
	l.units["a"].failApp = errors.New("push failed")
	eng := l.engine()
	eng.Parallelism = 1
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan})
	if out.Err == nil || !strings.Contains(out.Err.Error(), "cluster.a: push failed") {
		t.Fatalf("err = %v", out.Err)
	}
	if len(out.Untouched) != 1 || out.Untouched[0] != "cluster.b" || l.units["b"].applied != 0 {
		t.Errorf("untouched = %v, b applied %d times; want cluster.b untouched", out.Untouched, l.units["b"].applied)
	}
}

func TestUnreachableNodeMakesPlanErrored(t *testing.T) {
	l := newLab(t)
	l.conn.down[addrs.ClusterNode("a", "n2")] = true
	eng := l.engine()
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Plan.Errored {
		t.Fatal("plan with an unreachable node is not errored")
	}
	if out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan}); out.Err == nil {
		t.Fatal("apply went ahead with an unreachable node")
	}
}

func TestLockInfoRecordsHolder(t *testing.T) {
	info := NewLockInfo("apply")
	b, _ := json.Marshal(info)
	for _, k := range []string{`"id"`, `"holder"`, `"host"`, `"pid"`, `"created"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("lock info lacks %s: %s", k, b)
		}
	}
}

func TestObservedKeysDoNotCollide(t *testing.T) {
	plans := []UnitPlan{
		{Unit: addrs.ServerScan("a"), Observed: map[string]string{"node.mail": "fp-a"}},
		{Unit: addrs.ServerScan("b"), Observed: map[string]string{"node.mail": "fp-b"}},
		{Unit: addrs.Cluster("web"), Observed: map[string]string{"cluster.web.node.sv1": "fp-c"}},
		{Unit: addrs.Node("objsv"), Observed: map[string]string{"node.objsv": "fp-d"}},
	}
	got := assemble(&config.Config{}, Options{}, plans).Observed
	want := map[string]string{
		"server_scan.a on node.mail": "fp-a", "server_scan.b on node.mail": "fp-b",
		"cluster.web.node.sv1": "fp-c", "node.objsv": "fp-d",
	}
	if len(got) != len(want) {
		t.Fatalf("observed = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("observed[%q] = %q, want %q", k, got[k], v)
		}
	}
}

// Releasing removes only the lock file this run created: one that force-unlock removed and
// another run took since (another record at the same path) stays.
func TestReleaseKeepsALockTakenSince(t *testing.T) {
	l := newLab(t)
	run, err := l.engine().Plan(context.Background(), &config.Config{}, Options{Lock: &LockRequest{Operation: "apply"}})
	if err != nil {
		t.Fatal(err)
	}
	n1 := nodeA1(l)
	other := NewLockInfo("apply by someone else")
	data, _ := json.Marshal(other)
	if err := os.WriteFile(lockPathOf(n1), data, 0o644); err != nil {
		t.Fatal(err)
	}
	run.Unlock()
	got, err := os.ReadFile(lockPathOf(n1))
	if err != nil || string(got) != string(data) {
		t.Errorf("the other run's lock after our release: %q, %v; want it kept", got, err)
	}
	for a, n := range l.conn.nodes {
		if n != n1 {
			if _, err := os.Stat(lockPathOf(n)); !os.IsNotExist(err) {
				t.Errorf("%s: our lock left behind (%v)", a, err)
			}
		}
	}
}
