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
	attach   []string // servers to vkattach, in vkhoststat order
	declared []string // every declared server vkhoststat lists: none may be INACT after apply
}

// Plan compares the declared scan servers with what vkhoststat lists, and plans a vkattach for
// every declared server it shows INACT. It is pure: same observation, same plan.
func (u *unit) Plan(obs planner.Observation) planner.UnitPlan {
	up := planner.UnitPlan{Unit: u.s.Addr, Observed: map[string]string{}}
	if err, bad := obs.Errors[u.node]; bad {
		up.Diagnostics = append(up.Diagnostics, unreachable(u.node, u.s.Node.Endpoint.Address, u.s.Node.Endpoint.Port, err))
		return up
	}
	h, err := decodeHost(u.probes(), obs.Results[u.node])
	if err != nil {
		up.Diagnostics = append(up.Diagnostics, errorAt(u.s.Addr, "Unreadable Server-Scan host state",
			fmt.Sprintf("%s (%s): %v. Plan again.", u.node, u.s.Addr, err)))
		return up
	}
	up.Observed[u.node.String()] = h.fingerprint()
	if bad := u.ConfigDiagnostics(); len(bad) > 0 {
		up.Diagnostics = append(up.Diagnostics, bad...)
		return up
	}

	up.Diagnostics = append(up.Diagnostics, u.readStatuses(h)...)
	up.Diagnostics = append(up.Diagnostics, u.checks(h)...)
	if !h.statRan {
		return up
	}
	up.Diagnostics = append(up.Diagnostics, u.listDifferences(h.stat)...)

	st := &unitState{node: u.node}
	var changes []planner.Change
	for _, s := range u.s.Servers {
		row, listed := rowOf(h.stat, s.Name)
		if !listed {
			continue
		}
		st.declared = append(st.declared, s.Name)
		if !row.Inactive() {
			continue
		}
		st.attach = append(st.attach, s.Name)
		changes = append(changes, planner.Change{
			Addr:   s.Addr,
			Action: planner.Update,
			Attrs:  []planner.AttrChange{{Name: "connected", Before: planner.Bool(false), After: planner.Bool(true)}},
			Reason: fmt.Sprintf("vkhoststat: %s (line %d); reattached with vkattach", row.Status, row.Line),
		})
	}
	if len(changes) == 0 {
		return up
	}
	changes[0].Operations = u.operations(st)
	up.Changes = changes
	up.State = st
	return up
}

func rowOf(h HostStat, name string) (StatRow, bool) {
	for _, r := range h.Rows {
		if r.Name == name {
			return r, true
		}
	}
	return StatRow{}, false
}

// readStatuses reports every reason vkhoststat's listing is missing or incomplete, and the
// status words no source documents.
func (u *unit) readStatuses(h *hostState) []planner.Diagnostic {
	switch {
	case h.statMissing:
		return []planner.Diagnostic{errorAt(u.s.Addr, "vkhoststat not found",
			fmt.Sprintf("%s is not an executable on %s. Check install_dir of %s (Server-Scan's commands are in <install_dir>/bin).",
				u.l.bin("vkhoststat"), u.node, u.s.Addr))}
	case !h.statRan:
		return []planner.Diagnostic{errorAt(u.s.Addr, "vkhoststat output not understood",
			fmt.Sprintf("On %s, %s, so the scan servers' statuses are unknown:\n%s\nThe tool reads the listing by its Host and "+
				"Status column titles (docs/serverscan.md). Repair Server-Scan on the host, then plan again.",
				u.node, h.statErr, quote(h.statOut)))}
	}
	var diags []planner.Diagnostic
	if h.stat.ExitCode != 0 {
		diags = append(diags, warningAt(u.s.Addr, "vkhoststat exited with an error status",
			fmt.Sprintf("vkhoststat on %s exited with status %d but printed its listing, which the plan uses (what the status "+
				"means is not documented; the Server-Scan service stops when no scan server is usable):\n%s",
				u.node, h.stat.ExitCode, quote(h.statOut))))
	}
	if len(h.stat.Problems) > 0 {
		diags = append(diags, warningAt(u.s.Addr, "Unreadable vkhoststat lines",
			fmt.Sprintf("vkhoststat on %s printed lines that are not server rows; they were skipped:\n%s",
				u.node, strings.Join(h.stat.Problems, "\n"))))
	}
	var undocumented []string
	for _, r := range h.stat.Rows {
		if !r.Inactive() {
			undocumented = append(undocumented, fmt.Sprintf("%s %s", r.Name, r.Status))
		}
	}
	if len(undocumented) > 0 {
		diags = append(diags, warningAt(u.s.Addr, "Undocumented vkhoststat status",
			fmt.Sprintf("vkhoststat on %s shows %s. The only status word the Server-Scan manual documents is INACT "+
				"(disconnected); any other word is shown as printed and taken as not disconnected: such a server is "+
				"not reattached.", u.node, strings.Join(undocumented, ", "))))
	}
	return diags
}

// listDifferences compares the declared servers with vkhoststat's Host column. The list is
// Server-Scan's environment settings, which the tool cannot change: a declared server that is
// not listed is an error (nothing the tool does can make it connected), an undeclared one and
// a different order are warnings (the order is the only sign of the roles: vkhoststat lists
// normal servers first, then standby, seed 4.8 (1)).
func (u *unit) listDifferences(h HostStat) []planner.Diagnostic {
	var diags []planner.Diagnostic
	declared := u.declaredNames()
	listed := h.Names()
	for _, s := range u.s.Servers {
		if !slices.Contains(listed, s.Name) {
			diags = append(diags, errorAt(s.Addr, "Scan server not in Server-Scan's settings",
				fmt.Sprintf("vkhoststat on %s does not list %s, which the configuration declares (%s %d). The server list is "+
					"Server-Scan's environment settings, which this tool does not change: add %s there with Server-Scan's "+
					"environment setup, or remove %s from the configuration.", u.node, s.Name, s.Role, s.Order, s.Name, s.Addr)))
		}
	}
	for _, r := range h.Rows {
		if !slices.Contains(declared, r.Name) {
			diags = append(diags, warningAt(u.s.Addr, "Undeclared scan server",
				fmt.Sprintf("vkhoststat on %s lists %s (%s, line %d), which the configuration does not declare; the tool leaves it "+
					"alone. Declare a scan_server %q on %s, or remove it from Server-Scan's environment settings.",
					u.node, r.Name, r.Status, r.Line, r.Name, u.s.Addr)))
		}
	}
	inBoth := func(names, other []string) []string {
		var out []string
		for _, n := range names {
			if slices.Contains(other, n) {
				out = append(out, n)
			}
		}
		return out
	}
	if want, got := inBoth(declared, listed), inBoth(listed, declared); !slices.Equal(want, got) {
		diags = append(diags, warningAt(u.s.Addr, "Scan server order differs",
			fmt.Sprintf("vkhoststat on %s lists %s; the configuration declares %s. vkhoststat lists the servers of "+
				"Server-Scan's environment settings normal first, then standby, each in the order set there, so the roles "+
				"or the order differ. Change them in Server-Scan's environment settings, or role and order in the "+
				"configuration.", u.node, strings.Join(got, ", "), u.describeDeclared())))
	}
	return diags
}

// describeDeclared is the declared list as "WinNT01 (normal 1), WinNT03 (standby 1)".
func (u *unit) describeDeclared() string {
	var out []string
	for _, s := range u.s.Servers {
		out = append(out, fmt.Sprintf("%s (%s %d)", s.Name, s.Role, s.Order))
	}
	return strings.Join(out, ", ")
}

// Steps of apply, as the plan and the progress lines name them.
const (
	stepAttach = "attach scan server "
	stepVerify = "check that vkhoststat shows no declared server INACT"
)

// operations describes, in order, what Apply will do; the plan shows it.
func (u *unit) operations(st *unitState) []planner.Operation {
	node := st.node.String()
	var ops []planner.Operation
	for _, name := range st.attach {
		ops = append(ops, planner.Operation{Node: node, Step: stepAttach + name, Command: u.shown(u.vkattach(name))})
	}
	ops = append(ops, planner.Operation{Node: node, Step: stepVerify, Command: u.shown(u.vkhoststat())})
	return ops
}

// vkattach reconnects a server, with the name glued to -n as the seed writes it
// (「# /usr/SrvScan/bin/vkattach -nWinNT02」, 4.8 (2)).
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
