package clusterpro

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
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
	seqPushOnly  sequence = "push-only" // cluster stopped or suspended: push and leave it so
)

// unitState is the decision Plan made and Apply carries out.
type unitState struct {
	master  addrs.Address // where the directory is written and pushed from
	seq     sequence
	files   map[string][]byte      // the configuration directory: "clp.conf", "scripts/..."
	backup  []addrs.Address        // nodes whose installed configuration is backed up first
	steps   []step                 // vendor commands, in order, run on master
	before  map[addrs.Address]bool // whether each node already held the desired state
	desired string                 // fingerprint every node must have after apply
}

// step is one vendor command of the sequence.
type step struct {
	name string
	cmd  transport.Command
}

// Plan compares the observed nodes with the desired configuration directory. It is pure: same
// observation, same plan.
func (u *unit) Plan(obs planner.Observation) planner.UnitPlan {
	up := planner.UnitPlan{Unit: u.c.Addr, Observed: map[string]string{}}
	states := map[addrs.Address]*nodeState{}
	var reachable []addrs.Address
	for _, n := range u.c.Nodes {
		if err, bad := obs.Errors[n.Addr]; bad {
			up.Diagnostics = append(up.Diagnostics, unreachable(n.Addr, n.Endpoint.Address, n.Endpoint.Port, err))
			continue
		}
		st, err := decodeNode(u.c.Name, obs.Results[n.Addr])
		if err != nil {
			up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{
				Severity: "error", Summary: "Unreadable node state", Addr: n.Addr.String(),
				Detail: fmt.Sprintf("%s: %v. Repair or remove the file on the node, then plan again.", n.Addr, err),
			})
			continue
		}
		states[n.Addr] = st
		reachable = append(reachable, n.Addr)
		up.Observed[n.Addr.String()] = st.fp
	}
	if len(reachable) == 0 {
		return up
	}

	ref := reference(reachable, up.Observed)
	refState := states[ref]
	changes := diffObjects(refState.objs, u.desired.objs)
	changes = addScriptDiffs(u.c.Name, changes, refState.scripts, u.desired.scripts)

	var drift []planner.NodeDrift
	for _, n := range reachable {
		if up.Observed[n.String()] != up.Observed[ref.String()] {
			drift = append(drift, driftOf(u.c.Name, n, states[n], refState))
		}
	}
	clusterAddr := u.c.Addr
	if len(drift) > 0 {
		i := indexOf(changes, clusterAddr)
		if i < 0 {
			changes = append(changes, planner.Change{Addr: clusterAddr, Action: planner.Update,
				Reason: "some nodes differ from the others; pushing the configuration makes every node identical"})
			i = len(changes) - 1
		}
		changes[i].Drift = drift
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Addr.String() < changes[j].Addr.String() })
	if len(changes) == 0 {
		return up
	}

	st := &unitState{master: reachable[0], files: u.desiredFiles(), desired: u.desired.fp, before: map[addrs.Address]bool{}}
	for _, n := range reachable {
		st.before[n] = states[n].fp == u.desired.fp
		if !states[n].empty() {
			st.backup = append(st.backup, n)
		}
	}
	st.seq = u.chooseSequence(refState, states[st.master], changes)
	st.steps = u.steps(st.seq)
	if st.seq == seqPushOnly && states[st.master].run == stateUnknown {
		up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{
			Severity: "warning", Summary: "Cluster status unknown", Addr: st.master.String(),
			Detail: "clpstat gave no usable status on " + st.master.String() + "; the configuration will be pushed without suspending the cluster.",
		})
	}
	changes[0].Operations = u.operations(st)
	up.Changes = changes
	up.State = st
	return up
}

// reference picks the state the other nodes are compared with: the one most nodes hold, ties
// going to the higher-priority node. The odd node out is the one reported as drifted.
func reference(reachable []addrs.Address, fps map[string]string) addrs.Address {
	count := map[string]int{}
	for _, n := range reachable {
		count[fps[n.String()]]++
	}
	best := reachable[0]
	for _, n := range reachable {
		if count[fps[n.String()]] > count[fps[best.String()]] {
			best = n
		}
	}
	return best
}

// chooseSequence picks the vendor procedure from the kind of change and the cluster's state.
func (u *unit) chooseSequence(ref, master *nodeState, changes []planner.Change) sequence {
	if ref.empty() {
		return seqCreate
	}
	if master.run != stateRunning {
		return seqPushOnly
	}
	for _, c := range changes {
		if c.Addr.Kind == addrs.KindHeartbeat {
			return seqRestart
		}
		if c.Addr.Kind == addrs.KindClusterNode {
			for _, a := range c.Attrs {
				if strings.HasPrefix(a.Name, "device[") {
					return seqRestart
				}
			}
		}
	}
	return seqSuspended
}

func (u *unit) steps(seq sequence) []step {
	clpcl := u.l.bin("clpcl")
	push := step{"distribute the configuration to every node", transport.Cmd(u.l.bin("clpcfctrl"), "--push", u.l.pushFlag(), "-x", u.l.staged())}
	suspend := step{"suspend the cluster", transport.Cmd(clpcl, "--suspend", "-a")}
	resume := step{"resume the cluster", transport.Cmd(clpcl, "--resume", "-a")}
	switch seq {
	case seqCreate:
		return []step{push, {"start the cluster", transport.Cmd(clpcl, "-s", "-a")}}
	case seqSuspended:
		return []step{suspend, push, resume}
	case seqRestart:
		return []step{suspend, push, resume,
			{"restart the cluster services", transport.Cmd(clpcl, "-r", "-a", "--ib", "--web", "--alert")}}
	default:
		return []step{push}
	}
}

// operations describes, in order, what Apply will do; the plan shows it.
func (u *unit) operations(st *unitState) []planner.Operation {
	var ops []planner.Operation
	for _, n := range st.backup {
		ops = append(ops, planner.Operation{Node: n.String(), Step: "back up the installed configuration under " + u.l.backups().Posix()})
	}
	ops = append(ops, planner.Operation{Node: st.master.String(), Step: "write the configuration directory to " + u.l.staged().Posix()})
	for _, s := range st.steps {
		ops = append(ops, planner.Operation{Node: st.master.String(), Step: s.name, Command: s.cmd.Display()})
	}
	ops = append(ops, planner.Operation{Node: u.c.Addr.String(), Step: "read every node again and check it holds the new configuration"})
	return ops
}

// desiredFiles is the configuration directory to stage: clp.conf and the scripts.
func (u *unit) desiredFiles() map[string][]byte {
	files := map[string][]byte{"clp.conf": u.desired.raw}
	for p, b := range u.desired.scripts {
		files[p] = b
	}
	return files
}

// diffObjects compares two object sets attribute by attribute.
func diffObjects(before, after objects) []planner.Change {
	seen := map[addrs.Address]bool{}
	var all []addrs.Address
	for a := range before {
		seen[a] = true
		all = append(all, a)
	}
	for a := range after {
		if !seen[a] {
			all = append(all, a)
		}
	}
	var out []planner.Change
	for _, a := range all {
		b, inB := before[a]
		f, inA := after[a]
		ch := planner.Change{Addr: a}
		switch {
		case !inB:
			ch.Action = planner.Create
		case !inA:
			ch.Action = planner.Delete
		default:
			ch.Action = planner.Update
		}
		ch.Attrs = diffAttrs(b, f)
		if ch.Action == planner.Update && len(ch.Attrs) == 0 {
			continue
		}
		out = append(out, ch)
	}
	return out
}

func diffAttrs(before, after map[string]string) []planner.AttrChange {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []planner.AttrChange
	for k := range keys {
		b, inB := before[k]
		a, inA := after[k]
		if inB && inA && a == b {
			continue
		}
		ac := planner.AttrChange{Name: k}
		if inB {
			ac.Before = planner.Value{Raw: b}
		}
		if inA {
			ac.After = planner.Value{Raw: a}
		}
		out = append(out, ac)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// addScriptDiffs attaches script file differences to the objects that own the scripts.
func addScriptDiffs(cluster string, changes []planner.Change, before, after map[string][]byte) []planner.Change {
	paths := map[string]bool{}
	for p := range before {
		paths[p] = true
	}
	for p := range after {
		paths[p] = true
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	for _, p := range sorted {
		b, a := before[p], after[p]
		if string(b) == string(a) {
			continue
		}
		owner := scriptOwner(cluster, p)
		i := indexOf(changes, owner)
		if i < 0 {
			changes = append(changes, planner.Change{Addr: owner, Action: planner.Update})
			i = len(changes) - 1
		}
		changes[i].Texts = append(changes[i].Texts, planner.TextDiff{Path: p, Before: string(b), After: string(a)})
	}
	return changes
}

// driftOf says how node n differs from the reference state.
func driftOf(cluster string, n addrs.Address, st, ref *nodeState) planner.NodeDrift {
	d := planner.NodeDrift{Node: n.String()}
	if st.empty() {
		d.Summary = "holds no configuration"
		return d
	}
	diffs := addScriptDiffs(cluster, diffObjects(ref.objs, st.objs), ref.scripts, st.scripts)
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Addr.String() < diffs[j].Addr.String() })
	for _, c := range diffs {
		line := c.Action.Symbol() + " " + c.Addr.String()
		var what []string
		for _, a := range c.Attrs {
			what = append(what, fmt.Sprintf("%s: %v -> %v", a.Name, orNone(a.Before), orNone(a.After)))
		}
		for _, t := range c.Texts {
			what = append(what, t.Path+" differs")
		}
		if len(what) > 0 && c.Action == planner.Update {
			line += ": " + strings.Join(what, "; ")
		}
		d.Details = append(d.Details, line)
	}
	d.Summary = fmt.Sprintf("%d object(s) differ from the other nodes", len(diffs))
	return d
}

func orNone(v planner.Value) any {
	if v.Raw == nil {
		return "(none)"
	}
	return v.Raw
}

func indexOf(changes []planner.Change, a addrs.Address) int {
	for i, c := range changes {
		if c.Addr == a {
			return i
		}
	}
	return -1
}

// fingerprint identifies a configuration semantically: two nodes with the same fingerprint
// hold the same objects and scripts, whatever the file layout.
func fingerprint(objs objects, scripts map[string][]byte) string {
	h := sha256.New()
	keys := make([]string, 0, len(objs))
	for a := range objs {
		keys = append(keys, a.String())
	}
	sort.Strings(keys)
	byName := map[string]map[string]string{}
	for a, attrs := range objs {
		byName[a.String()] = attrs
	}
	for _, k := range keys {
		attrs := byName[k]
		names := make([]string, 0, len(attrs))
		for n := range attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(h, "%s\x00%s\x00%s\n", k, n, attrs[n])
		}
	}
	paths := make([]string, 0, len(scripts))
	for p := range scripts {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		sum := sha256.Sum256(scripts[p])
		fmt.Fprintf(h, "script\x00%s\x00%x\n", p, sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func unreachable(n addrs.Address, host string, port int, err error) planner.Diagnostic {
	if port == 0 {
		port = 22
	}
	// Transport errors already name the node; say it once.
	msg := strings.TrimPrefix(err.Error(), n.String()+": ")
	return planner.Diagnostic{
		Severity: "error", Summary: "Node unreachable", Addr: n.String(),
		Detail: fmt.Sprintf("%s (%s:%d) could not be reached: %s. Every node of a cluster must be reachable to plan "+
			"and apply it safely: fix the connection, or leave this cluster out of the run with --target.", n, host, port, msg),
	}
}
