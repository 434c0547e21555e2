package servergroup

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
)

// rollout is the decision Plan made and Apply carries out, step for step.
type rollout struct {
	Management     addrs.Address // the management node's address
	ManagementName string
	// Roster is the state file apply starts from on the management node: the new membership,
	// each member's marks as observed.
	Roster *groupState
	// RecordRoster: write Roster before anything else (a new group, a moved management
	// role, members added or readdressed).
	RecordRoster bool
	// Bookkeeping are members disabled or removed: taken out of the balancer, no sync.
	Bookkeeping []bookkeeping
	// Want is the fingerprint of the management node's settings as planned; the snapshot
	// and every synced member must hold exactly that.
	Want      string
	WantFiles int
	WantSize  int64
	// Members is the rollout wave, in order; Parallel of them run at once.
	Members  []memberStep
	Parallel int
}

// member names one member of the rollout and what its balancer commands need.
type member struct {
	Addr     addrs.Address // server_group.web.member.web2
	Name     string
	Node     addrs.Address // node.web2
	NodeName string
	Address  string
}

// memberStep is what the rollout does to one member; the flags run in field order.
type memberStep struct {
	member
	Detach bool // detach_command on the management node
	Sync   bool // stage, unpack and swap in the snapshot, then verify the fingerprint
	Record bool // write the member's own state file
	Attach bool // attach_command on the management node
	Resync bool // a manual sync (--resync): clears the out-of-sync mark
	Enable bool // maintenance over: clears the disabled mark once synced
}

// bookkeeping is a member leaving the rollout: disabled, or removed from the group.
type bookkeeping struct {
	member
	Detach bool
	Remove bool // drop from the roster; otherwise mark disabled
}

func (r *rollout) syncs() bool {
	for _, s := range r.Members {
		if s.Sync {
			return true
		}
	}
	return false
}

// operations describes, in order, what Apply runs; the plan shows it.
func (u *unit) operations(r *rollout) []planner.Operation {
	mgmt := r.Management.String()
	var ops []planner.Operation
	op := func(node, step string, cmd string) {
		ops = append(ops, planner.Operation{Node: node, Step: step, Command: cmd})
	}
	if r.RecordRoster {
		op(mgmt, "record the group roster in "+u.l.stateFile().Posix()+" (management role)", "")
	}
	for _, b := range r.Bookkeeping {
		if b.Detach {
			u.balancerOp(op, mgmt, "detach", u.g.DetachCommand, b.member)
		}
		if b.Remove {
			op(mgmt, "remove "+b.Name+" from the roster", "")
		} else {
			op(mgmt, "mark "+b.Name+" disabled in the roster", "")
		}
	}
	if r.syncs() {
		op(mgmt, fmt.Sprintf("compress the settings into %s (%d files, %d bytes) and check them against this plan",
			u.l.archive().Posix(), r.WantFiles, r.WantSize), "")
	}
	if r.Parallel > 1 && len(r.Members) > 1 {
		op(u.g.Addr.String(), fmt.Sprintf("roll out to %d members at a time, in this order", r.Parallel), "")
	}
	for _, s := range r.Members {
		node := s.Node.String()
		if s.Detach {
			u.balancerOp(op, mgmt, "detach", u.g.DetachCommand, s.member)
		}
		if s.Sync {
			op(node, "stage the settings in "+u.l.system.Posix()+", unpack them beside "+u.l.settings.Posix()+" and swap them in", "")
			op(node, "verify the settings are identical to "+mgmt+"'s", "")
		}
		if s.Record {
			op(node, "record the membership in "+u.l.stateFile().Posix(), "")
		}
		if s.Attach {
			u.balancerOp(op, mgmt, "attach", u.g.AttachCommand, s.member)
		}
	}
	if r.syncs() {
		op(mgmt, "remove "+u.l.archive().Posix(), "")
	}
	return ops
}

func (u *unit) balancerOp(op func(node, step, cmd string), mgmt, verb string, argv []string, m member) {
	prep := map[string]string{"detach": "from", "attach": "to"}[verb]
	if c, ok := balancerCommand(argv, m.NodeName, m.Address); ok {
		op(mgmt, verb+" "+m.NodeName+" "+prep+" the load balancer", c.Display())
		return
	}
	op(mgmt, "no "+verb+"_command: "+m.NodeName+" is not "+verb+"ed "+prep+" a load balancer", "")
}
