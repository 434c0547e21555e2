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

// step is one vendor command of the sequence, or another operation, and the node it runs on.
type step struct {
	name string
	node addrs.Address
	// ops run in order in one call, each only when the ones before it succeeded
	// (transport.DoInOrder): most steps are one command.
	ops []transport.Op
	// display, when set, is the vendor command as the plan shows it, for a step whose ops
	// wrap it (the suspension record around clpcl --suspend and --resume).
	display string
	// shell is the node's dialect (transport.SSHSettings.Shell): how its commands are shown.
	shell string
}

// shown is the command as the plan shows it, as the step's node receives it.
func (s step) shown() string {
	if s.display != "" {
		return s.display
	}
	var parts []string
	for _, op := range s.ops {
		parts = append(parts, shownOp(op, s.shell))
	}
	return strings.Join(parts, "; ")
}

// shownOp is an op as the plan shows it: a command as the node's shell receives it
// (transport.Command.DisplayFor); another op on a POSIX node as the command that node runs for
// it (the plan's wording since the first release), else as the op describes itself.
func shownOp(op transport.Op, shell string) string {
	if c, ok := op.(transport.Command); ok {
		if _, _, isScript := c.ShellScript(); !isScript {
			return c.DisplayFor(shell)
		}
		return op.Describe()
	}
	if shell != "" && shell != transport.ShellPosix {
		return op.Describe()
	}
	if c, err := transport.PosixCommand(op); err == nil {
		if _, _, isScript := c.ShellScript(); !isScript {
			return c.Display()
		}
	}
	return op.Describe()
}

// cmdStep is a step that runs one command.
func cmdStep(name string, n addrs.Address, c transport.Command) step {
	return step{name: name, node: n, ops: []transport.Op{c}}
}

// runStates is the cluster's run state as each reachable node reports it.
type runStates struct {
	// suspended are the nodes holding the tool's suspension record: an earlier apply suspended
	// the cluster from there and did not see it resumed.
	suspended []addrs.Address
	running   []addrs.Address
	// unknown are the nodes whose clpstat output shows no state the tool can read (and that hold
	// no suspension record); with assumeRunning they count as running instead.
	unknown []addrs.Address
}

func runStatesOf(reachable []addrs.Address, states map[addrs.Address]*nodeState, assumeRunning bool) runStates {
	var rs runStates
	for _, n := range reachable {
		switch states[n].run {
		case stateSuspended:
			rs.suspended = append(rs.suspended, n)
		case stateRunning:
			rs.running = append(rs.running, n)
		case stateUnknown:
			if assumeRunning {
				rs.running = append(rs.running, n)
			} else {
				rs.unknown = append(rs.unknown, n)
			}
		}
	}
	if len(rs.suspended) > 0 {
		// The record says the tool suspended the whole cluster: that explains a node whose
		// clpstat shows no readable state, and the repair resumes the whole cluster.
		rs.unknown = nil
	}
	return rs
}

// masterOf is the node that runs the cluster-wide commands (suspend, push, resume): the running
// node of highest priority (reachable and rs.running are in priority order), so that a node
// which reports the cluster stopped while others run it is not the one that suspends it; the
// first reachable node when none runs.
func masterOf(reachable []addrs.Address, rs runStates) addrs.Address {
	if len(rs.running) > 0 {
		return rs.running[0]
	}
	return reachable[0]
}

// active reports whether the cluster service runs (suspended or not) on some node, or may.
func (rs runStates) active() bool { return len(rs.suspended)+len(rs.running)+len(rs.unknown) > 0 }

// chooseSequence picks the vendor procedure from the configuration's changes and the cluster's
// state. changes is empty when only the run state needs repair.
func chooseSequence(reachable []addrs.Address, states map[addrs.Address]*nodeState, rs runStates, changes []planner.Change) sequence {
	switch {
	case len(changes) == 0:
		return seqResume
	case !rs.active() && noneConfigured(reachable, states):
		// Only a cluster known to run nowhere is new: one that runs (or may) with no
		// configuration the tool could read is refused by Plan (activeWithoutConfiguration).
		return seqCreate
	case !rs.active():
		return seqPushOnly
	case restartNeeded(changes):
		return seqRestart
	}
	return seqSuspended
}

// noneConfigured reports whether no reachable node holds a configuration directory.
func noneConfigured(reachable []addrs.Address, states map[addrs.Address]*nodeState) bool {
	return !slices.ContainsFunc(reachable, func(n addrs.Address) bool { return !states[n].empty() })
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

// steps lists the vendor commands of seq. clpcl --suspend and --resume act on the entire
// cluster (EXPRESSCLUSTER/clpaic's tool definitions: "Suspend the entire cluster"; the
// vendor's own procedures run them once, on one server, without -a). So the cluster is
// suspended and resumed once, from the master; a cluster an earlier apply left suspended is
// resumed once, from the node that holds the suspension record, before anything else.
func (u *unit) steps(seq sequence, master addrs.Address, rs runStates) []step {
	clpcl := u.l.bin("clpcl")
	on := func(n addrs.Address, name string, args ...any) step {
		return cmdStep(name, n, transport.Cmd(append([]any{clpcl}, args...)...))
	}
	suspend := func(n addrs.Address) step {
		return step{name: "suspend the cluster", node: n, ops: u.l.suspend(), display: transport.Cmd(clpcl, "--suspend").DisplayFor(u.shellOf(n))}
	}
	resume := func(n addrs.Address, name string) step {
		return step{name: name, node: n, ops: u.l.resume(), display: transport.Cmd(clpcl, "--resume").DisplayFor(u.shellOf(n))}
	}
	push := cmdStep("distribute the configuration to every node", master, transport.Cmd(u.l.bin("clpcfctrl"), "--push", u.l.pushFlag(), "-x", u.l.staged()))
	restart := on(master, "restart the cluster services", "-r", "-a", "--ib", "--web", "--alert")
	var repair []step
	if len(rs.suspended) > 0 {
		repair = append(repair, resume(rs.suspended[0], "resume the cluster an earlier apply left suspended"))
		for _, n := range rs.suspended[1:] {
			repair = append(repair, step{name: "remove the suspension record the resume covered", node: n, ops: u.l.forget()})
		}
	}
	switch seq {
	case seqCreate:
		return u.onShells([]step{push, on(master, "start the cluster", "-s", "-a")})
	case seqPushOnly:
		return u.onShells([]step{push})
	case seqResume:
		return u.onShells(repair)
	}
	// The suspend, the push and the resume stay calls of their own, although one call would
	// save two sessions: a graceful interrupt is honoured only between calls, and it must stop
	// the sequence before the push (nodes keep their previous configuration) and be reported
	// as an interrupt when it arrives during the push (TestApplyInterruptedBySignalsTogether).
	out := append(repair, suspend(master), push, resume(master, "resume the cluster"))
	if seq == seqRestart {
		out = append(out, restart)
	}
	return u.onShells(out)
}

// onShells records on each step the shell of its node, so that the plan shows its commands as
// that node receives them.
func (u *unit) onShells(steps []step) []step {
	for i := range steps {
		steps[i].shell = u.shellOf(steps[i].node)
	}
	return steps
}

// shellOf is node n's dialect: "" (POSIX) for a node the cluster does not declare.
func (u *unit) shellOf(n addrs.Address) string {
	if u.c == nil {
		return ""
	}
	for _, cn := range u.c.Nodes {
		if cn.Addr == n {
			return cn.Endpoint.SSH.Shell
		}
	}
	return ""
}

// operations describes, in order, what Apply will do; the plan shows it.
func (u *unit) operations(st *unitState) []planner.Operation {
	var ops []planner.Operation
	if st.seq != seqResume {
		for _, n := range st.backup {
			ops = append(ops, planner.Operation{Node: n.String(), Step: "back up the installed configuration under " + string(u.l.backups())})
		}
		ops = append(ops, planner.Operation{Node: st.master.String(), Step: "write the configuration directory to " + string(u.l.staged())})
	}
	for _, s := range st.steps {
		ops = append(ops, planner.Operation{Node: s.node.String(), Step: s.name, Command: s.shown()})
	}
	ops = append(ops, planner.Operation{Node: u.c.Addr.String(), Step: "read every node again and check it holds the new configuration"})
	return ops
}

// runStateAttr is the run state's repair, shown on the cluster whatever else changes: a
// cluster an earlier apply left suspended is resumed; one whose state clpstat does not show
// readably is named, and apply refuses to push to it until it is known or --assume-running.
func runStateAttr(rs runStates) (planner.AttrChange, bool) {
	var parts []string
	if len(rs.suspended) > 0 {
		parts = append(parts, "suspended from "+nodeList(rs.suspended))
	}
	if len(rs.unknown) > 0 {
		parts = append(parts, "unknown on "+nodeList(rs.unknown))
	}
	if len(parts) == 0 {
		return planner.AttrChange{}, false
	}
	return planner.AttrChange{Name: "run_state", Before: planner.String(strings.Join(parts, "; ")), After: planner.String("running")}, true
}

// nodeList names nodes by their last address part: "sv1, sv2".
func nodeList(nodes []addrs.Address) string {
	names := make([]string, len(nodes))
	for i, n := range nodes {
		names[i] = n.Parts()[len(n.Parts())-1]
	}
	return strings.Join(names, ", ")
}
