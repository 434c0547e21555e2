package serverscan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// servicesFile is where Server-Scan's service names and ports are registered on its host: the
// Groupmax Server - Scan Version 6 manual (LAN環境の設定, itpfdoc.hitachi.co.jp/manuals/3020/
// 30203b5800/0026.htm) has the template /usr/SrvScan/sample/services added to /etc/services.
const servicesFile = transport.NodePath("/etc/services")

// readServices reads the services file.
func readServices() transport.ReadFiles {
	return transport.ReadFiles{Paths: []transport.NodePath{servicesFile}}
}

// servicesOf reads the outcome of readServices: the file's TCP ports by name, and whether the
// file could be read (a missing or unreadable file is a gap the plan reports, not an error).
func servicesOf(o transport.Outcome) (map[string][]int, bool) {
	if !o.OK() || len(o.Files) != 1 || !o.Files[0].Exists {
		return nil, false
	}
	return ParseServices(o.Files[0].Data), true
}

// ParseServices reads a services(5) file: "name port/protocol [aliases...]", '#' to the end
// of the line is a comment. It returns, for every name and alias, its TCP ports. Lines it
// cannot read are skipped: the check built on it only warns.
func ParseServices(data []byte) map[string][]int {
	tcp := map[string][]int{}
	for _, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		num, proto, ok := strings.Cut(f[1], "/")
		port, err := strconv.Atoi(num)
		if !ok || err != nil || proto != "tcp" {
			continue
		}
		for _, name := range append([]string{f[0]}, f[2:]...) {
			if !slices.Contains(tcp[name], port) {
				tcp[name] = append(tcp[name], port)
			}
		}
	}
	return tcp
}

// serviceChecks warns when a scan server's service name is not registered in the host's
// /etc/services, or registered with another TCP port: the seed's check list for a
// disconnected server starts with 「定義しているサービス名称に誤りがないか」 (4.8 (2)).
func (u *unit) serviceChecks(h *hostState) []planner.Diagnostic {
	if len(u.s.Servers) == 0 {
		return nil
	}
	if !h.servicesKnown {
		return []planner.Diagnostic{warningAt(u.s.Addr, "Service names not checked",
			fmt.Sprintf("%s could not be read on %s, so the scan servers' service names and ports were not checked.", servicesFile, u.node))}
	}
	var diags []planner.Diagnostic
	for _, s := range u.s.Servers {
		ports, registered := h.services[s.Service]
		switch {
		case !registered:
			diags = append(diags, warningAt(s.Addr, "Service name not registered",
				fmt.Sprintf("%s on %s has no tcp entry named %q, the service of %s. Server-Scan's service names and ports are "+
					"registered there (from the template /usr/SrvScan/sample/services): add \"%s %d/tcp\", or correct service.",
					servicesFile, u.node, s.Service, s.Addr, s.Service, s.Port)))
		case !slices.Contains(ports, s.Port):
			diags = append(diags, warningAt(s.Addr, "Service port differs",
				fmt.Sprintf("%s on %s registers %q as tcp port %s; %s declares port %d. Make them agree (and the services file "+
					"on the other side the same).", servicesFile, u.node, s.Service, joinInts(ports), s.Addr, s.Port)))
		}
	}
	return diags
}

func joinInts(v []int) string {
	out := make([]string, len(v))
	for i, n := range v {
		out[i] = strconv.Itoa(n)
	}
	return strings.Join(out, ", ")
}
