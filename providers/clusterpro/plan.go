package clusterpro

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// unitState is the decision Plan made and Apply carries out.
type unitState struct {
	master  addrs.Address // where the directory is written and pushed from
	seq     sequence
	files   map[string][]byte // the configuration directory: "clp.conf", "scripts/..."
	backup  []addrs.Address   // nodes whose installed configuration is backed up first
	steps   []step            // vendor commands, in order
	desired string            // fingerprint every node must have after apply
	// unknown are the nodes whose run state clpstat did not show readably: apply refuses to
	// run while there are any (--assume-running counts them as running instead).
	unknown []addrs.Address
	// previous is each node's fingerprint when planned, to tell an untouched node after a
	// failure, and a node that already held the desired state.
	previous map[addrs.Address]string
	// looks are the backups' looks read with the observation (under an apply's lock), by node:
	// a node's backup without one reads it first.
	looks map[addrs.Address]backupLook
}

// held reports whether node n already held the desired state when planned.
func (st *unitState) held(n addrs.Address) bool { return st.previous[n] == st.desired }

// Plan compares the observed nodes with the desired configuration directory. It is pure: same
// nodeProbes, same plan.
func (u *unit) Plan(obs planner.Observation) planner.UnitPlan {
	up := planner.UnitPlan{Unit: u.c.Addr, Observed: map[string]string{}}
	states := map[addrs.Address]*nodeState{}
	looks := map[addrs.Address]backupLook{} // read under an apply's lock only
	var reachable []addrs.Address
	decoder := newNodeDecoder(u.c.Name, u.desired)
	for _, n := range u.c.Nodes {
		if err, bad := obs.Errors[n.Addr]; bad {
			up.Diagnostics = append(up.Diagnostics, unreachable(n.Addr, n.Endpoint.Address, n.Endpoint.Port, err))
			continue
		}
		nodeObs := u.lockedProbes(n.Addr)
		st, err := decoder.decode(nodeObs, obs.Results[n.Addr])
		if err != nil {
			up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{
				Severity: "error", Summary: "Unreadable node state", Addr: n.Addr.String(),
				Detail: fmt.Sprintf("%s: %v. Repair or remove the file on the node, then plan again.", n.Addr, err),
			})
			continue
		}
		states[n.Addr] = st
		reachable = append(reachable, n.Addr)
		if look, err := nodeObs.backupLookOf(obs.Results[n.Addr]); err == nil {
			looks[n.Addr] = look
		}
		up.Diagnostics = append(up.Diagnostics, u.serviceDiagnostics(n.Addr, nodeObs.services, obs.Results[n.Addr])...)
		// The run state is part of what a saved plan was made against.
		up.Observed[n.Addr.String()] = st.fp + " " + string(st.run)
	}
	if len(reachable) == 0 {
		return up
	}
	desired := u.desired
	if u.rollback != "" {
		d, diag := u.rollbackTarget(obs, reachable[0])
		up.Diagnostics = append(up.Diagnostics, diag)
		if d == nil {
			return up
		}
		desired = d
	}

	// Every node is compared with the desired configuration. When the nodes agree, that one
	// comparison is the change; when they do not, each node that differs from the
	// configuration is named with its own diff, and the change is the union of theirs.
	var changes []planner.Change
	if allEqual(reachable, states) {
		changes = diffStates(u.c, states[reachable[0]], desired)
	} else {
		// Nodes holding the same directory share one diff (mergeChanges and driftOf only read it).
		perNode := map[addrs.Address][]planner.Change{}
		byKey := map[[sha256.Size]byte][]planner.Change{}
		for _, n := range reachable {
			key := states[n].key
			diff, ok := byKey[key]
			if !ok {
				diff = diffStates(u.c, states[n], desired)
				byKey[key] = diff
			}
			perNode[n] = diff
		}
		changes = mergeChanges(reachable, perNode)
		var drift []planner.NodeDrift
		for _, n := range reachable {
			if states[n].fp != desired.fp {
				drift = append(drift, driftOf(n, states[n], perNode[n]))
			}
		}
		i := indexOf(changes, u.c.Addr)
		if i < 0 {
			changes = append(changes, planner.Change{Addr: u.c.Addr, Action: planner.Update})
			i = len(changes) - 1
		}
		changes[i].Reason = "the nodes do not hold the same configuration; pushing it makes every node identical"
		changes[i].Drift = drift
	}
	for _, n := range reachable {
		up.Diagnostics = append(up.Diagnostics, u.registryDiagnostics(n, u.probes(n).registry, obs.Results[n], changes)...)
	}
	up.Diagnostics = append(up.Diagnostics, u.identicalRegistryDiagnostics(obs, reachable)...)
	rs := runStatesOf(reachable, states, u.assumeRunning)
	if rs.active() && noneConfigured(reachable, states) {
		// Never "new": pushing and starting would act on a live cluster without suspending it.
		up.Diagnostics = append(up.Diagnostics, u.activeWithoutConfiguration(rs))
		return up
	}
	up.Diagnostics = append(up.Diagnostics, u.runStateDiagnostics(rs, states)...)
	configChanges := changes // without the run state's repair, for chooseSequence
	if attr, ok := runStateAttr(rs); ok {
		// Shown whatever else changes: what apply does to the cluster's run state.
		changes = withRunState(changes, u.c.Addr, attr, rs)
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Addr.String() < changes[j].Addr.String() })
	if len(changes) == 0 {
		return up
	}

	st := &unitState{master: masterOf(reachable, rs), files: directoryFiles(desired), desired: desired.fp,
		previous: map[addrs.Address]string{}, looks: map[addrs.Address]backupLook{}}
	for _, n := range reachable {
		st.previous[n] = states[n].fp
		if !states[n].empty() {
			st.backup = append(st.backup, n)
		}
		if look, ok := looks[n]; ok {
			st.looks[n] = look
		}
	}
	st.seq = chooseSequence(reachable, states, rs, configChanges)
	st.steps = u.steps(st.seq, st.master, rs)
	if st.seq == seqSuspended || st.seq == seqRestart {
		// Groups move only while the cluster runs: before the suspend.
		moves, diags := u.strandedGroups(st.master, states[st.master], desired, rs)
		up.Diagnostics = append(up.Diagnostics, diags...)
		st.steps = append(u.onShells(moves), st.steps...)
	}
	st.unknown = rs.unknown
	changes[0].Operations = u.operations(st)
	up.Changes = changes
	up.State = st
	return up
}

// withRunState adds the run state's repair to the cluster's change, or adds that change.
func withRunState(changes []planner.Change, cluster addrs.Address, attr planner.AttrChange, rs runStates) []planner.Change {
	i := indexOf(changes, cluster)
	if i < 0 {
		changes = append(changes, planner.Change{Addr: cluster, Action: planner.Update})
		i = len(changes) - 1
	}
	changes[i].Attrs = append(changes[i].Attrs, attr)
	reason := "an earlier apply left the cluster suspended (it was interrupted or failed); apply resumes it"
	if len(rs.unknown) > 0 {
		reason = "clpstat does not show the cluster's run state readably on " + nodeList(rs.unknown) +
			"; apply refuses to change the cluster until it is known, or pass --assume-running"
	}
	if changes[i].Reason == "" {
		changes[i].Reason = reason
	} else {
		changes[i].Reason += "; " + reason
	}
	return changes
}

// runStateDiagnostics warns of each node whose run state is unknown, and of each node holding
// the tool's suspension record.
func (u *unit) runStateDiagnostics(rs runStates, states map[addrs.Address]*nodeState) []planner.Diagnostic {
	var out []planner.Diagnostic
	for _, n := range rs.unknown {
		why := "it shows no state the tool can read for this server"
		if err := states[n].statErr; err != nil {
			why = err.Error()
		}
		out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Cluster run state unknown", Addr: n.String(),
			Detail: fmt.Sprintf("clpstat on %s: %s. Whether the cluster runs (and so must be suspended before a push) cannot be told, so apply refuses to change this cluster. Check the cluster on %s (clpstat), then plan again, or pass --assume-running to suspend it before the push and resume it after.",
				n, why, n)})
	}
	for _, n := range rs.suspended {
		out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Cluster left suspended", Addr: n.String(),
			Detail: fmt.Sprintf("%s holds the record %s: an earlier apply suspended the cluster from there and did not see it resumed. Apply resumes it (clpcl --resume). If you resumed it yourself, remove that file and plan again.",
				n, u.l.suspendMark())})
	}
	return out
}

// activeWithoutConfiguration refuses a cluster that runs, is suspended or may run while no node
// shows a configuration directory: the tool cannot tell what the cluster holds, and a create
// (push, then clpcl -s -a) would change a live cluster without suspending it.
func (u *unit) activeWithoutConfiguration(rs runStates) planner.Diagnostic {
	active := slices.Concat(rs.suspended, rs.running, rs.unknown)
	return planner.Diagnostic{Severity: "error", Summary: "Cluster active without a readable configuration", Addr: u.c.Addr.String(),
		Detail: fmt.Sprintf("the cluster runs, is suspended or may run (clpstat) on %s, but no node holds a readable %s: the configuration directory cannot be read while the cluster runs, so it is not treated as a new cluster and nothing is planned. Check %s on every node (moved away, a link, or a directory that cannot be entered), then plan again.",
			nodeList(active), u.l.install.Join("etc", "clp.conf"), u.l.install.Join("etc")),
	}
}

// allEqual reports whether every reachable node holds the same configuration.
func allEqual(reachable []addrs.Address, states map[addrs.Address]*nodeState) bool {
	for _, n := range reachable[1:] {
		if states[n].fp != states[reachable[0]].fp {
			return false
		}
	}
	return true
}

// directoryFiles is the configuration directory to stage for st: clp.conf and the scripts.
func directoryFiles(st *nodeState) map[string][]byte {
	files := map[string][]byte{"clp.conf": st.raw}
	for p, b := range st.scripts {
		files[p] = b
	}
	return files
}

// diffStates compares what a node holds (before) with the desired configuration (after):
// objects attribute by attribute in HCL terms, files as texts on the objects owning them.
func diffStates(c *config.Cluster, before, after *nodeState) []planner.Change {
	// The same bytes decode the same. (Equal fingerprints would not do: an object without
	// attributes, such as an exec resource with none set, adds nothing to the fingerprint.)
	if before.key == after.key {
		return nil
	}
	changes := diffObjects(before.objs, after.objs)
	for _, p := range sortedPaths(before.scripts, after.scripts) {
		b, a := before.scripts[p], after.scripts[p]
		if string(b) == string(a) {
			continue
		}
		owner := fileOwner(c, p)
		i := indexOf(changes, owner)
		if i < 0 {
			changes = append(changes, planner.Change{Addr: owner, Action: planner.Update})
			i = len(changes) - 1
		}
		changes[i].Texts = append(changes[i].Texts, planner.TextDiff{Path: p, Before: string(b), After: string(a), Charset: fileCharset(c, p)})
	}
	rebase(c, changes)
	sort.Slice(changes, func(i, j int) bool { return changes[i].Addr.String() < changes[j].Addr.String() })
	return changes
}

// diffObjects compares two object sets attribute by attribute.
func diffObjects(before, after objects) []planner.Change {
	all := map[addrs.Address]bool{}
	for a := range before {
		all[a] = true
	}
	for a := range after {
		all[a] = true
	}
	var out []planner.Change
	for a := range all {
		b, inB := before[a]
		f, inA := after[a]
		ch := planner.Change{Addr: a, Attrs: diffAttrs(b, f)}
		switch {
		case !inB:
			ch.Action = planner.Create
		case !inA:
			ch.Action = planner.Delete
		default:
			ch.Action = planner.Update
		}
		if ch.Action == planner.Update && len(ch.Attrs) == 0 {
			continue
		}
		out = append(out, ch)
	}
	return out
}

func diffAttrs(before, after attrs) []planner.AttrChange {
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []planner.AttrChange
	for k := range keys {
		b, a := before[k], after[k]
		if b.Equal(a) {
			continue
		}
		out = append(out, planner.AttrChange{Name: k, Before: b, After: a})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// mergeChanges is the union of the nodes' changes, in priority order: an object's action and
// an attribute's before value come from the first node that differs there.
func mergeChanges(reachable []addrs.Address, perNode map[addrs.Address][]planner.Change) []planner.Change {
	var out []planner.Change
	for _, n := range reachable {
		for _, c := range perNode[n] {
			i := indexOf(out, c.Addr)
			if i < 0 {
				out = append(out, planner.Change{Addr: c.Addr, Action: c.Action, Attrs: slices.Clone(c.Attrs), Texts: slices.Clone(c.Texts)})
				continue
			}
			for _, a := range c.Attrs {
				if !slices.ContainsFunc(out[i].Attrs, func(x planner.AttrChange) bool { return x.Name == a.Name }) {
					out[i].Attrs = append(out[i].Attrs, a)
				}
			}
			for _, t := range c.Texts {
				if !slices.ContainsFunc(out[i].Texts, func(x planner.TextDiff) bool { return x.Path == t.Path }) {
					out[i].Texts = append(out[i].Texts, t)
				}
			}
		}
	}
	return out
}

// driftOf says how node n differs from the configuration: one line per object and attribute,
// values from the node's to the configuration's, and its files as texts.
func driftOf(n addrs.Address, st *nodeState, changes []planner.Change) planner.NodeDrift {
	d := planner.NodeDrift{Node: n.String()}
	if st.empty() {
		d.Summary = "holds no configuration"
		return d
	}
	for _, c := range changes {
		line := c.Action.Symbol() + " " + c.Addr.String()
		if c.Action != planner.Update || len(c.Attrs) == 0 {
			d.Details = append(d.Details, line)
		}
		if c.Action == planner.Update {
			for _, a := range c.Attrs {
				d.Details = append(d.Details, fmt.Sprintf("%s: %s = %s -> %s", line, a.Name, a.Before, a.After))
			}
		}
		d.Texts = append(d.Texts, c.Texts...)
	}
	d.Summary = fmt.Sprintf("%d object(s) differ from the configuration", len(changes))
	return d
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
	byName := map[string]attrs{}
	for a, attrs := range objs {
		byName[a.String()] = attrs
	}
	for _, k := range keys {
		attrs := byName[k]
		// The object itself counts, also when it has no attribute set.
		fmt.Fprintf(h, "object\x00%s\n", k)
		names := make([]string, 0, len(attrs))
		for n := range attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\n", k, n, attrs[n].Type(), attrs[n])
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
