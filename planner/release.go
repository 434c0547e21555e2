package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// heldLock is the lock a run takes: its holder record, as the bytes each lock file was
// created with, and the sites (lockSite.key) already released by a unit's own last call
// (Release), which the release at the end of the run skips.
type heldLock struct {
	info     LockInfo
	data     []byte
	released sync.Map
}

func newHeldLock(info LockInfo) *heldLock {
	data, _ := json.Marshal(info)
	return &heldLock{info: info, data: data}
}

func (h *heldLock) isReleased(key string) bool {
	_, done := h.released.Load(key)
	return done
}

// releaseOp removes the lock at path if it still is the file this run created: exactly its
// record's bytes (transport.RemoveIfSame). One op: the comparison is made on the node, where
// reading the lock and removing it were two calls. A lock that force-unlock removed and
// another run took since holds another record, and stays.
func (h *heldLock) releaseOp(path transport.NodePath) transport.RemoveIfSame {
	return transport.RemoveIfSame{Path: path, Data: h.data}
}

// release removes the lock at path on node if it still is ours, in one call.
func (h *heldLock) release(ctx context.Context, node transport.Node, path transport.NodePath) error {
	out, err := transport.Do(ctx, node, h.releaseOp(path))
	if err == nil {
		err = out[0].Err()
	}
	if err != nil {
		return fmt.Errorf("unlocking %s: %w", node.Name(), err)
	}
	return nil
}

// Release lets a unit release the run's lock on its nodes in its own last call on each node,
// after its last change and read there: a session fewer than the release when Apply ends.
// The engine still releases every lock the unit's calls did not (a unit that does not use
// Release, a node whose last call failed). A nil Release offers nothing.
type Release struct {
	ops  map[addrs.Address]transport.Op
	done func(node addrs.Address)
}

// Ops are the ops that release the lock on node, to run last in the unit's last call on it;
// nil when the engine keeps that lock to release itself (it is shared with another unit).
func (r *Release) Ops(node addrs.Address) []transport.Op {
	if r == nil {
		return nil
	}
	if op, ok := r.ops[node]; ok {
		return []transport.Op{op}
	}
	return nil
}

// Done takes the outcomes of Ops(node), run in the unit's call: a release that ran is not
// repeated when Apply ends.
func (r *Release) Done(node addrs.Address, out []transport.Outcome) {
	if r == nil || len(out) != 1 || len(r.Ops(node)) == 0 {
		return
	}
	if out[0].Err() == nil {
		r.done(node)
	}
}

// lockSiteUsers counts, per lock site (lockSite.key), the run's units that use it: once per
// run, however many units ask.
func (run *Run) lockSiteUsers() map[string]int {
	run.siteUsersOnce.Do(func() {
		run.siteUsers = map[string]int{}
		for _, u := range run.units {
			for _, n := range u.Nodes() {
				run.siteUsers[lockSite{addr: n.Addr, dir: u.LockDir()}.key()]++
			}
		}
	})
	return run.siteUsers
}

// releaseFor is the Release of unit u of run: the sites (node, lock path) only u uses among
// the run's units. nil when the run holds no lock of its own planning.
func (run *Run) releaseFor(u Unit) *Release {
	if run.held == nil {
		return nil
	}
	users := run.lockSiteUsers()
	r := &Release{ops: map[addrs.Address]transport.Op{}}
	keys := map[addrs.Address]string{}
	for _, n := range u.Nodes() {
		key := lockSite{addr: n.Addr, dir: u.LockDir()}.key()
		if users[key] == 1 {
			r.ops[n.Addr], keys[n.Addr] = run.held.releaseOp(u.LockDir()), key
		}
	}
	held := run.held
	r.done = func(node addrs.Address) { held.released.Store(keys[node], true) }
	return r
}
