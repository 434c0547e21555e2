package clusterpro

import (
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// sequence is the vendor procedure a change needs (DOMAIN.md section 1, "Applying").
type sequence string

const (
	seqCreate    sequence = "create"    // new cluster: push, then start it
	seqSuspended sequence = "suspend"   // running cluster: suspend, push, resume
	seqRestart   sequence = "restart"   // heartbeat/interconnect change: also restart services
	seqPushOnly  sequence = "push-only" // cluster stopped: push and leave it so
	seqResume    sequence = "resume"    // configuration in place, cluster left suspended: resume it
)

// step is one vendor command of the sequence and the node it runs on.
type step struct {
	name string
	node addrs.Address
	cmd  transport.Command
}

// runStates is the cluster's run state as each reachable node reports it.
type runStates struct {
	suspended, running []addrs.Address // in priority order
}

func runStatesOf(reachable []addrs.Address, states map[addrs.Address]*nodeState) runStates {
	var rs runStates
	for _, n := range reachable {
		switch states[n].run {
		case stateSuspended:
			rs.suspended = append(rs.suspended, n)
		case stateRunning:
			rs.running = append(rs.running, n)
		}
	}
	return rs
}

// active reports whether the cluster service runs (suspended or not) on some node.
func (rs runStates) active() bool { return len(rs.suspended)+len(rs.running) > 0 }

// chooseSequence picks the vendor procedure from the configuration's changes and the cluster's
// state. changes is empty when only the run state needs repair.
func chooseSequence(reachable []addrs.Address, states map[addrs.Address]*nodeState, rs runStates, changes []planner.Change) sequence {
	switch {
	case len(changes) == 0:
		return seqResume
	case !slices.ContainsFunc(reachable, func(n addrs.Address) bool { return !states[n].empty() }):
		return seqCreate
	case !rs.active():
		return seqPushOnly
	case restartNeeded(changes):
		return seqRestart
	}
	return seqSuspended
}

// restartNeeded reports whether a change touches the heartbeat paths, which the cluster services
// only read at start.
func restartNeeded(changes []planner.Change) bool {
	for _, c := range changes {
		if c.Addr.Kind == addrs.KindHeartbeat {
			return true
		}
		if c.Addr.Kind == addrs.KindClusterNode {
			for _, a := range c.Attrs {
				if a.Name == "interconnects" || a.Name == "mirror_connect" || strings.HasPrefix(a.Name, `vendor_parameters["device`) {
					return true
				}
			}
		}
	}
	return false
}

// steps lists the vendor commands of seq. While the whole cluster runs, it is suspended and
// resumed as one (-a, from the master). When some nodes were left suspended (an interrupted or
// failed earlier apply), every node is handled by itself: the running ones are suspended, and
// after the push every node that runs the cluster is resumed; the vendor refuses -a on a
// cluster whose nodes are in different states.
func (u *unit) steps(seq sequence, master addrs.Address, rs runStates) []step {
	clpcl := u.l.bin("clpcl")
	on := func(n addrs.Address, name string, args ...any) step {
		return step{name: name, node: n, cmd: transport.Cmd(append([]any{clpcl}, args...)...)}
	}
	push := step{"distribute the configuration to every node", master, transport.Cmd(u.l.bin("clpcfctrl"), "--push", u.l.pushFlag(), "-x", u.l.staged())}
	restart := on(master, "restart the cluster services", "-r", "-a", "--ib", "--web", "--alert")
	resumeEach := func(nodes []addrs.Address) []step {
		var out []step
		for _, n := range nodes {
			out = append(out, on(n, "resume the cluster on this node", "--resume"))
		}
		return out
	}
	switch seq {
	case seqCreate:
		return []step{push, on(master, "start the cluster", "-s", "-a")}
	case seqPushOnly:
		return []step{push}
	case seqResume:
		return resumeEach(rs.suspended)
	}
	var out []step
	if len(rs.suspended) == 0 {
		out = []step{on(master, "suspend the cluster", "--suspend", "-a"), push, on(master, "resume the cluster", "--resume", "-a")}
	} else {
		for _, n := range rs.running {
			out = append(out, on(n, "suspend the cluster on this node", "--suspend"))
		}
		out = append(out, push)
		out = append(out, resumeEach(sortedUnion(rs.running, rs.suspended))...)
	}
	if seq == seqRestart {
		out = append(out, restart)
	}
	return out
}

// sortedUnion merges two address lists, sorted by address.
func sortedUnion(a, b []addrs.Address) []addrs.Address {
	out := append(slices.Clone(a), b...)
	slices.SortFunc(out, func(x, y addrs.Address) int { return strings.Compare(x.String(), y.String()) })
	return slices.Compact(out)
}

// operations describes, in order, what Apply will do; the plan shows it.
func (u *unit) operations(st *unitState) []planner.Operation {
	var ops []planner.Operation
	if st.seq != seqResume {
		for _, n := range st.backup {
			ops = append(ops, planner.Operation{Node: n.String(), Step: "back up the installed configuration under " + u.l.backups().Posix()})
		}
		ops = append(ops, planner.Operation{Node: st.master.String(), Step: "write the configuration directory to " + u.l.staged().Posix()})
	}
	for _, s := range st.steps {
		ops = append(ops, planner.Operation{Node: s.node.String(), Step: s.name, Command: s.cmd.Display()})
	}
	ops = append(ops, planner.Operation{Node: u.c.Addr.String(), Step: "read every node again and check it holds the new configuration"})
	return ops
}

// runStateChange is the change that repairs a cluster left suspended, shown on the cluster.
func runStateChange(cluster addrs.Address, rs runStates) planner.Change {
	names := make([]string, len(rs.suspended))
	for i, n := range rs.suspended {
		names[i] = n.Parts()[len(n.Parts())-1]
	}
	return planner.Change{Addr: cluster, Action: planner.Update,
		Attrs: []planner.AttrChange{{Name: "run_state",
			Before: planner.String("suspended on " + strings.Join(names, ", ")), After: planner.String("running")}},
		Reason: "the cluster is left suspended (an earlier apply was interrupted or failed); apply resumes it"}
}
