package serverscan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// unitState is the decision Plan made and Apply carries out, nothing more.
type unitState struct {
	node     addrs.Address
	settings []byte   // the settings file to write; nil leaves the file as it is
	attach   []string // servers to vkattach after the settings are in place, in vkhoststat order
	declared []string // every declared server: each must be ACT once apply is done
}

// Plan compares the host's settings and vkhoststat's statuses with the declared scan servers.
// It is pure: same observation, same plan.
func (u *unit) Plan(obs planner.Observation) planner.UnitPlan {
	up := planner.UnitPlan{Unit: u.s.Addr, Observed: map[string]string{}}
	if err, bad := obs.Errors[u.node]; bad {
		up.Diagnostics = append(up.Diagnostics, unreachable(u.node, u.s.Node.Endpoint.Address, u.s.Node.Endpoint.Port, err))
		return up
	}
	h, err := decodeHost(obs.Results[u.node], u.s.CheckConnector)
	if err != nil {
		up.Diagnostics = append(up.Diagnostics, errorAt(u.s.Addr, "Unreadable Server-Scan host state",
			fmt.Sprintf("%s (%s): %v. Repair or remove %s on the host, then plan again.", u.node, u.s.Addr, err, u.l.settings())))
		return up
	}
	up.Observed[u.node.String()] = h.fingerprint()

	desired, rendered, bad := u.renderDesired()
	if bad != nil {
		up.Diagnostics = append(up.Diagnostics, *bad)
		return up
	}
	statuses, diags := u.readStatuses(h)
	up.Diagnostics = append(up.Diagnostics, diags...)
	up.Diagnostics = append(up.Diagnostics, u.checks(h, statuses)...)

	changes, attach := u.serverChanges(h, desired, statuses)
	writeSettings := !h.settingsExist || !slices.Equal(h.entries, desired)
	if writeSettings {
		changes = append(changes, u.settingsChange(h, desired, rendered, statuses))
	}
	if len(changes) == 0 {
		return up
	}
	slices.SortFunc(changes, func(a, b planner.Change) int { return strings.Compare(a.Addr.String(), b.Addr.String()) })

	st := &unitState{node: u.node, attach: attach}
	if writeSettings {
		st.settings = rendered
	}
	for _, d := range desired {
		st.declared = append(st.declared, d.Name)
	}
	i := slices.IndexFunc(changes, func(c planner.Change) bool { return c.Addr == u.s.Addr })
	changes[max(i, 0)].Operations = u.operations(st)
	up.Changes = changes
	up.State = st
	return up
}

// statuses is what vkhoststat said of each server it listed, when it ran.
type statuses struct {
	ran  bool
	rows map[string]StatRow
}

func (s statuses) of(name string) (StatRow, bool) {
	r, ok := s.rows[name]
	return r, ok
}

// readStatuses turns vkhoststat's result into statuses, with a diagnostic for every reason the
// statuses are incomplete. A host with no settings file yet has no Server-Scan servers to
// report: vkhoststat failing there is expected.
func (u *unit) readStatuses(h *hostState) (statuses, []planner.Diagnostic) {
	st := statuses{ran: h.statRan, rows: map[string]StatRow{}}
	var diags []planner.Diagnostic
	switch {
	case h.statMissing:
		diags = append(diags, errorAt(u.s.Addr, "vkhoststat not found",
			fmt.Sprintf("%s is not an executable on %s. Check install_dir of %s (Server-Scan's commands are in <install_dir>/bin).",
				u.l.bin("vkhoststat"), u.node, u.s.Addr)))
		return st, diags
	case !h.statRan && h.settingsExist:
		diags = append(diags, errorAt(u.s.Addr, "vkhoststat failed",
			fmt.Sprintf("On %s, %s, so the scan servers' statuses are unknown:\n%s\nRepair Server-Scan on the host, then plan again.",
				u.node, h.statErr, quote(h.statOut))))
		return st, diags
	case !h.statRan:
		return st, diags
	}
	for _, r := range h.stat.Rows {
		st.rows[r.Name] = r
	}
	if len(h.stat.Problems) > 0 {
		diags = append(diags, planner.Diagnostic{Severity: planner.SeverityWarning, Addr: u.s.Addr.String(),
			Summary: "Unreadable vkhoststat lines",
			Detail: fmt.Sprintf("vkhoststat on %s printed lines that are not server rows; they were skipped:\n%s",
				u.node, strings.Join(h.stat.Problems, "\n"))})
	}
	for _, s := range u.s.Servers {
		if r, ok := st.of(s.Name); ok && !r.Known() {
			diags = append(diags, errorAt(s.Addr, "Unknown scan server status",
				fmt.Sprintf("vkhoststat reports %s as %q (line %d), which is neither ACT nor INACT. The tool does not guess what "+
					"it means: check the Server-Scan messages on %s and bring the server to ACT or INACT, then plan again.",
					s.Name, r.Status, r.Line, u.node)))
		}
	}
	return st, diags
}

// serverChanges compares every scan server, declared or found in the settings, and returns
// the changes and the servers to reattach.
func (u *unit) serverChanges(h *hostState, desired []Entry, st statuses) ([]planner.Change, []string) {
	var changes []planner.Change
	var attach []string
	observed := map[string]Entry{}
	for _, e := range h.entries {
		observed[e.Name] = e
	}
	beforePos, afterPos := positions(h.entries), positions(desired)
	for _, d := range desired {
		o, had := observed[d.Name]
		c := planner.Change{Addr: addrs.ScanServer(d.Name), Action: planner.Update}
		if had {
			c.Attrs = diffEntry(&o, beforePos[o.Name], &d, afterPos[d.Name])
		} else {
			c.Action = planner.Create
			c.Attrs = diffEntry(nil, 0, &d, afterPos[d.Name])
		}
		row, listed := st.of(d.Name)
		reattach := !listed && (st.ran || !h.settingsExist) || listed && row.Status == StatusInact
		if reattach {
			attach = append(attach, d.Name)
			before := planner.Value{}
			if listed {
				before = planner.String(row.Status)
			}
			c.Attrs = append(c.Attrs, planner.AttrChange{Name: "status", Before: before, After: planner.String(StatusAct)})
			slices.SortFunc(c.Attrs, func(a, b planner.AttrChange) int { return strings.Compare(a.Name, b.Name) })
		}
		if len(c.Attrs) == 0 {
			continue
		}
		c.Reason = liveStatus(row, listed, st.ran, had, reattach)
		changes = append(changes, c)
	}
	for _, o := range h.entries {
		if slices.ContainsFunc(desired, func(d Entry) bool { return d.Name == o.Name }) {
			continue
		}
		row, listed := st.of(o.Name)
		changes = append(changes, planner.Change{
			Addr:   addrs.ScanServer(o.Name),
			Action: planner.Delete,
			Attrs:  diffEntry(&o, beforePos[o.Name], nil, 0),
			Reason: liveStatus(row, listed, st.ran, true, false) + "; removed from the settings and not reattached",
		})
	}
	return changes, attach
}

// liveStatus says what vkhoststat reports of a server, and what apply does about it.
func liveStatus(row StatRow, listed, ran, configured, reattach bool) string {
	var s string
	switch {
	case listed && row.Known():
		s = "vkhoststat: " + row.Status
	case listed:
		s = fmt.Sprintf("vkhoststat: %s (unknown status)", row.Status)
	case !configured:
		s = "new: not listed by vkhoststat yet"
	case ran:
		s = "vkhoststat does not list it"
	default:
		s = "vkhoststat: no status"
	}
	if reattach {
		s += "; attached with vkattach once the settings are in place"
	}
	return s
}

// diffEntry compares a server's settings line before and after; nil means absent.
func diffEntry(before *Entry, beforeOrder int, after *Entry, afterOrder int) []planner.AttrChange {
	attrs := func(e *Entry, order int) map[string]planner.Value {
		if e == nil {
			return nil
		}
		return map[string]planner.Value{
			"connector": planner.String(e.Connector),
			"order":     planner.Int(int64(order)),
			"port":      planner.Int(int64(e.Port)),
			"role":      planner.String(e.Role),
			"service":   planner.String(e.Service),
		}
	}
	b, a := attrs(before, beforeOrder), attrs(after, afterOrder)
	var out []planner.AttrChange
	for _, name := range []string{"connector", "order", "port", "role", "service"} {
		if !b[name].Equal(a[name]) {
			out = append(out, planner.AttrChange{Name: name, Before: b[name], After: a[name]})
		}
	}
	return out
}

// settingsChange is the rewrite of the settings file, shown as the server list and the file's
// diff; its reason lists every server's live status.
func (u *unit) settingsChange(h *hostState, desired []Entry, rendered []byte, st statuses) planner.Change {
	c := planner.Change{Addr: u.s.Addr, Action: planner.Update}
	if !h.settingsExist {
		c.Action = planner.Create
	}
	names := func(es []Entry) planner.Value {
		if es == nil {
			return planner.Value{}
		}
		var out []string
		for _, e := range inStatOrder(es) {
			n := e.Name
			if e.Role == RoleStandby {
				n += " (standby)"
			}
			out = append(out, n)
		}
		return planner.List(out...)
	}
	if before, after := names(h.entries), names(desired); !before.Equal(after) {
		c.Attrs = append(c.Attrs, planner.AttrChange{Name: "servers", Before: before, After: after})
	}
	c.Texts = []planner.TextDiff{{Path: string(u.l.settings()), Before: string(h.settingsRaw), After: string(rendered)}}
	if st.ran && len(st.rows) > 0 {
		var live []string
		for _, e := range inStatOrder(h.entries) {
			if r, ok := st.of(e.Name); ok {
				live = append(live, e.Name+" "+r.Status)
			}
		}
		c.Reason = "vkhoststat: " + strings.Join(live, ", ")
	}
	return c
}

// Steps of apply, as the plan and the progress lines name them.
const (
	stepWrite  = "write the scan-server settings"
	stepAttach = "attach scan server "
	stepVerify = "check that vkhoststat lists every declared server as ACT"
)

// operations describes, in order, what Apply will do; the plan shows it.
func (u *unit) operations(st *unitState) []planner.Operation {
	node := st.node.String()
	var ops []planner.Operation
	if st.settings != nil {
		ops = append(ops, planner.Operation{Node: node,
			Step: stepWrite + " to " + string(u.l.settings()) + " (atomically: temporary file, then rename)"})
	}
	for _, name := range st.attach {
		ops = append(ops, planner.Operation{Node: node, Step: stepAttach + name, Command: u.vkattach(name).Display()})
	}
	ops = append(ops, planner.Operation{Node: node, Step: stepVerify, Command: u.vkhoststat().Display()})
	return ops
}

func (u *unit) vkattach(name string) transport.Command {
	return transport.Cmd(u.l.bin("vkattach"), "-n"+name)
}

func (u *unit) vkhoststat() transport.Command { return transport.Cmd(u.l.bin("vkhoststat")) }

func errorAt(a addrs.Address, summary, detail string) planner.Diagnostic {
	return planner.Diagnostic{Severity: planner.SeverityError, Summary: summary, Detail: detail, Addr: a.String()}
}

func warningAt(a addrs.Address, summary, detail string) planner.Diagnostic {
	return planner.Diagnostic{Severity: planner.SeverityWarning, Summary: summary, Detail: detail, Addr: a.String()}
}

// quote indents a command's output so it reads as a quotation inside a diagnostic or error.
func quote(out []byte) string {
	s := strings.TrimSpace(string(out))
	if s == "" {
		return "    (no output)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

func unreachable(n addrs.Address, host string, port int, err error) planner.Diagnostic {
	if port == 0 {
		port = 22
	}
	msg := strings.TrimPrefix(err.Error(), n.String()+": ") // transport errors already name the node
	return errorAt(n, "Node unreachable", fmt.Sprintf("%s (%s:%d) could not be reached: %s. Fix the connection to the "+
		"Server-Scan host, or leave it out of the run with --target.", n, host, port, msg))
}
