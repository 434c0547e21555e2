package servergroup

import (
	"fmt"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
)

// rollout is the decision Plan made and Apply carries out, step for step.
type rollout struct {
	Management     addrs.Address // the management node's address
	ManagementName string
	// Want is the fingerprint of the management node's settings as planned: apply checks
	// they are unchanged before it has WSMGR sync anyone.
	Want      string
	WantFiles int
	WantSize  int64
	// Disabled are members under maintenance still in the load balancer: detached first.
	Disabled []member
	// Members is the rollout wave, in order; Parallel of them run at once.
	Members  []memberStep
	Parallel int
	// SyncTimeout bounds the wait for the sync monitor to report one member's sync finished.
	SyncTimeout time.Duration
}

// member names one member and what the site's commands need.
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
	Detach bool // detach_command
	Sync   bool // sync_command, wait for sync_check_command, verify the config tree
	Attach bool // attach_command
	Resync bool // named by --resync
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
	op := func(node, step, cmd string) {
		ops = append(ops, planner.Operation{Node: node, Step: step, Command: cmd})
	}
	for _, m := range r.Disabled {
		u.siteOp(op, mgmt, "detach "+m.NodeName+" from the load balancer (disabled)", u.g.DetachCommand, m)
	}
	if r.syncs() {
		op(mgmt, fmt.Sprintf("check its settings are still the %d files (%d bytes) of this plan (read only)", r.WantFiles, r.WantSize), "")
	}
	if r.Parallel > 1 && len(r.Members) > 1 {
		op(u.g.Addr.String(), fmt.Sprintf("roll out to %d members at a time, in this order", r.Parallel), "")
	}
	for _, s := range r.Members {
		if s.Detach {
			u.siteOp(op, mgmt, "detach "+s.NodeName+" from the load balancer", u.g.DetachCommand, s.member)
		}
		if s.Sync {
			u.siteOp(op, mgmt, "have WSMGR sync "+s.NodeName+" from the management server", u.g.SyncCommand, s.member)
			u.siteOp(op, mgmt, fmt.Sprintf("wait until the sync monitor reports %s's sync finished (at most %s)", s.NodeName, r.SyncTimeout),
				u.g.SyncCheckCommand, s.member)
			op(s.Node.String(), "verify its config tree equals "+mgmt+"'s (read only)", "")
		}
		if s.Attach {
			u.siteOp(op, mgmt, "attach "+s.NodeName+" to the load balancer", u.g.AttachCommand, s.member)
		}
	}
	return ops
}

// siteOp adds one operation that runs a site command for m.
func (u *unit) siteOp(op func(node, step, cmd string), node, step string, argv []string, m member) {
	c, ok := siteCommand(argv, m.NodeName, m.Address)
	if !ok {
		return
	}
	op(node, step, u.shown(c))
}
