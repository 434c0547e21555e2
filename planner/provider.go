package planner

import (
	"context"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// A Provider manages one kind of object (failover clusters, scan servers, ...). It splits a
// configuration into Units: the smallest sets of nodes that are observed, locked, planned and
// applied together (a CLUSTERPRO cluster is one unit: its clp.conf is pushed as a whole).
type Provider interface {
	Name() string
	Units(cfg *config.Config) ([]Unit, error)
}

// NodeRef names a node a unit runs on and how to reach it.
type NodeRef struct {
	Addr     addrs.Address
	Endpoint config.Endpoint
}

// A Unit is planned by a pure function of what its nodes reported, and applied with the nodes'
// connections. A unit never prints: it reports through the Progress it is given.
type Unit interface {
	// Addr is the unit's address (cluster.web); --target selects units by it.
	Addr() addrs.Address
	// Nodes are the unit's nodes, in the order they are preferred (highest priority first).
	Nodes() []NodeRef
	// Owns reports whether addr is this unit or one of the objects it manages.
	Owns(addr addrs.Address) bool
	// ObserveOps are the operations run on node in its single observe session (transport.Do).
	ObserveOps(node addrs.Address) []transport.Op
	// Plan computes the unit's changes from the observation. It must be pure and deterministic.
	Plan(obs Observation) UnitPlan
	// LockDir is where the run-wide lock directory lives on each node.
	LockDir() transport.NodePath
	// Apply makes the changes of plan on the nodes, then verifies them. conns holds every
	// reachable node of the unit.
	Apply(ctx context.Context, plan UnitPlan, conns map[addrs.Address]transport.Node, p Progress) ApplyReport
}

// LockedObserver is a Unit that reads more when it is observed under an apply's lock: what its
// Apply would otherwise read first, in a call of its own, before it changes anything
// (clusterpro: the backup's look at the installed configuration and the backups kept). Those
// outcomes follow ObserveOps' in Observation.Results; a plan made without the lock has none.
type LockedObserver interface {
	LockedObserveOps(node addrs.Address) []transport.Op
}

// observeOps are the ops that observe u on node: ObserveOps, and under an apply's lock
// LockedObserveOps after them.
func observeOps(u Unit, node addrs.Address, underLock bool) []transport.Op {
	ops := u.ObserveOps(node)
	if lo, ok := u.(LockedObserver); ok && underLock {
		ops = append(ops[:len(ops):len(ops)], lo.LockedObserveOps(node)...)
	}
	return ops
}

// Observation is what a unit's nodes reported: per node, either the outcomes of the unit's
// observe ops (read them with the unit's transport.Probe handles) or the error that kept the
// node from being reached.
type Observation struct {
	Results map[addrs.Address][]transport.Outcome
	Errors  map[addrs.Address]error
}

// UnitPlan is a unit's share of a plan. State is the unit's private, already-computed decision
// (what to write, which vendor sequence), handed back to Apply so apply does exactly what was
// planned without deciding again.
type UnitPlan struct {
	Unit        addrs.Address
	Changes     []Change
	Diagnostics []Diagnostic
	// Fingerprints of what each node reported, for refusing stale saved plans.
	Observed map[string]string
	State    any
	// Release, set by the engine for Apply, lets the unit release the run's lock in its last
	// call on each node (nil: the engine releases it when Apply ends).
	Release *Release `json:"-"`
}

// ApplyReport says, per node, what apply did. A node is in at most one list.
type ApplyReport struct {
	Changed   []string
	Unchanged []string
	// Kept: nodes that hold their previous configuration, whole, and run it: the change was not
	// made there (an interrupt or a failure stopped the run first, and its recovery resumed
	// what it had suspended). They are neither changed nor failed.
	Kept   []string
	Failed []string
	Err    error
}

// Progress receives one line per node and step while applying. Views implement it.
type Progress interface {
	Step(node, step string)
	Done(node, step string, err error)
	Info(msg string)
}
