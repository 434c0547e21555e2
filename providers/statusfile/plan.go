package statusfile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// unitState is the decision Plan made, per definition file, and Apply carries out.
type unitState struct {
	services []serviceSteps
}

// serviceSteps is what apply does for one definition file, in this order: write the staged
// definition, run the commands, write the definition file, remove the staged copy.
type serviceSteps struct {
	def, staged transport.NodePath
	stage       []byte // nil: the commands use the definition as it is
	steps       []step
	final       []byte // nil: the definition file already says what it should
	cleanup     bool   // remove the staged copy at the end
}

// step is one vendor command.
type step struct {
	name string
	cmd  transport.Command
}

// Plan compares what the node reported with the status_file blocks. It is pure.
func (u *unit) Plan(obs planner.Observation) planner.UnitPlan {
	node := u.node.Addr
	up := planner.UnitPlan{Unit: node, Observed: map[string]string{}}
	if err, bad := obs.Errors[node]; bad {
		up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{
			Severity: planner.SeverityError, Summary: "Node unreachable", Addr: node.String(),
			Detail: fmt.Sprintf("%s (%s:%d) could not be reached: %v. Fix the connection, or leave its status files out of the run with --target.",
				node, u.node.Endpoint.Address, portOr22(u.node.Endpoint.Port), err),
		})
		return up
	}
	res := obs.Results[node]
	if len(res) != obsPerService*len(u.services) {
		up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{Severity: planner.SeverityError,
			Summary: "Incomplete observation", Addr: node.String(),
			Detail: fmt.Sprintf("expected %d results from %s, got %d; plan again.", obsPerService*len(u.services), node, len(res))})
		return up
	}
	st := &unitState{}
	fp := sha256.New()
	for i, s := range u.services {
		o, err := decodeService(res[i*obsPerService : (i+1)*obsPerService])
		if err != nil {
			up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{Severity: planner.SeverityError,
				Summary: "Unreadable status service", Addr: s.files[0].Addr.String(),
				Detail: fmt.Sprintf("%s, %s: %v. Repair the definition file on the node (or remove a broken %s), then plan again.",
					node, s.def, err, s.staged())})
			continue
		}
		fmt.Fprintf(fp, "%s\x00%s\n", s.def, o.fingerprint)
		sp := u.planService(s, o)
		up.Changes = append(up.Changes, sp.changes...)
		up.Diagnostics = append(up.Diagnostics, sp.diags...)
		if sp.work != nil {
			st.services = append(st.services, *sp.work)
		}
	}
	up.Observed[node.String()] = hex.EncodeToString(fp.Sum(nil))
	sort.SliceStable(up.Changes, func(i, j int) bool { return up.Changes[i].Addr.String() < up.Changes[j].Addr.String() })
	if len(st.services) > 0 {
		up.State = st
	}
	return up
}

// servicePlan is one definition file's share of the plan.
type servicePlan struct {
	changes []planner.Change
	diags   []planner.Diagnostic
	work    *serviceSteps // nil: nothing to do
}

// planService sequences every logical file the definition names or should name, then wraps
// the commands in the staged and final writes of the definition.
func (u *unit) planService(s *service, o *observed) servicePlan {
	var sp servicePlan
	node := u.node.Addr.String()
	want, declared := s.want, s.declared
	sp.diags = append(sp.diags, s.configDiagnostics()...)
	sp.diags = append(sp.diags, checkMoves(want, o, declared)...)
	staged := union(o.listed(), want)
	for _, l := range staged.Logicals {
		if len(l.Pairs) > maxPairs {
			sp.diags = append(sp.diags, planner.Diagnostic{Severity: planner.SeverityError,
				Summary: "Too many pairs during the change", Addr: addrs.StatusFile(l.Name).String(),
				Detail: fmt.Sprintf("Replacing the pairs of %s at once needs %d pairs defined while the new ones are created and the old "+
					"ones removed; the object server allows %d. Apply in two steps: first remove pairs, then add the new ones.",
					l.Name, len(l.Pairs), maxPairs)})
		}
	}
	if hasErrors(sp.diags) {
		return sp
	}

	opsDef := s.def
	writeStage := false
	names := logicalNames(want, o)
	type planned struct {
		name string
		ops  []Op
	}
	var all []planned
	for _, name := range names {
		var w *Want
		if sf := declared[name]; sf != nil {
			w = &Want{Pairs: PairsOf(sf), InitialCurrent: sf.InitialCurrent}
		}
		ops, err := Sequence(name, o.pairs[name], w)
		if err != nil {
			r, _ := err.(*Refusal)
			if r == nil {
				r = &Refusal{Summary: "Cannot plan the status file", Detail: err.Error()}
			}
			sp.diags = append(sp.diags, planner.Diagnostic{Severity: planner.SeverityError,
				Summary: r.Summary, Detail: r.Detail, Addr: addrs.StatusFile(name).String()})
			continue
		}
		if len(ops) > 0 && !definesAll(o.listed(), staged) {
			writeStage = true
		}
		all = append(all, planned{name, ops})
	}
	if hasErrors(sp.diags) {
		return sp
	}
	if writeStage || o.hasStage {
		opsDef = s.staged()
	}
	work := &serviceSteps{def: s.def, staged: s.staged(), cleanup: writeStage || o.hasStage}
	if writeStage {
		work.stage = staged.Render()
	}
	if !o.hasDef || !sameLogicals(o.def, want) {
		work.final = want.Render()
	}

	var changes []planner.Change
	for _, p := range all {
		ch := u.change(p.name, declared[p.name], o, p.ops)
		for _, op := range p.ops {
			c := s.command(op, p.name, opsDef, declared[p.name])
			work.steps = append(work.steps, step{name: op.Step, cmd: c})
			ch.Operations = append(ch.Operations, planner.Operation{Node: node, Step: op.Step, Command: c.Display()})
		}
		if ch.Action != planner.NoOp {
			changes = append(changes, ch)
		}
	}
	if len(changes) == 0 && (work.final != nil || work.cleanup) {
		// Nothing to do to any logical file, but the definition file is out of date or an
		// interrupted apply left its staged copy: finish on the first declared file's change.
		reason := "the definition file lists the logical files differently; it is rewritten"
		if o.hasStage {
			reason = "a previous apply was interrupted; its staged definition is folded in and removed"
		}
		changes = append(changes, planner.Change{Addr: s.files[0].Addr, Action: planner.Update, Reason: reason})
	}
	if len(changes) == 0 {
		return sp
	}
	if work.stage != nil {
		first := &changes[0]
		first.Operations = append([]planner.Operation{{Node: node,
			Step: fmt.Sprintf("write the staged definition %s (names the new pairs for the commands; %s is left alone until they succeed)",
				s.staged(), s.def)}}, first.Operations...)
	}
	last := &changes[len(changes)-1]
	if work.final != nil {
		last.Operations = append(last.Operations, planner.Operation{Node: node,
			Step: fmt.Sprintf("replace the definition file %s atomically, now that every operation succeeded", s.def)})
	}
	if work.cleanup {
		last.Operations = append(last.Operations, planner.Operation{Node: node,
			Step: "remove the staged definition", Command: transport.Cmd("rm", "-f", s.staged()).Display()})
	}
	sp.changes = changes
	sp.work = work
	return sp
}

// change describes one logical file: its action, the pair lists, and the pairs in a state that
// needs attention (blocked, closed, never created), with what apply does about them.
func (u *unit) change(name string, sf *config.StatusFile, o *observed, ops []Op) planner.Change {
	ch := planner.Change{Addr: addrs.StatusFile(name)}
	before, inDef := o.def.Find(name)
	switch {
	case sf == nil:
		ch.Action = planner.Delete
	case !inDef:
		ch.Action = planner.Create
	}
	var after []Pair
	if sf != nil {
		after = PairsOf(sf)
	}
	for i, side := range []string{"a_files", "b_files"} {
		b, a := sideOf(before.Pairs, i, inDef), sideOf(after, i, sf != nil)
		if !b.Equal(a) {
			ch.Attrs = append(ch.Attrs, planner.AttrChange{Name: side, Before: b, After: a})
		}
	}
	observedPairs := o.pairs[name]
	hasCurrent := false
	for _, p := range observedPairs {
		hasCurrent = hasCurrent || p.State == Current
		if d, ok := drift(u.node.Addr.String(), name, p, ops); ok {
			ch.Drift = append(ch.Drift, d)
		}
	}
	if sf != nil && len(observedPairs) > 0 && !hasCurrent && slices.ContainsFunc(observedPairs, func(p PairState) bool { return p.State != Uninitialized }) {
		ch.Drift = append(ch.Drift, planner.NodeDrift{Node: u.node.Addr.String(),
			Summary: name + " has no current pair", Details: []string{"the first pair opened becomes current"}})
	}
	switch {
	case slices.ContainsFunc(ops, func(op Op) bool { return op.Verb == Swap }):
		ch.Reason = "the current pair is no longer declared: current moves to a declared pair before it is closed and deleted"
	case slices.ContainsFunc(observedPairs, func(p PairState) bool { return p.Undefined }):
		ch.Reason = "the definition file on the node does not name a pair the object server holds (edited by hand): it is rewritten, the pair left as it is"
	}
	if ch.Action == "" {
		ch.Action = planner.NoOp
		if len(ops) > 0 || len(ch.Attrs) > 0 {
			ch.Action = planner.Update
		}
	}
	return ch
}

// drift reports a pair whose state needs attention, with the operations that deal with it.
func drift(node, logical string, p PairState, ops []Op) (planner.NodeDrift, bool) {
	var summary string
	switch {
	case len(p.Missing) > 0:
		summary = fmt.Sprintf("pair %s of %s is %s, but %s is missing on the node", p.Pair, logical, p.State, strings.Join(p.Missing, " and "))
	case p.Undefined:
		summary = fmt.Sprintf("pair %s of %s is %s on the object server, but the definition file does not name it", p.Pair, logical, p.State)
	case p.State == Blocked:
		summary = fmt.Sprintf("pair %s of %s is blocked (the server shut it out after an I/O error)", p.Pair, logical)
	case p.State == Reserved:
		summary = fmt.Sprintf("pair %s of %s is closed (reserved)", p.Pair, logical)
	default:
		return planner.NodeDrift{}, false
	}
	d := planner.NodeDrift{Node: node, Summary: summary}
	for _, op := range ops {
		if op.Pair == p.Pair {
			d.Details = append(d.Details, op.Step)
		}
	}
	return d, true
}

// command renders one operation as the vendor command, with every path a node path.
func (s *service) command(op Op, logical string, def transport.NodePath, sf *config.StatusFile) transport.Command {
	args := []any{s.bin(op.Verb), "-d", def, "-l", logical}
	if op.Verb != Swap {
		args = append(args, "-a", transport.NodePath(op.Pair.A))
	}
	if op.Verb == Init {
		args = append(args, "-b", transport.NodePath(op.Pair.B))
		if sf != nil && sf.RecordSize > 0 {
			args = append(args, "-s", strconv.Itoa(sf.RecordSize))
		}
		if sf != nil && sf.Records > 0 {
			args = append(args, "-n", strconv.Itoa(sf.Records))
		}
	}
	return transport.Cmd(args...)
}

// PairsOf zips a status file's A and B files, in POSIX form (the form the definition holds).
func PairsOf(sf *config.StatusFile) []Pair {
	n := min(len(sf.AFiles), len(sf.BFiles))
	out := make([]Pair, n)
	for i := range n {
		out[i] = Pair{A: transport.NodePath(sf.AFiles[i]).Posix(), B: transport.NodePath(sf.BFiles[i]).Posix()}
	}
	return out
}

func sideOf(pairs []Pair, side int, present bool) planner.Value {
	if !present {
		return planner.Value{}
	}
	files := make([]string, len(pairs))
	for i, p := range pairs {
		files[i] = p.A
		if side == 1 {
			files[i] = p.B
		}
	}
	return planner.List(files...)
}

// checkPaths refuses paths the definition file cannot hold. It applies validation's predicate:
// every configuration plan is given has passed validation, so the stricter test (any Unicode
// space or control character, not only " \t\r\n") refuses nothing validation let through, and
// plan and validate cannot disagree about a path.
func checkPaths(want Definition, declared map[string]*config.StatusFile) []planner.Diagnostic {
	var diags []planner.Diagnostic
	for _, l := range want.Logicals {
		for _, p := range l.Pairs {
			for _, f := range []string{p.A, p.B} {
				if config.StatusFilePathUsable(f) {
					continue
				}
				diags = append(diags, planner.Diagnostic{Severity: planner.SeverityError,
					Summary: "Status file path not usable", Addr: declared[l.Name].Addr.String(),
					Detail: fmt.Sprintf("%q: the status service definition holds absolute paths without spaces. Use such a path.", f)})
			}
		}
	}
	return diags
}

// checkMoves refuses a declared file that the node still holds in another logical file: the
// commands of the two logical files would run in name order, so creating it in one could
// overwrite it in the other before that one let it go.
func checkMoves(want Definition, o *observed, declared map[string]*config.StatusFile) []planner.Diagnostic {
	held := map[string]string{} // file -> logical file holding it on the node
	for name, pairs := range o.pairs {
		for _, p := range pairs {
			held[p.A], held[p.B] = name, name
		}
	}
	var diags []planner.Diagnostic
	for _, l := range want.Logicals {
		for _, p := range l.Pairs {
			for _, f := range []string{p.A, p.B} {
				if other, ok := held[f]; ok && other != l.Name {
					diags = append(diags, planner.Diagnostic{Severity: planner.SeverityError,
						Summary: "Status file moves between logical files", Addr: declared[l.Name].Addr.String(),
						Detail: fmt.Sprintf("%s is declared for %s, but the node holds it in logical file %s. Remove it from %s and apply, "+
							"then declare it for %s and apply again.", f, l.Name, other, other, l.Name)})
				}
			}
		}
	}
	return diags
}

// logicalNames is every logical file to plan: declared, defined, or listed, by name.
func logicalNames(want Definition, o *observed) []string {
	seen := map[string]bool{}
	var names []string
	for _, d := range []Definition{want, o.def, o.listed()} {
		for _, l := range d.Logicals {
			if !seen[l.Name] {
				seen[l.Name] = true
				names = append(names, l.Name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// definesAll reports whether def names every logical file and pair of need, in any order: the
// commands can then be given def.
func definesAll(def, need Definition) bool {
	for _, l := range need.Logicals {
		m, ok := def.Find(l.Name)
		if !ok {
			return false
		}
		for _, p := range l.Pairs {
			if !slices.Contains(m.Pairs, p) {
				return false
			}
		}
	}
	return true
}

// sameLogicals compares two definitions whatever the order of their logical files; the order of
// pairs inside one matters.
func sameLogicals(a, b Definition) bool {
	if len(a.Logicals) != len(b.Logicals) {
		return false
	}
	for _, l := range a.Logicals {
		m, ok := b.Find(l.Name)
		if !ok || !slices.Equal(l.Pairs, m.Pairs) {
			return false
		}
	}
	return true
}

func hasErrors(diags []planner.Diagnostic) bool {
	return slices.ContainsFunc(diags, func(d planner.Diagnostic) bool { return d.Severity == planner.SeverityError })
}

func portOr22(p int) int {
	if p == 0 {
		return 22
	}
	return p
}
