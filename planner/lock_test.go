package planner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// fakeHost lays out a root with a machine-id, a boot id, the host name "same-name", the PID
// namespace hostPIDNamespace and processes, and makes it this process's host for the test.
type fakeHost struct {
	t    *testing.T
	root string
}

func newFakeHost(t *testing.T, machineID, bootID string) *fakeHost {
	t.Helper()
	h := &fakeHost{t: t, root: t.TempDir()}
	h.write("etc/machine-id", machineID+"\n")
	h.write("proc/sys/kernel/random/boot_id", bootID+"\n")
	h.write("proc/sys/kernel/hostname", "same-name\n")
	if err := os.MkdirAll(filepath.Join(h.root, "proc/self/ns"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(hostPIDNamespace, filepath.Join(h.root, "proc/self/ns/pid")); err != nil {
		t.Fatal(err)
	}
	old := thisHost
	thisHost = procHost{root: h.root}
	t.Cleanup(func() { thisHost = old })
	return h
}

// hostPIDNamespace is the fake host's PID namespace (the initial one's usual number).
const hostPIDNamespace = "pid:[4026531836]"

func (h *fakeHost) write(path, content string) {
	h.t.Helper()
	full := filepath.Join(h.root, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// process records a process as /proc/PID/stat shows it; the command name has spaces and a
// parenthesis, as real ones may.
func (h *fakeHost) process(pid int, state string, start uint64) {
	h.write(fmt.Sprintf("proc/%d/stat", pid), fmt.Sprintf("%d (cluster (x) y) %s 1 1 1 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 %d 3133440 390 18446744073709551615 0 0\n", pid, state, start))
}

func TestProcStatStartTime(t *testing.T) {
	h := newFakeHost(t, "m", "b")
	h.process(42, "S", 109197)
	start, state, err := thisHost.process(42)
	if err != nil || start != 109197 || state != "S" {
		t.Fatalf("process(42) = %d, %q, %v; want 109197, S", start, state, err)
	}
	// The real /proc: this process is running, with a start time.
	if start, _, err := (procHost{root: "/"}).process(os.Getpid()); err != nil || start == 0 {
		t.Errorf("own start time from /proc = %d, %v", start, err)
	}
}

func TestHolderGoneNeedsProof(t *testing.T) {
	h := newFakeHost(t, "machine-1", "boot-1")
	h.process(100, "S", 5000) // a running holder
	h.process(101, "S", 9999) // pid 101 reused by a later process
	h.process(102, "Z", 7000) // a zombie
	holder := func(machine, boot string, pid int, start uint64) LockInfo {
		return LockInfo{ID: "x", Host: "same-name", PID: pid, MachineID: machine, BootID: boot, PIDStart: start,
			PIDNamespace: hostPIDNamespace}
	}
	// with changes one field of a holder whose pid 200 is not running here.
	with := func(change func(*LockInfo)) LockInfo {
		info := holder("machine-1", "boot-1", 200, 5000)
		change(&info)
		return info
	}
	for _, c := range []struct {
		name string
		info LockInfo
		gone bool
	}{
		{"holder running", holder("machine-1", "boot-1", 100, 5000), false},
		{"pid not running", holder("machine-1", "boot-1", 200, 5000), true},
		{"pid reused", holder("machine-1", "boot-1", 101, 5000), true},
		{"zombie", holder("machine-1", "boot-1", 102, 7000), true},
		{"same host name, another machine", holder("machine-2", "boot-1", 200, 5000), false},
		{"another boot", holder("machine-1", "boot-0", 200, 5000), false},
		{"older version: no machine id", LockInfo{ID: "x", Host: "same-name", PID: 200}, false},
		{"no start time recorded", holder("machine-1", "boot-1", 200, 0), false},
		// Another container of this machine: same boot id and image-baked machine-id, a PID
		// namespace of its own, where pid 200 may be a live run.
		{"another PID namespace", with(func(i *LockInfo) { i.PIDNamespace = "pid:[4026532201]" }), false},
		{"another host name", with(func(i *LockInfo) { i.Host = "other-container" }), false},
		{"older version: no PID namespace recorded", with(func(i *LockInfo) { i.PIDNamespace = "" }), false},
		{"no host name recorded", with(func(i *LockInfo) { i.Host = "" }), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if gone, why := thisHost.holderGone(c.info); gone != c.gone {
				t.Errorf("holderGone = %v (%s), want %v", gone, why, c.gone)
			}
		})
	}
	// Without our own PID namespace or host name nothing is proven.
	os.Remove(filepath.Join(h.root, "proc/self/ns/pid"))
	if gone, _ := thisHost.holderGone(holder("machine-1", "boot-1", 200, 5000)); gone {
		t.Error("a lock was proven abandoned without our PID namespace")
	}
	os.Symlink(hostPIDNamespace, filepath.Join(h.root, "proc/self/ns/pid"))
	os.Remove(filepath.Join(h.root, "proc/sys/kernel/hostname"))
	if gone, _ := thisHost.holderGone(holder("machine-1", "boot-1", 200, 5000)); gone {
		t.Error("a lock was proven abandoned without our host name")
	}
	// Without our own machine id nothing is proven.
	os.Remove(filepath.Join(h.root, "etc/machine-id"))
	if gone, _ := thisHost.holderGone(holder("", "boot-1", 200, 5000)); gone {
		t.Error("a lock was proven abandoned without a machine id")
	}
}

func TestNewLockInfoRecordsProof(t *testing.T) {
	h := newFakeHost(t, "machine-1", "boot-1")
	h.process(os.Getpid(), "R", 4242)
	info := NewLockInfo("apply")
	if info.MachineID != "machine-1" || info.BootID != "boot-1" || info.PIDStart != 4242 || info.PID != os.Getpid() ||
		info.Host != "same-name" || info.PIDNamespace != hostPIDNamespace {
		t.Fatalf("lock info = %+v; want machine-1, boot-1, same-name, %s, our pid started at 4242", info, hostPIDNamespace)
	}
	b, _ := json.Marshal(info)
	for _, k := range []string{`"machine_id"`, `"boot_id"`, `"pid_start"`, `"host"`, `"pid_ns"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("lock info lacks %s: %s", k, b)
		}
	}
	if gone, _ := thisHost.holderGone(info); gone {
		t.Error("our own lock is proven abandoned")
	}
}

func nodeA1(l *lab) *local.Node { return l.conn.nodes[addrs.ClusterNode("a", "n1")] }

// lockPathOf is the lock on n: a file, or a directory an older version made.
func lockPathOf(n *local.Node) string { return filepath.Join(n.Root, "work/lock") }

// A run on another machine that happens to have our host name keeps its lock, even when a
// process with its pid does not exist here.
func TestSameHostNameOtherMachineKeepsLock(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	other := NewLockInfo("apply on the twin")
	other.PID = 1 << 22 // no such process here
	other.MachineID = "another-machine"
	if err := acquireLock(context.Background(), nodeA1(l), "/work/lock", other); err != nil {
		t.Fatal(err)
	}
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan})
	var locked *LockedError
	if !errors.As(out.Err, &locked) || locked.Info.ID != other.ID {
		t.Fatalf("apply = %v; want it refused by the other machine's lock %s", out.Err, other.ID)
	}
	if _, err := os.Stat(lockPathOf(nodeA1(l))); err != nil {
		t.Errorf("the other machine's lock was removed: %v", err)
	}
}

func TestForceUnlockMatchesIDLiterally(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	other := NewLockInfo("apply elsewhere")
	other.MachineID = "another-machine"
	if err := acquireLock(context.Background(), nodeA1(l), "/work/lock", other); err != nil {
		t.Fatal(err)
	}
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{".*", "[0-9a-f]*", other.ID[:4], other.ID[:8] + ".*", `\` + other.ID} {
		if n, err := eng.ForceUnlock(context.Background(), run, pattern); n != 0 || err != nil {
			t.Errorf("ForceUnlock(%q) = %d, %v; want no lock removed", pattern, n, err)
		}
	}
	if n, err := eng.ForceUnlock(context.Background(), run, other.ID); n != 1 || err != nil {
		t.Fatalf("ForceUnlock(%s) = %d, %v; want 1", other.ID, n, err)
	}
}

// The holder's record is the lock file's whole content, written verbatim whatever it holds
// (quotes, $(...), newlines), and nothing else is left beside it.
func TestLockInfoIsWrittenWhole(t *testing.T) {
	l := newLab(t)
	n := nodeA1(l)
	info := NewLockInfo("apply 'web' $(reboot) `id`\n\\ cluster.web")
	if err := acquireLock(context.Background(), n, "/work/lock", info); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(lockPathOf(n)))
	if len(entries) != 1 || entries[0].Name() != "lock" || !entries[0].Type().IsRegular() {
		t.Errorf("the lock's directory holds %v; want only the lock file", entries)
	}
	want, _ := json.Marshal(info)
	if got, err := os.ReadFile(lockPathOf(n)); err != nil || !bytes.Equal(got, want) {
		t.Errorf("lock = %q, %v; want %q", got, err, want)
	}
	st, err := readLock(context.Background(), n, "/work/lock")
	if err != nil || !st.Readable || st.Info.ID != info.ID || st.Info.Operation != info.Operation {
		t.Errorf("readLock = %+v, %v; want our lock", st, err)
	}
}

// Lock directories of older versions left by a run killed between mkdir and writing info, and
// lock files that are empty or corrupt, name no holder: apply shows them with their path and
// age, and force-unlock removes them.
func TestUnreadableLockIsShownAndRemovable(t *testing.T) {
	for name, info := range map[string]*string{"old form, no info": nil, "old form, empty info": ptr(""), "old form, partial info": ptr(`{"id":"12ab`),
		"empty file": ptr(""), "corrupt file": ptr(`{"id":"12ab`)} {
		t.Run(name, func(t *testing.T) {
			l := newLab(t)
			eng := l.engine()
			n := nodeA1(l)
			dir := lockPathOf(n)
			if strings.HasPrefix(name, "old form") {
				os.MkdirAll(dir, 0o755)
				if info != nil {
					os.WriteFile(filepath.Join(dir, "info"), []byte(*info), 0o644)
				}
			} else {
				os.MkdirAll(filepath.Dir(dir), 0o755)
				os.WriteFile(dir, []byte(*info), 0o644)
			}
			old := time.Now().Add(-2 * time.Hour)
			os.Chtimes(dir, old, old)

			run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan})
			var locked *LockedError
			if !errors.As(out.Err, &locked) || locked.Readable {
				t.Fatalf("apply = %v; want an unreadable LockedError", out.Err)
			}
			for _, want := range []string{"/work/lock", "2h0m", "records no holder", "force-unlock /work/lock", "--all-stale"} {
				if !strings.Contains(out.Err.Error(), want) {
					t.Errorf("error %q lacks %q", out.Err, want)
				}
			}
			locks, err := eng.Locks(context.Background(), run)
			if err != nil || len(locks) != 1 || locks[0].Readable || !locks[0].Stale() || locks[0].Node != n.NodeName {
				t.Fatalf("Locks = %+v, %v; want the one unreadable, stale lock of %s", locks, err, n.NodeName)
			}
			if s := locks[0].String(); !strings.Contains(s, "/work/lock") || !strings.Contains(s, "2h0m") {
				t.Errorf("lock shown as %q; want its path and age", s)
			}
			if removed, err := eng.RemoveLocks(context.Background(), locks); removed != 1 || err != nil {
				t.Fatalf("RemoveLocks = %d, %v", removed, err)
			}
			if out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan}); out.Err != nil {
				t.Fatalf("apply after removing the lock: %v", out.Err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// An unreadable lock younger than a minute may be being taken right now: it is not stale. A
// lock whose info changed since it was read is not removed.
func TestRemoveLocksChecksWhatWasRead(t *testing.T) {
	l := newLab(t)
	eng := l.engine()
	n := nodeA1(l)
	os.MkdirAll(lockPathOf(n), 0o755) // an older version's lock directory, its info not yet written
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	locks, err := eng.Locks(context.Background(), run)
	if err != nil || len(locks) != 1 || locks[0].Stale() {
		t.Fatalf("Locks = %+v, %v; want one fresh unreadable lock, not stale", locks, err)
	}
	// A run finishes taking it meanwhile.
	os.WriteFile(filepath.Join(lockPathOf(n), "info"), []byte(`{"id":"new"}`), 0o644)
	if removed, err := eng.RemoveLocks(context.Background(), locks); removed != 0 || err == nil {
		t.Errorf("RemoveLocks = %d, %v; want the changed lock kept, with an error", removed, err)
	}
	if _, err := os.Stat(filepath.Join(lockPathOf(n), "info")); err != nil {
		t.Errorf("the lock taken meanwhile was removed")
	}
}

// A killed run's lock is cleared by the next plan or apply, even when there is nothing to
// change; a live run's lock is not.
func TestPlanClearsLocksOfDeadRuns(t *testing.T) {
	l := newLab(t)
	for _, n := range l.conn.nodes {
		os.WriteFile(filepath.Join(n.Root, "state"), []byte("v2"), 0o644) // converged
	}
	eng := l.engine()
	dead := NewLockInfo("killed apply")
	dead.PID = 1 << 22
	alive := NewLockInfo("running apply")
	nb := l.conn.nodes[addrs.ClusterNode("b", "n2")]
	if err := acquireLock(context.Background(), nodeA1(l), "/work/lock", dead); err != nil {
		t.Fatal(err)
	}
	if err := acquireLock(context.Background(), nb, "/work/lock", alive); err != nil {
		t.Fatal(err)
	}
	before := nb.Stats()
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Plan.HasChanges() {
		t.Fatalf("plan has changes: %+v", run.Plan.Changes)
	}
	if _, err := os.Stat(lockPathOf(nodeA1(l))); !os.IsNotExist(err) {
		t.Errorf("the dead run's lock is still there (%v)", err)
	}
	if _, err := os.Stat(lockPathOf(nb)); err != nil {
		t.Errorf("the live run's lock was removed: %v", err)
	}
	if len(run.Plan.Diagnostics) != 1 || run.Plan.Diagnostics[0].Severity != SeverityWarning ||
		!strings.Contains(run.Plan.Diagnostics[0].Detail, dead.ID) || run.Plan.Diagnostics[0].Addr != nodeA1(l).NodeName {
		t.Errorf("diagnostics = %+v; want one warning naming the removed lock", run.Plan.Diagnostics)
	}
	if len(run.ClearedLocks) != 1 || run.ClearedLocks[0].Info.ID != dead.ID {
		t.Errorf("ClearedLocks = %+v; want the dead run's", run.ClearedLocks)
	}
	if n := nb.Stats() - before; n != 1 {
		t.Errorf("%s: %d sessions; observing and reading its lock should take one", nb.NodeName, n)
	}
	// force-unlock lists the locks Plan read, without reading them again, less the cleared one.
	before = nb.Stats()
	locks, err := eng.Locks(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	if len(locks) != 1 || locks[0].Info.ID != alive.ID {
		t.Errorf("Locks = %+v; want the live run's only", locks)
	}
	if n := nb.Stats() - before; n != 0 {
		t.Errorf("%s: Locks took %d sessions; Plan had read its lock", nb.NodeName, n)
	}
}

// cutBatchNode fails its nth Batch, as a connection lost at that moment would.
type cutBatchNode struct {
	*local.Node
	batches, failAt int
}

func (c *cutBatchNode) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	c.batches++
	if c.batches == c.failAt {
		return nil, errors.New("ssh: connection lost")
	}
	return c.Node.Batch(ctx, cmds)
}

// A connection cut while observing again under the lock is a connection error naming the
// node, not a stale plan; the locks are released.
func TestConnectionCutUnderLockIsAConnectionError(t *testing.T) {
	l := newLab(t)
	a2 := addrs.ClusterNode("a", "n2")
	cut := &cutBatchNode{Node: l.conn.nodes[a2], failAt: 3} // 1: plan, 2: the lock taken, 3: under the lock
	eng := &Engine{Providers: []Provider{fakeProvider{units: []Unit{l.units["b"], l.units["a"]}}},
		Connector: swapConnector{l.conn, a2, cut}}
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := eng.Apply(context.Background(), run, ApplyOptions{Approved: run.Plan})
	var ne *NodeError
	if out.Err == nil || errors.Is(out.Err, ErrStalePlan) || !errors.As(out.Err, &ne) || ne.Node != a2.String() ||
		!strings.Contains(out.Err.Error(), "connection lost") {
		t.Fatalf("apply = %v; want a connection error naming %s, not a stale plan", out.Err, a2)
	}
	for _, n := range l.conn.nodes {
		if _, err := os.Stat(lockPathOf(n)); !os.IsNotExist(err) {
			t.Errorf("%s: lock left behind", n.NodeName)
		}
	}
}

// swapConnector is a localConnector with one node replaced.
type swapConnector struct {
	localConnector
	addr addrs.Address
	node transport.Node
}

func (c swapConnector) Connect(ctx context.Context, refs []NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	conns, errs := c.localConnector.Connect(ctx, refs)
	if _, ok := conns[c.addr]; ok {
		conns[c.addr] = c.node
	}
	return conns, errs
}

func TestSecondAcquireIsRefused(t *testing.T) {
	l := newLab(t)
	n := nodeA1(l)
	first, second := NewLockInfo("first"), NewLockInfo("second")
	if err := acquireLock(context.Background(), n, "/work/lock", first); err != nil {
		t.Fatal(err)
	}
	err := acquireLock(context.Background(), n, "/work/lock", second)
	var locked *LockedError
	if !errors.As(err, &locked) || !locked.Readable || locked.Info.ID != first.ID || locked.Path != "/work/lock" {
		t.Fatalf("second acquire = %v; want a LockedError naming %s", err, first.ID)
	}
}

// A lock an older version is taking right now (its directory made, its holder not yet recorded)
// is read again until it names its holder: the error names that run, never "records no holder".
func TestLockBeingTakenIsReadUntilItNamesItsHolder(t *testing.T) {
	l := newLab(t)
	n := nodeA1(l)
	dir := lockPathOf(n)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	other := NewLockInfo("apply")
	other.ID = "0123456789abcdef"
	go func() {
		time.Sleep(400 * time.Millisecond)
		b, _ := json.Marshal(other)
		os.WriteFile(filepath.Join(dir, ".info.tmp"), b, 0o644)
		os.Rename(filepath.Join(dir, ".info.tmp"), filepath.Join(dir, "info"))
	}()
	err := acquireLock(context.Background(), n, "/work/lock", NewLockInfo("apply"))
	var locked *LockedError
	if !errors.As(err, &locked) || !locked.Readable || locked.Info.ID != other.ID {
		t.Fatalf("acquireLock = %v; want the other run's lock, naming it", err)
	}
	if strings.Contains(err.Error(), "records no holder") {
		t.Errorf("a lock being taken is reported as recording no holder: %v", err)
	}
}

// Runs taking the lock at the same moment: exactly one gets it, every other one is refused
// with the winner's record, whole (the lock file never appears without its content).
func TestConcurrentAcquireHasOneWinner(t *testing.T) {
	l := newLab(t)
	n := nodeA1(l)
	const runs = 5
	infos := make([]LockInfo, runs)
	errs := make([]error, runs)
	var wg sync.WaitGroup
	for i := range runs {
		infos[i] = NewLockInfo(fmt.Sprintf("run %d", i))
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = acquireLock(context.Background(), n, "/work/lock", infos[i]) }()
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			if winner >= 0 {
				t.Fatalf("runs %d and %d both took the lock", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatalf("no run took the lock: %v", errs)
	}
	for i, err := range errs {
		var locked *LockedError
		if i != winner && (!errors.As(err, &locked) || !locked.Readable || locked.Info.ID != infos[winner].ID) {
			t.Errorf("run %d: %v; want refused by the winner's lock %s", i, err, infos[winner].ID)
		}
	}
}

// The two forms exclude each other (docs/timeouts.md, "Locks"): an older version's lock
// directory, held, refuses this version and is kept; this version's lock file makes an older
// version's mkdir fail (its acquire script then reports the lock held, exit 17).
func TestOldAndNewLockFormsExcludeEachOther(t *testing.T) {
	l := newLab(t)
	n := nodeA1(l)
	old := NewLockInfo("apply by an older version")
	old.MachineID = "another-machine"
	b, _ := json.Marshal(old)
	os.MkdirAll(lockPathOf(n), 0o755)
	os.WriteFile(filepath.Join(lockPathOf(n), "info"), b, 0o644)
	err := acquireLock(context.Background(), n, "/work/lock", NewLockInfo("apply"))
	var locked *LockedError
	if !errors.As(err, &locked) || !locked.Readable || locked.Info.ID != old.ID {
		t.Fatalf("acquire beside an older version's lock = %v; want refused, naming %s", err, old.ID)
	}
	if n, err := l.engine().ForceUnlock(context.Background(), mustPlan(t, l), old.ID); n != 1 || err != nil {
		t.Fatalf("force-unlock of the older version's lock = %d, %v; want it removed", n, err)
	}
	if err := acquireLock(context.Background(), n, "/work/lock", NewLockInfo("apply")); err != nil {
		t.Fatal(err)
	}
	// The older version's first step: mkdir of the lock directory, "exit 17" when it fails.
	res, err := n.Run(context.Background(), transport.Shell(`mkdir "$1" 2>/dev/null || exit 17`, transport.NodePath("/work/lock")))
	if err != nil || res.ExitCode != 17 {
		t.Errorf("an older version's mkdir beside the lock file: exit %d, %v; want 17 (held)", res.ExitCode, err)
	}
}

func mustPlan(t *testing.T, l *lab) *Run {
	t.Helper()
	run, err := l.engine().Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return run
}
