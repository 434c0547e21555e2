package statusfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"

	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// unitState is the decision Plan made, per definition file, and Apply carries out.
type unitState struct {
	services []serviceSteps
}

// serviceSteps is what apply does for one definition file, in this order: create the files of
// new logical files (the site's init_command), then write the definition file when the site
// supplies its content.
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
	set, probes := u.observeSet()
	if len(res) != len(set.Ops()) {
		up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{Severity: planner.SeverityError,
			Summary: "Incomplete observation", Addr: node.String(),
			Detail: fmt.Sprintf("expected %d results from %s, got %d; plan again.", len(set.Ops()), node, len(res))})
		return up
	}
	if diags := u.ConfigDiagnostics(); hasErrors(diags) {
		up.Diagnostics = append(up.Diagnostics, diags...)
		return up
	}
	st := &unitState{}
	fp := sha256.New()
	for i, s := range u.services {
		o, err := s.decode(res, probes[i])
		if err != nil {
			up.Diagnostics = append(up.Diagnostics, planner.Diagnostic{Severity: planner.SeverityError,
				Summary: "Unreadable status files", Addr: s.sf.Addr.String(),
				Detail: fmt.Sprintf("%s, %s: %v. Check the definition file and the status files' paths on the node, then plan again.", node, s.def, err)})
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
// definition content the site supplies. Whatever needs a logical file's state — removing it,
// re-pairing it, re-creating one side, opening, closing or swapping — is refused: no public
// command reads the state (doc.go).
func (u *unit) planService(s *service, o *observed) servicePlan {
	sp := servicePlan{change: planner.Change{Addr: s.sf.Addr, Action: planner.NoOp}}
	node := u.node.Addr.String()
	addr := s.sf.Addr.String()
	refuse := func(summary, format string, args ...any) {
		sp.diags = append(sp.diags, planner.Diagnostic{Severity: planner.SeverityError, Summary: summary, Addr: addr,
			Detail: fmt.Sprintf(format, args...)})
	}
	warn := func(summary, format string, args ...any) {
		sp.diags = append(sp.diags, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: summary, Addr: addr,
			Detail: fmt.Sprintf(format, args...)})
	}
	work := &serviceSteps{def: s.def}
	for i, w := range s.want.Logicals {
		seen := o.files[w.Name]
		named := o.names(s.sf.Logicals[i])
		switch {
		case seen.ASize == notFile || seen.BSize == notFile:
			refuse("Status file path is not a file",
				"Something else than a regular file is at %s or %s (logical file %s) on %s. Move it away or choose other paths.", w.A, w.B, w.Name, node)
		case seen.ASize >= 0 && seen.BSize >= 0:
		case named && (seen.ASize < 0) != (seen.BSize < 0):
			there, missing := w.A, w.B
			if seen.ASize < 0 {
				there, missing = w.B, w.A
			}
			refuse("Half a logical file",
				"Logical file %s has %s on %s but not %s, and the definition file %s names it. A side may be missing because the file failed and was blocked, "+
					"or was deleted by hand; re-creating it is safe only for a closed file, and no public command prints the state. Check the logical file in the "+
					"[ステータスファイルの情報] utility, restore or re-initialise the missing file by the manual's procedure, then plan again.",
				w.Name, there, node, missing, s.def)
		case s.sf.InitCommand == nil:
			refuse("Status files missing",
				"Logical file %s has no %s on %s, and %s declares no init_command, so the tool does not create them: xodstsinit's options are in no public source "+
					"(docs/statusfile.md). Create them with xodstsinit as your manual says (seed 003: before the server starts, then name them in the definition), "+
					"or declare your command line, e.g. init_command = %s; then plan again.",
				w.Name, missingSides(w, seen), node, addr, config.InitCommandExample)
		default:
			// Both sides missing; or, for a logical file the node's definition does not name (the
			// object server does not know it), the side an interrupted apply did not create.
			// Never a file that exists: xodstsinit initialises what it is given.
			for _, side := range []struct {
				name, path string
				size       int64
			}{{"A", w.A, seen.ASize}, {"B", w.B, seen.BSize}} {
				if side.size >= 0 {
					continue
				}
				name := fmt.Sprintf("create the %s file %s of logical file %s (init_command)", side.name, side.path, w.Name)
				c := initCommand(s.sf.InitCommand, w, side.name)
				work.steps = append(work.steps, step{name: name, cmd: c})
				sp.change.Operations = append(sp.change.Operations, planner.Operation{Node: node, Step: name, Command: c.DisplayFor(u.shell())})
			}
		}
		if named && seen.ASize < 0 && seen.BSize < 0 {
			sp.change.Drift = append(sp.change.Drift, planner.NodeDrift{Node: node,
				Summary: fmt.Sprintf("logical file %s is named in the definition but its files are missing (state unknown)", w.Name),
				Details: []string{"a logical file without files is reserved at a normal start (seed 003): its files are created so that it can be opened"}})
		}
	}
	if s.managesDefinition() {
		u.planDefinitionWrite(s, o, work, &sp, refuse)
	} else {
		u.checkSiteDefinition(s, o, warn)
	}
	if hasErrors(sp.diags) {
		sp.change.Operations = nil
		return sp
	}
	switch {
	case work.final != nil && !o.hasDef:
		sp.change.Action = planner.Create
	case work.final != nil || len(work.steps) > 0:
		sp.change.Action = planner.Update
	}
	if sp.change.Action == planner.NoOp {
		return sp
	}
	sp.change.Reason = "the object server reads the definition when it starts: logical files added now are opened at its next normal start, " +
		"where the first one listed becomes current (seed 003); a running server keeps its current file, and the tool cannot see whether it runs"
	if len(work.steps) > 0 {
		warn("New logical files stay closed until the server opens them",
			"The files are created; the object server opens them at its next normal start. To open one while it runs, "+
				"run %s on %s once the definition names it: the tool does not, since it cannot read whether the status server runs or the file is reserved.",
			OpenCommand(s.install, "NAME").DisplayFor(u.shell()), node)
	}
	sp.work = work
	return sp
}

// planDefinitionWrite plans writing the site's definition content when the node's file differs
// by a byte. A drive path the node's definition names and the new content does not is refused:
// it may belong to the current or a spare logical file, and dropping it needs the state.
func (u *unit) planDefinitionWrite(s *service, o *observed, work *serviceSteps, sp *servicePlan, refuse func(string, string, ...any)) {
	want := []byte(s.sf.DefinitionContent)
	if o.hasDef && bytes.Equal(o.def, want) {
		return
	}
	if o.hasDef {
		keep := config.DefinitionDrivePaths(s.sf.DefinitionContent)
		var dropped []string
		for _, p := range config.DefinitionDrivePaths(string(o.def)) {
			if !slices.Contains(keep, p) {
				dropped = append(dropped, p)
			}
		}
		if len(dropped) > 0 {
			refuse("Definition would drop status files",
				"The definition file %s on %s names %s, which definition_content no longer does. Removing a logical file or moving its files needs its state: "+
					"xodstsrm deletes only a reserved or blocked file, xodstscls closes only a spare one, and a current one must first be swapped away (seed 003). "+
					"No public command prints that state (it is shown in the [ステータスファイルの情報] utility), so the tool does not guess. Keep those files in the content, "+
					"or look up their state in that utility, close and delete them by hand and edit the definition file on the node to match the content; then plan again.",
				s.def, u.node.Addr, strings.Join(dropped, ", "))
			return
		}
	}
	work.final = want
	sp.change.Operations = append(sp.change.Operations, planner.Operation{Node: u.node.Addr.String(),
		Step: fmt.Sprintf("write the definition file %s atomically (%d bytes, definition_content)", s.def, len(want))})
	sp.change.Texts = append(sp.change.Texts, planner.TextDiff{Path: string(s.def), Before: string(o.def), After: s.sf.DefinitionContent})
}

// checkSiteDefinition checks the definition file the site keeps, without reading its syntax:
// it must name the declared files in the declared order.
func (u *unit) checkSiteDefinition(s *service, o *observed, warn func(string, string, ...any)) {
	if !o.hasDef {
		warn("No status service definition",
			"%s is not on %s. Without definition_content the tool does not write it (the definition's syntax, manual 7.3, is in no public source): "+
				"write it as your manual says, naming the logical files in the declared order, or declare definition_content.", s.def, u.node.Addr)
		return
	}
	for _, p := range config.CheckDefinitionText(string(o.def), s.sf.Logicals) {
		summary := "Definition order differs"
		if len(p.Missing) > 0 {
			summary = "Definition does not name a status file"
		}
		warn(summary, "%s on %s: %s. The tool leaves the file alone (no definition_content); the first logical file it names becomes current at a normal start (seed 003). "+
			"Edit it to match the logical_file blocks, or declare definition_content.", s.def, u.node.Addr, p)
	}
}

// names reports whether the node's definition names either file of lf.
func (o *observed) names(lf *config.LogicalFile) bool {
	if !o.hasDef {
		return false
	}
	p := config.CheckDefinitionText(string(o.def), []*config.LogicalFile{lf})
	return len(p) == 0 || len(p[0].Missing) < 2
}

func missingSides(w Logical, seen LogicalState) string {
	switch {
	case seen.ASize < 0 && seen.BSize < 0:
		return "A file " + w.A + " nor B file " + w.B
	case seen.ASize < 0:
		return "A file " + w.A
	}
	return "B file " + w.B
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
