package statusfile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"

	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// unitState is the decision Plan made, per definition file, and Apply carries out.
type unitState struct {
	services []serviceSteps
}

// serviceSteps is what apply does for one definition file, in this order: create the files of
// new logical files (xodstsinit), then write the definition file.
type serviceSteps struct {
	def   transport.NodePath
	steps []step
	final []byte // nil: the definition file already says what it should
}

// step is one command.
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
		o, err := s.decode(res[i*obsPerService : (i+1)*obsPerService])
		if err != nil {
			up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{Severity: planner.SeverityError,
				Summary: "Unreadable status service definition", Addr: s.sf.Addr.String(),
				Detail: fmt.Sprintf("%s, %s: %v. The tool reads and writes the definition only in its own format (docs/statusfile.md) and never overwrites a file it cannot read: "+
					"check the file on the node, then plan again.", node, s.def, err)})
			continue
		}
		fmt.Fprintf(fp, "%s\x00%s\n", s.def, o.fingerprint)
		sp := u.planService(s, o)
		if sp.change.Action != planner.NoOp && !hasErrors(sp.diags) {
			up.Changes = append(up.Changes, sp.change)
		}
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
	change planner.Change
	diags  []planner.Diagnostic
	work   *serviceSteps // nil: nothing to do
}

// planService creates the files of the declared logical files that have none, then writes the
// definition. Whatever needs a logical file's state — removing it, re-pairing it, opening,
// closing or swapping — is refused: no public command reads the state (doc.go).
func (u *unit) planService(s *service, o *observed) servicePlan {
	sp := servicePlan{change: planner.Change{Addr: s.sf.Addr, Action: planner.NoOp}}
	node := u.node.Addr.String()
	addr := s.sf.Addr.String()
	refuse := func(summary, format string, args ...any) {
		sp.diags = append(sp.diags, planner.Diagnostic{Severity: planner.SeverityError, Summary: summary, Addr: addr,
			Detail: fmt.Sprintf(format, args...)})
	}
	for _, l := range o.def.Logicals {
		if _, ok := s.want.Find(l.Name); !ok {
			refuse("Cannot remove a logical file",
				"%s on %s names logical file %s, which %s no longer declares. Removing it needs its state: xodstsrm deletes only a reserved or blocked file, "+
					"xodstscls closes only a spare one, and a current one must first be swapped away (seed 003). No public command prints that state "+
					"(it is shown in the [ステータスファイルの情報] utility), so the tool does not guess. Keep the logical_file block, or look up its state in "+
					"that utility, close and delete it by hand, and remove it from the definition file; then plan again.",
				s.def, node, l, addr)
		}
	}
	work := &serviceSteps{def: s.def}
	for _, w := range s.want.Logicals {
		seen := o.files[w.Name]
		if have, ok := o.def.Find(w.Name); ok && have != w {
			refuse("Cannot re-pair a logical file",
				"Logical file %s is %s in %s on %s, and declared as %s. Moving its files needs it closed or deleted, and that needs its state, "+
					"which no public command prints (seed 003 shows it only in the [ステータスファイルの情報] utility). Declare it with its present files, "+
					"or give the new files a new logical file name.", w.Name, have, s.def, node, w)
			continue
		}
		_, defined := o.def.Find(w.Name)
		switch {
		case seen.ASize == notFile || seen.BSize == notFile:
			refuse("Status file path is not a file",
				"Something else than a regular file is at %s or %s (logical file %s) on %s. Move it away or choose other paths.", w.A, w.B, w.Name, node)
		case defined && (seen.ASize < 0) != (seen.BSize < 0):
			there, missing := w.A, w.B
			if seen.ASize < 0 {
				there, missing = w.B, w.A
			}
			refuse("Half a logical file",
				"Logical file %s has %s on %s but not %s. A side may be missing because the file failed and was blocked, or was deleted by hand; "+
					"re-creating it is safe only for a closed file, and no public command prints the state. Check the logical file in the "+
					"[ステータスファイルの情報] utility, restore or re-initialise the missing file by the manual's procedure, then plan again.",
				w.Name, there, node, missing)
		default:
			// Both sides missing; or, for a logical file the definition does not name yet (the
			// object server does not know it), the side an interrupted apply did not create.
			for _, side := range []struct {
				name, path string
				size       int64
			}{{"A", w.A, seen.ASize}, {"B", w.B, seen.BSize}} {
				if side.size >= 0 {
					continue
				}
				name := fmt.Sprintf("create the %s file %s of logical file %s (xodstsinit)", side.name, side.path, w.Name)
				c := initCommand(s.install, side.path)
				work.steps = append(work.steps, step{name: name, cmd: c})
				sp.change.Operations = append(sp.change.Operations, planner.Operation{Node: node, Step: name, Command: c.Display()})
			}
		}
		if d, ok := drift(node, o, w); ok {
			sp.change.Drift = append(sp.change.Drift, d)
		}
	}
	if hasErrors(sp.diags) {
		sp.change.Operations = nil
		return sp
	}
	if !o.hasDef || !o.def.Equal(s.want) {
		work.final = s.want.Render()
		sp.change.Operations = append(sp.change.Operations, planner.Operation{Node: node,
			Step: fmt.Sprintf("write the definition file %s atomically: %s", s.def, namesOf(s.want))})
		sp.change.Attrs = append(sp.change.Attrs, planner.AttrChange{Name: "logical_files", Before: listOf(o.def, o.hasDef), After: listOf(s.want, true)})
	}
	switch {
	case !o.hasDef:
		sp.change.Action = planner.Create
	case work.final != nil || len(work.steps) > 0:
		sp.change.Action = planner.Update
	}
	if sp.change.Action == planner.NoOp {
		return sp
	}
	sp.change.Reason = "the object server reads the definition when it starts: logical files added now are opened at its next normal start, " +
		"where the first one listed becomes current (seed 003); a running server keeps its current file, and the tool cannot see whether it runs"
	if o.hasDef && len(work.steps) == 0 && sameNames(o.def, s.want) {
		sp.change.Reason = "only the order changes: at the next normal start the first logical file listed becomes current; " +
			"a restart keeps the previous current file (seed 003)"
	}
	if len(work.steps) > 0 {
		sp.diags = append(sp.diags, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "New logical files stay closed until the server opens them",
			Addr: addr, Detail: fmt.Sprintf("The files are created; the object server opens them at its next normal start. To open one while it runs, "+
				"run %s on %s once the definition names it: the tool does not, since it cannot read whether the status server runs or the file is reserved.",
				OpenCommand(s.install, "NAME").Display(), node)})
	}
	sp.work = work
	return sp
}

// drift reports what was seen of a logical file the definition already names: its state is
// unknown, its files' sizes are shown.
func drift(node string, o *observed, w Logical) (planner.NodeDrift, bool) {
	if _, ok := o.def.Find(w.Name); !ok {
		return planner.NodeDrift{}, false
	}
	seen := o.files[w.Name]
	if seen.ASize >= 0 && seen.BSize >= 0 {
		return planner.NodeDrift{}, false
	}
	return planner.NodeDrift{Node: node, Summary: fmt.Sprintf("logical file %s is defined but its files are missing (state unknown)", w.Name),
		Details: []string{"a logical file without files is reserved at a normal start (seed 003): its files are created so that it can be opened"}}, true
}

// sameNames reports whether two definitions name the same logical files, in any order.
func sameNames(a, b Definition) bool {
	if len(a.Logicals) != len(b.Logicals) {
		return false
	}
	for _, l := range a.Logicals {
		if m, ok := b.Find(l.Name); !ok || m != l {
			return false
		}
	}
	return true
}

func namesOf(d Definition) string {
	var s string
	for i, l := range d.Logicals {
		if i > 0 {
			s += ", "
		}
		s += l.Name
	}
	if s == "" {
		return "no logical files"
	}
	return "logical files " + s + " in this order"
}

func listOf(d Definition, present bool) planner.Value {
	if !present {
		return planner.Value{}
	}
	items := make([]string, len(d.Logicals))
	for i, l := range d.Logicals {
		items[i] = l.Name + " " + l.A + " " + l.B
	}
	return planner.List(items...)
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
