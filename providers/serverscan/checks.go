package serverscan

import (
	"fmt"
	"net"
	"strings"

	"github.com/clusterctl/cluster/planner"
)

// checks are the seed's pre-apply checks (4.8 (2)) and availability warnings, all computed
// from the observation: port collisions on the host, Scan-Connector reachability when
// check_connector is set, and configurations that one failure stops.
func (u *unit) checks(h *hostState) []planner.Diagnostic {
	var diags []planner.Diagnostic
	diags = append(diags, u.portChecks(h)...)
	diags = append(diags, u.serviceChecks(h)...)
	diags = append(diags, u.connectorChecks(h)...)
	diags = append(diags, u.availability(h)...)
	return diags
}

// portChecks reports programs listening on the ports Server-Scan uses. Server-Scan's own port
// taken by another program is an error; when ss cannot name the program (it names only the
// caller's own processes unless run as root), it might be Server-Scan itself, so it is a
// warning. A Scan-Connector port number also listened on by a program of the host is a warning:
// the seed asks for port numbers no other program uses.
func (u *unit) portChecks(h *hostState) []planner.Diagnostic {
	var diags []planner.Diagnostic
	if !h.listenersKnown {
		return []planner.Diagnostic{warningAt(u.s.Addr, "Listening ports not checked",
			fmt.Sprintf("%s has neither ss nor a readable /proc/net/tcp, so port collisions with other programs "+
				"(port %d of %s) could not be checked.", u.node, u.s.Port, u.s.Addr))}
	}
	for _, l := range h.listeners {
		if l.Port != u.s.Port {
			continue
		}
		switch {
		case l.Program == "":
			diags = append(diags, warningAt(u.s.Addr, "Server-Scan port in use",
				fmt.Sprintf("A program listens on port %d on %s, the port of %s, and ss could not name it. If it is not "+
					"Server-Scan itself, change port (Server-Scan's port must not be used by another program).",
					l.Port, u.node, u.s.Addr)))
		case !isServerScanProgram(l.Program):
			diags = append(diags, errorAt(u.s.Addr, "Port collision",
				fmt.Sprintf("%q listens on port %d on %s, the port of %s. Server-Scan's port must not be used by another "+
					"program: choose a free port for %s, or move %q.", l.Program, l.Port, u.node, u.s.Addr, u.s.Addr, l.Program)))
		}
		break
	}
	for _, s := range u.s.Servers {
		if u.isHostItself(s.Connector) {
			continue // a listener there may well be this Scan-Connector
		}
		for _, l := range h.listeners {
			if l.Port == s.Port {
				prog := "a program"
				if l.Program != "" {
					prog = fmt.Sprintf("%q", l.Program)
				}
				diags = append(diags, warningAt(s.Addr, "Scan-Connector port used by another program",
					fmt.Sprintf("%s listens on port %d on %s, the Scan-Connector port of %s. The seed asks for port numbers "+
						"no other program uses; consider another port for the Scan-Connector service.", prog, l.Port, u.node, s.Addr)))
				break
			}
		}
	}
	return diags
}

// isServerScanProgram reports whether a process name is Server-Scan's: its programs are named
// vk* (vkhoststat, vkattach, ...). See docs/serverscan.md.
func isServerScanProgram(name string) bool { return strings.HasPrefix(name, "vk") }

// isHostItself reports whether host names the Server-Scan host: a loopback address, localhost,
// or the address the tool reaches it at.
func (u *unit) isHostItself(host string) bool {
	if strings.EqualFold(host, "localhost") || host == u.s.Node.Endpoint.Address {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// connectorChecks turns the probes made from the host into diagnostics: a Scan-Connector that
// does not answer is an error (apply would leave its server INACT); a host without a probe tool
// is a warning.
func (u *unit) connectorChecks(h *hostState) []planner.Diagnostic {
	if !u.s.CheckConnector {
		return nil
	}
	var diags []planner.Diagnostic
	reported := map[endpoint]bool{}
	for _, s := range u.s.Servers {
		e := endpoint{host: s.Connector, port: s.Port}
		if reported[e] {
			continue
		}
		reported[e] = true
		switch h.probed[e] {
		case probeOpen:
		case probeClosed:
			diags = append(diags, errorAt(s.Addr, "Scan-Connector unreachable",
				fmt.Sprintf("%s could not connect to %s within %ds. Start the Scan-Connector service there, check the host, "+
					"port and packet filters between them, or set check_connector = false on %s to skip this check.",
					u.node, e, probeTimeout, u.s.Addr)))
		case probeUnchecked:
			diags = append(diags, warningAt(s.Addr, "Scan-Connector not checked",
				fmt.Sprintf("%s has neither bash with timeout nor nc, so %s could not be probed.", u.node, e)))
		default:
			diags = append(diags, warningAt(s.Addr, "Scan-Connector not checked",
				fmt.Sprintf("The probe of %s from %s gave no answer.", e, u.node)))
		}
	}
	return diags
}

// availability warns of configurations where one failure stops the service (a single scan
// server, seed 4.8 (3)), and of a host whose declared normal servers vkhoststat all shows INACT
// right now (4.8 (5): only then are the standby servers used).
func (u *unit) availability(h *hostState) []planner.Diagnostic {
	var diags []planner.Diagnostic
	if len(u.s.Servers) == 1 {
		s := u.s.Servers[0]
		diags = append(diags, warningAt(u.s.Addr, "Single scan server",
			fmt.Sprintf("%s has one scan server, %s: when it fails, the Server-Scan service stops (and mail with it). "+
				"Declare a second normal or a standby scan_server to survive one failure.", u.s.Addr, s.Name)))
	}
	if !h.statRan {
		return diags
	}
	var normal, standbyUp []string
	normalUp := 0
	for _, s := range u.s.Servers {
		r, listed := rowOf(h.stat, s.Name)
		up := listed && !r.Inactive()
		switch {
		case s.Role == RoleNormal:
			normal = append(normal, s.Name)
			if up {
				normalUp++
			}
		case up:
			standbyUp = append(standbyUp, s.Name)
		}
	}
	if len(normal) == 0 || normalUp > 0 {
		return diags
	}
	if len(standbyUp) > 0 {
		diags = append(diags, warningAt(u.s.Addr, "Running on standby servers only",
			fmt.Sprintf("vkhoststat on %s shows every normal scan server of %s INACT or does not list it (%s); the standby "+
				"servers %s carry the load. One more failure stops the service. Apply reattaches the INACT servers.",
				u.node, u.s.Addr, strings.Join(normal, ", "), strings.Join(standbyUp, ", "))))
	} else {
		diags = append(diags, warningAt(u.s.Addr, "No scan server connected",
			fmt.Sprintf("vkhoststat on %s shows no declared scan server other than INACT: the Server-Scan service stops "+
				"when no scan server is usable (seed 000 4.8). Apply reattaches the INACT servers.", u.node)))
	}
	return diags
}
