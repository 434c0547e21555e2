package planner

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// The run-wide lock is a file on each node, created exclusively (transport.CreateExclusive: of
// concurrent creators exactly one succeeds, and the file is never seen without its whole
// content) and holding the whole record of its holder, so a lock always names its holder in
// full. Every dialect can create it: a POSIX shell by link(2), SFTP by SSH_FXF_EXCL.
//
// Older versions made the lock a directory at the same path (mkdir) holding a file info, renamed
// into place. Both forms are read (readLock): a lock directory left by an older version, or held
// by one running now, is seen and respected like a lock file. The two forms exclude each other
// because they share the path: an older version's mkdir fails on a lock file, and this version's
// exclusive create fails on a lock directory. A directory without a complete info (an older
// run killed while taking it, or taking it right now) is "unreadable", shown with its path and
// age, and removed only by force-unlock. See docs/timeouts.md, "Locks".
//
// A lock is broken automatically only with proof that its holder is dead: the holder recorded
// the machine-id, boot id and host name of the machine it ran on (the one running cluster, not
// the node), its PID namespace, and its own pid and start time, and here, in this boot, in the
// same PID namespace, that pid is not running or is another process. A run on another machine
// with the same host name never loses its lock, nor one in another container of this machine
// (containers share the boot id, often an image-baked machine-id, sometimes the host name, but
// a container has a PID namespace of its own, where our /proc cannot see its processes).
// The proof is read from this machine's /proc; where there is none (cluster running on
// Windows), no holder is ever proven dead and a dead run's lock needs force-unlock.

// LockInfo is what a lock records about its holder.
type LockInfo struct {
	ID        string    `json:"id"`
	Holder    string    `json:"holder"` // user@host
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	Operation string    `json:"operation"`
	Created   time.Time `json:"created"`
	// The proof a lock's holder can be shown dead by: /etc/machine-id, the boot id
	// (/proc/sys/kernel/random/boot_id) and the start time of PID (/proc/PID/stat field 22, in
	// clock ticks since boot). Empty when they could not be read: such a lock is never broken
	// automatically.
	MachineID string `json:"machine_id,omitempty"`
	BootID    string `json:"boot_id,omitempty"`
	PIDStart  uint64 `json:"pid_start,omitempty"`
	// PIDNamespace is the holder's PID namespace, as the link /proc/self/ns/pid reads
	// ("pid:[4026531836]"): its pid means that process only there. A record without it (an
	// older version) is never broken automatically: its holder may run in another container.
	PIDNamespace string `json:"pid_ns,omitempty"`
}

func (l LockInfo) String() string {
	return fmt.Sprintf("ID %s, held by %s (pid %d) since %s for %q", l.ID, l.Holder, l.PID, l.Created.Format(time.RFC3339), l.Operation)
}

// LockedError says a unit is locked by another run. Info is zero when the lock records no
// readable holder (Readable false).
type LockedError struct {
	Node     string
	Path     transport.NodePath
	Info     LockInfo
	Readable bool
	Age      time.Duration
	// HolderGone: the holder is proven dead (see holderGone), so the lock may be broken; Why
	// says how.
	HolderGone bool
	Why        string
	// AgeUnknown and FutureBy: see LockStatus.
	AgeUnknown bool
	FutureBy   time.Duration
}

// beingTaken: the lock names no holder and is young, so a run is most likely taking it now.
func (e *LockedError) beingTaken() bool { return !e.Readable && e.Age < youngLock && !e.AgeUnknown }

func (e *LockedError) Error() string {
	if e.beingTaken() {
		return fmt.Sprintf("%s is being locked by another run right now (lock %s, %s old, its holder not recorded yet). "+
			"Wait for that run to finish, or pass --lock-timeout to wait for it", e.Node, e.Path, formatAge(e.Age))
	}
	if !e.Readable {
		return fmt.Sprintf("%s is locked, and its lock records no holder (lock %s, %s): it was left by a run "+
			"killed while taking it, or by an older version. If no run is applying, remove it with "+
			"'cluster force-unlock %s' (or every such lock with 'cluster force-unlock --all-stale')",
			e.Node, e.Path, ageText(e.Age, e.AgeUnknown, e.FutureBy), transport.Quote(string(e.Path)))
	}
	return fmt.Sprintf("%s is locked by another run: %s (lock %s). Wait for it to finish, or if that run is gone, "+
		"run 'cluster force-unlock %s'", e.Node, e.Info, e.Path, e.Info.ID)
}

// formatAge renders a lock's age to the second ("2h3m4s").
func formatAge(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	return d.Truncate(time.Second).String()
}

// ageText is a lock's age as listed: "2m3s old", or for a lock of unknown age (see
// LockStatus.AgeUnknown) how far in the future the node dated it.
func ageText(age time.Duration, unknown bool, futureBy time.Duration) string {
	if unknown {
		return fmt.Sprintf("of unknown age (dated %s in the future by the node's clock)", formatAge(futureBy))
	}
	return formatAge(age) + " old"
}

// futureSkew is how far in the future a node may date a lock and still be taken at its word
// (age 0, so a lock being taken reads as young until its date passes). Further, the node's
// clock is ahead of ours by more than that, and the lock's age is unknown (LockStatus.AgeUnknown).
const futureSkew = time.Minute

// NewLockInfo describes this process as a lock holder.
func NewLockInfo(operation string) LockInfo {
	var b [8]byte
	_, _ = rand.Read(b[:])
	host := thisHost.hostName()
	if host == "" {
		host, _ = os.Hostname()
	}
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	info := LockInfo{ID: hex.EncodeToString(b[:]), Holder: name + "@" + host, Host: host, PID: os.Getpid(),
		Operation: operation, Created: time.Now().UTC().Truncate(time.Second)}
	info.MachineID, info.BootID = thisHost.machineID(), thisHost.bootID()
	info.PIDNamespace = thisHost.pidNamespace()
	if start, _, err := thisHost.process(info.PID); err == nil {
		info.PIDStart = start
	}
	return info
}

// procHost reads the facts a lock holder is identified by from a root ("/" in production; tests
// point it at a directory laid out like one).
type procHost struct{ root string }

// thisHost is the machine this process runs on.
var thisHost = procHost{root: "/"}

func (h procHost) read(path string) string {
	b, err := os.ReadFile(filepath.Join(h.root, path))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func (h procHost) machineID() string {
	if id := h.read("etc/machine-id"); id != "" {
		return id
	}
	return h.read("var/lib/dbus/machine-id")
}

func (h procHost) bootID() string { return h.read("proc/sys/kernel/random/boot_id") }

// hostName is the host name of this UTS namespace (what os.Hostname reads on Linux).
func (h procHost) hostName() string { return h.read("proc/sys/kernel/hostname") }

// pidNamespace names this process's PID namespace: the target of /proc/self/ns/pid, which is
// the same for every process of one namespace and differs between namespaces (namespaces(7)).
func (h procHost) pidNamespace() string {
	ns, err := os.Readlink(filepath.Join(h.root, "proc/self/ns/pid"))
	if err != nil {
		return ""
	}
	return ns
}

// process returns the start time (field 22 of /proc/PID/stat) and state (field 3) of pid; an
// error wrapping fs.ErrNotExist means no such process.
func (h procHost) process(pid int) (start uint64, state string, err error) {
	b, err := os.ReadFile(filepath.Join(h.root, "proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, "", err
	}
	// The command name (field 2) is in parentheses and may hold spaces and parentheses: the
	// fields that follow start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, "", fmt.Errorf("/proc/%d/stat: no command field", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return 0, "", fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f)+2)
	}
	start, err = strconv.ParseUint(f[19], 10, 64) // fields 3..: f[0] is field 3, f[19] field 22
	if err != nil {
		return 0, "", fmt.Errorf("/proc/%d/stat: start time: %w", pid, err)
	}
	return start, f[0], nil
}

// holderGone reports whether info's holder is proven dead, and why: it ran on this machine
// (machine-id, host name) in this boot (boot id) and in our PID namespace, and its pid is not
// running, is a zombie, or is a process started at another time. Anything less is no proof,
// and the lock stays: a record of an older version, which names no PID namespace, is never
// proof (its holder may be a live run in another container of this machine).
func (h procHost) holderGone(info LockInfo) (bool, string) {
	if info.MachineID == "" || info.BootID == "" || info.Host == "" || info.PIDNamespace == "" ||
		info.PIDStart == 0 || info.PID <= 0 {
		return false, ""
	}
	here := LockInfo{MachineID: h.machineID(), BootID: h.bootID(), Host: h.hostName(), PIDNamespace: h.pidNamespace()}
	if here.MachineID == "" || here.BootID == "" || here.Host == "" || here.PIDNamespace == "" ||
		info.MachineID != here.MachineID || info.BootID != here.BootID || info.Host != here.Host ||
		info.PIDNamespace != here.PIDNamespace {
		return false, ""
	}
	start, state, err := h.process(info.PID)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return true, fmt.Sprintf("pid %d is not running on this machine", info.PID)
	case err != nil:
		return false, ""
	case state == "Z" || state == "X":
		return true, fmt.Sprintf("pid %d has exited", info.PID)
	case start != info.PIDStart:
		return true, fmt.Sprintf("pid %d is now another process", info.PID)
	}
	return false, ""
}

// errNotOurs: the lock exists but another run's ID is in it.
var errNotOurs = errors.New("the lock is held by another run")

// acquireLockThen creates the lock file at path on node holding info, exclusively; when a lock
// is there already (a lock file, or an older version's lock directory) it is read and
// reported. It runs then in the same call, after the create (one session on a POSIX node): they run under the lock when it was created, and their outcomes are
// returned only then (thenErr: why they could not run). A create that finds a lock there
// discards them; they must only read (they run whether or not the lock was created: Do has
// no condition on an earlier op's answer). A dialect that refuses one of them before running
// anything (UnsupportedError) gets the create alone, and the refusal as thenErr, as a
// separate observation would.
func acquireLockThen(ctx context.Context, node transport.Node, path transport.NodePath, info LockInfo, then []transport.Op) (res []transport.Outcome, thenErr, err error) {
	data, _ := json.Marshal(info)
	create := transport.CreateExclusive{Path: path, Data: data}
	for attempt := 0; ; attempt++ {
		out, err := transport.Do(ctx, node, append([]transport.Op{create}, then...)...)
		var refused *transport.UnsupportedError
		if err != nil && len(then) > 0 && errors.As(err, &refused) {
			thenErr, then = err, nil // nothing ran: take the lock alone
			out, err = transport.Do(ctx, node, create)
		}
		if err != nil {
			return nil, nil, err
		}
		if len(out) != 1+len(then) {
			return nil, nil, fmt.Errorf("locking %s: %d results for %d operations", node.Name(), len(out), 1+len(then))
		}
		if err := out[0].Err(); err != nil {
			return nil, nil, fmt.Errorf("locking %s: %w", node.Name(), err)
		}
		if out[0].Created {
			return out[1:], thenErr, nil
		}
		held, err := readHeldLock(ctx, node, path)
		if err != nil {
			return nil, nil, fmt.Errorf("%s is locked, and its lock could not be read: %w", node.Name(), err)
		}
		if !held.Exists && attempt < 3 {
			continue // released between our create and our read: try again
		}
		return nil, nil, held.lockedError()
	}
}

// youngLock is the age under which a lock that names no holder yet is taken as being taken by a
// live run right now (an older version's lock directory, between its mkdir and the rename of its
// info), not as one left behind. Ages are the node's modification time, in whole seconds, against
// this machine's clock (see LockStatus.Age), so a lock seconds old reads as 0 to 2 s plus the skew.
const youngLock = 5 * time.Second

// takingPoll and takingWait: how often, and how long at most, a young lock without a holder is
// read again, waiting for its run to record itself.
const (
	takingPoll = 100 * time.Millisecond
	takingWait = 3 * time.Second
)

// readHeldLock reads the lock another run holds at dir. A lock without a holder that is young is
// most likely being written by that run at this moment: it is read again until it names its
// holder, disappears, or takingWait has passed, so a live run's lock is never reported as
// "records no holder".
func readHeldLock(ctx context.Context, node transport.Node, dir transport.NodePath) (LockStatus, error) {
	deadline := time.Now().Add(takingWait)
	for {
		st, err := readLock(ctx, node, dir)
		// A young lock file may also fail to read while its run creates it: GNU tar reports
		// "file changed as we read it" (exit 1) when the creator's link or unlink changes the
		// file's link count under it. Such a read is tried again as well; an old lock's read
		// error, or one that persists, is returned.
		taking := st.Exists && !st.Readable && st.Age < youngLock && !st.AgeUnknown
		if !taking || !time.Now().Before(deadline) {
			return st, err
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(takingPoll):
		}
	}
}

// LockStatus is a lock found on a node.
type LockStatus struct {
	Node string             // the node's address
	Path transport.NodePath // the lock (a file; a directory when an older version made it)
	// Exists is false when there is no lock at Path.
	Exists bool
	// Readable: the lock names a holder (Info). An empty or corrupt lock file, or an older
	// version's lock directory without a complete info, is not readable.
	Readable bool
	Info     LockInfo
	// Age is how long ago the lock was last changed: this machine's clock against the node's
	// modification time (the ops read no clock of the node), so a clock skew between the two is
	// in it. A lock the node dated in the future is aged by its holder's record (Info.Created)
	// when it names one; otherwise it is 0 s old when dated at most futureSkew ahead, and of
	// unknown age (AgeUnknown, FutureBy: how far ahead) beyond. See docs/timeouts.md, "Locks".
	Age        time.Duration
	AgeUnknown bool
	FutureBy   time.Duration
	// OldForm: the lock is a directory made by an older version (see acquireLock).
	OldForm bool
	// HolderGone is set when the holder is proven dead (see holderGone); Why says how.
	HolderGone bool
	Why        string

	raw        []byte // info as read, to remove an unreadable lock only if it is still the same
	infoExists bool
	node       transport.Node
}

func (s LockStatus) lockedError() *LockedError {
	return &LockedError{Node: s.Node, Path: s.Path, Info: s.Info, Readable: s.Readable, Age: s.Age,
		HolderGone: s.HolderGone, Why: s.Why, AgeUnknown: s.AgeUnknown, FutureBy: s.FutureBy}
}

// Stale reports whether the lock may be removed by 'force-unlock --all-stale': its holder is
// proven dead, or it names no holder and is older than a minute (younger, a run may be taking
// it right now) or of unknown age (the node's clock is over futureSkew ahead: its date says
// nothing, and it would otherwise stay until that clock catches up; the removal still checks
// that it is unchanged since it was read, as for any lock that names no holder).
func (s LockStatus) Stale() bool {
	return s.Exists && (s.HolderGone || !s.Readable && (s.Age >= time.Minute || s.AgeUnknown))
}

func (s LockStatus) String() string {
	switch {
	case !s.Exists:
		return fmt.Sprintf("%s: no lock at %s", s.Node, s.Path)
	case !s.Readable:
		return fmt.Sprintf("%s: lock %s, %s, records no holder", s.Node, s.Path, ageText(s.Age, s.AgeUnknown, s.FutureBy))
	case s.HolderGone:
		return fmt.Sprintf("%s: lock %s, %s, %s; its holder is gone (%s)", s.Node, s.Path, ageText(s.Age, s.AgeUnknown, s.FutureBy), s.Info, s.Why)
	}
	return fmt.Sprintf("%s: lock %s, %s, %s", s.Node, s.Path, ageText(s.Age, s.AgeUnknown, s.FutureBy), s.Info)
}

// lockReadOps read the lock at path in either form, in one call: a Stat of path and of
// path/info (which form, and its age), the lock file itself, and an older version's info file.
// The read of the form that is not there finds nothing (or fails, for a directory read as a
// file) and is not looked at.
func lockReadOps(path transport.NodePath) []transport.Op {
	info := path.Join("info")
	return []transport.Op{
		transport.Stat{Paths: []transport.NodePath{path, info}},
		transport.ReadFiles{Paths: []transport.NodePath{path}},
		transport.ReadFiles{Paths: []transport.NodePath{info}},
	}
}

// lockReads is how many ops lockReadOps returns (the observe call ends with them).
const lockReads = 3

// readLock reads the lock at path on node.
func readLock(ctx context.Context, node transport.Node, path transport.NodePath) (LockStatus, error) {
	out, err := transport.Do(ctx, node, lockReadOps(path)...)
	if err != nil {
		return LockStatus{}, err
	}
	return decodeLock(node, path, out, time.Now())
}

// maxLockInfo bounds what is parsed of a holder record; a holder's record is a few hundred bytes.
const maxLockInfo = 64 << 10

// decodeLock interprets the outcomes of lockReadOps, read at now (this machine's clock).
func decodeLock(node transport.Node, path transport.NodePath, out []transport.Outcome, now time.Time) (LockStatus, error) {
	st := LockStatus{Node: node.Name(), Path: path, node: node}
	if len(out) != 3 {
		return st, fmt.Errorf("reading the lock %s on %s: %d results for 3 reads", path, node.Name(), len(out))
	}
	if err := out[0].Err(); err != nil || len(out[0].Stats) != 2 {
		return st, fmt.Errorf("reading the lock %s on %s: %v", path, node.Name(), err)
	}
	lock, info := out[0].Stats[0], out[0].Stats[1]
	if !lock.Exists {
		return st, nil
	}
	st.Exists, st.OldForm = true, lock.Dir
	future := lock.ModTime.Sub(now)
	switch {
	case lock.ModTime.IsZero():
	case future < 0:
		st.Age = -future.Truncate(time.Second)
	case future > futureSkew:
		st.AgeUnknown, st.FutureBy = true, future.Truncate(time.Second)
	}
	read := out[1]
	st.infoExists = true
	if st.OldForm {
		read, st.infoExists = out[2], info.Exists
	}
	if st.infoExists {
		if err := read.Err(); err != nil {
			return st, fmt.Errorf("reading the lock %s on %s: %w", path, node.Name(), err)
		}
		if len(read.Files) == 1 && read.Files[0].Exists {
			st.raw = read.Files[0].Data
		}
	}
	var holder LockInfo
	if len(st.raw) > 0 && len(st.raw) <= maxLockInfo && json.Unmarshal(st.raw, &holder) == nil && holder.ID != "" {
		st.Readable, st.Info = true, holder
		st.HolderGone, st.Why = thisHost.holderGone(holder)
		if future > 0 && !holder.Created.IsZero() && holder.Created.Before(now) {
			// Dated in the future by the node: its holder's own record says when it began.
			st.Age, st.AgeUnknown, st.FutureBy = now.Sub(holder.Created).Truncate(time.Second), false, 0
		}
	}
	return st, nil
}

// releaseLock removes the lock at path if it is still ours: it names exactly id. It reports
// whether a lock was removed. The check and the removal are two calls (ops hold no condition):
// a lock is removed by its holder, by force-unlock naming its ID, or by a run that proved its
// holder dead, so between the two only such a lock can change hands (another run breaking the
// same dead lock and taking it within that round trip). See docs/timeouts.md, "Locks".
func releaseLock(ctx context.Context, node transport.Node, path transport.NodePath, id string) (bool, error) {
	st, err := readLock(ctx, node, path)
	switch {
	case err != nil:
		return false, err
	case !st.Exists:
		return false, nil
	case !st.Readable || st.Info.ID != id:
		return false, fmt.Errorf("%s: %w, not %s", node.Name(), errNotOurs, id)
	}
	return removeLock(ctx, st)
}

// removeUnreadable removes the lock s if it is still exactly what was read (the same form, its
// info missing or the same bytes): a run that took the lock meanwhile keeps it.
func removeUnreadable(ctx context.Context, s LockStatus) (bool, error) {
	now, err := readLock(ctx, s.node, s.Path)
	switch {
	case err != nil:
		return false, err
	case !now.Exists:
		return false, nil
	case now.OldForm != s.OldForm || now.infoExists != s.infoExists || !bytes.Equal(now.raw, s.raw):
		return false, fmt.Errorf("%s: the lock %s changed since it was read; read it again", s.Node, s.Path)
	}
	return removeLock(ctx, now)
}

// removeLock removes the lock s read (a file, or an older version's directory and its info).
func removeLock(ctx context.Context, s LockStatus) (bool, error) {
	out, err := transport.Do(ctx, s.node, transport.Remove{Path: s.Path, Recursive: true})
	if err == nil {
		err = out[0].Err()
	}
	if err != nil {
		return false, fmt.Errorf("unlocking %s: %w", s.Node, err)
	}
	return true, nil
}

// lockSites lists every reachable node of the given units of run (all of them when none are
// given) with the unit's lock, once per node and lock path.
func (run *Run) lockSites(units ...Unit) []lockSite {
	if len(units) == 0 {
		units = run.units
	}
	var out []lockSite
	seen := map[string]bool{}
	for _, u := range units {
		for _, n := range u.Nodes() {
			node, ok := run.conns[n.Addr]
			site := lockSite{addr: n.Addr, node: node, dir: u.LockDir()}
			if !ok || seen[site.key()] {
				continue
			}
			seen[site.key()] = true
			out = append(out, site)
		}
	}
	return out
}

type lockSite struct {
	addr addrs.Address
	node transport.Node
	dir  transport.NodePath
}

// key tells sites apart: one lock path on one node.
func (s lockSite) key() string { return s.addr.String() + "\x00" + string(s.dir) }

// Locks returns the lock of every unit on every reachable node, in unit and node order: the
// locks Plan read while observing (less those it cleared, see clearDeadLocks) as read then,
// and the others read now. Whatever removes a lock checks on the node first (RemoveLocks).
func (e *Engine) Locks(ctx context.Context, run *Run) ([]LockStatus, error) {
	sites := run.lockSites()
	found := make([]LockStatus, len(sites))
	errs := make([]error, len(sites))
	e.eachTarget(len(sites), func(k int) {
		if st, ok := run.seenLocks[sites[k].key()]; ok {
			found[k] = st
			return
		}
		found[k], errs[k] = readLock(ctx, sites[k].node, sites[k].dir)
	})
	var out []LockStatus
	for k, st := range found {
		if errs[k] == nil && st.Exists {
			out = append(out, st)
		}
	}
	return out, errors.Join(errs...)
}

// ForceUnlock removes the lock with id (matched literally) from every reachable node of every
// unit. It reports how many locks were removed.
func (e *Engine) ForceUnlock(ctx context.Context, run *Run, id string) (int, error) {
	sites := run.lockSites()
	removed := make([]bool, len(sites))
	errs := make([]error, len(sites))
	e.eachTarget(len(sites), func(k int) {
		removed[k], errs[k] = releaseLock(ctx, sites[k].node, sites[k].dir, id)
		if errors.Is(errs[k], errNotOurs) {
			errs[k] = nil // another run's lock: not the one to remove
		}
	})
	return count(removed), errors.Join(errs...)
}

// RemoveLocks removes the given locks (from Locks): a readable one by its ID, an unreadable one
// only if it still holds what was read. It reports how many were removed.
func (e *Engine) RemoveLocks(ctx context.Context, locks []LockStatus) (int, error) {
	removed := make([]bool, len(locks))
	errs := make([]error, len(locks))
	e.eachTarget(len(locks), func(k int) {
		s := locks[k]
		switch {
		case !s.Exists || s.node == nil:
		case s.Readable:
			removed[k], errs[k] = releaseLock(ctx, s.node, s.Path, s.Info.ID)
		default:
			removed[k], errs[k] = removeUnreadable(ctx, s)
		}
	})
	return count(removed), errors.Join(errs...)
}

// count is how many of done are true.
func count(done []bool) int {
	n := 0
	for _, ok := range done {
		if ok {
			n++
		}
	}
	return n
}

// lockObservation is the lock read in a node's observe session (see Engine.observe): the
// outcomes of lockReadOps, and when they were read.
type lockObservation struct {
	site lockSite
	res  []transport.Outcome
	at   time.Time
}

// decodeSeenLocks decodes the locks read while observing, once per site, by site key (see
// lockSite.key), and lists the keys in the order read. A lock that cannot be decoded is left
// out: Locks reads it again.
func decodeSeenLocks(seen []lockObservation) ([]string, map[string]LockStatus) {
	var keys []string
	locks := map[string]LockStatus{}
	for _, o := range seen {
		key := o.site.key()
		if _, done := locks[key]; done {
			continue
		}
		if st, err := decodeLock(o.site.node, o.site.dir, o.res, o.at); err == nil {
			keys = append(keys, key)
			locks[key] = st
		}
	}
	return keys, locks
}

// clearDeadLocks removes the locks, seen while observing (keys in order, locks by key), whose
// holder is proven dead, so a killed run's lock does not outlive it even when no later apply
// has anything to do. A removed lock becomes absent in locks. It returns the locks removed;
// one that cannot be read or removed is left to apply and force-unlock.
func clearDeadLocks(ctx context.Context, keys []string, locks map[string]LockStatus) []LockStatus {
	var cleared []LockStatus
	for _, key := range keys {
		st := locks[key]
		if !st.Exists || !st.HolderGone {
			continue
		}
		if ok, err := breakDeadLock(ctx, st.node, st.Path, st.Info); err == nil && ok {
			cleared = append(cleared, st)
			locks[key] = LockStatus{Node: st.Node, Path: st.Path, node: st.node}
		}
	}
	return cleared
}

// deadLockRemoved is how a broken dead run's lock is reported; scripts look for this text.
const deadLockRemoved = "Removed the lock of a run that no longer exists"

// breakDeadLock removes the lock at dir on node that holder, proven dead (see holderGone),
// left. It goes by the holder's ID, so a lock another run took since stays. It reports
// whether a lock was removed (false and no error: it was gone already).
func breakDeadLock(ctx context.Context, node transport.Node, dir transport.NodePath, holder LockInfo) (bool, error) {
	return releaseLock(ctx, node, dir, holder.ID)
}

// clearedWarning reports a lock clearDeadLocks removed.
func (s LockStatus) clearedWarning() Diagnostic {
	return Diagnostic{
		Severity: SeverityWarning,
		Summary:  deadLockRemoved,
		Detail:   fmt.Sprintf("The lock %s (%s) was left by a run that is gone: %s.", s.Path, s.Info, s.Why),
		Addr:     s.Node,
	}
}
