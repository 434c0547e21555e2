package clusterpro

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// The seed's rule (001, 1.1.4 and 1.5.5): an application service the cluster starts and stops
// must have startup type manual on every node that may run it; one that starts at boot runs
// outside the cluster's control, on a standby node too. Plan reads each service's startup type
// on each node of the groups that start it (sc on Windows, systemd on Linux) and warns.

// managedService is an OS service the cluster starts, and the object that starts it.
type managedService struct {
	name  string
	owner addrs.Address
}

// managedServices lists the services started on node by the groups whose policy includes it:
// those of generated exec scripts and those of service resources, sorted by name.
func managedServices(c *config.Cluster, node addrs.Address) []managedService {
	var out []managedService
	for _, g := range groupsOn(c, node) {
		for _, r := range g.Resources {
			switch {
			case r.Kind == config.ResService && r.ServiceName != "":
				out = append(out, managedService{r.ServiceName, r.Addr})
			case r.Kind == config.ResExec && r.Script != nil && !r.Script.Literal():
				for _, s := range r.Script.Services {
					out = append(out, managedService{s.Name, r.Addr})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b managedService) int { return strings.Compare(a.name, b.name) })
	return slices.CompactFunc(out, func(a, b managedService) bool { return a.name == b.name })
}

// groupsOn lists the groups of c whose policy includes node: those that may run there.
func groupsOn(c *config.Cluster, node addrs.Address) []*config.Group {
	var out []*config.Group
	for _, g := range c.Groups {
		if slices.ContainsFunc(g.Policy, func(n *config.ClusterNode) bool { return n.Addr == node }) {
			out = append(out, g)
		}
	}
	return out
}

// serviceProbe reads one managed service's startup type on a node.
type serviceProbe struct {
	service managedService
	probe   transport.Probe[transport.Outcome]
}

// The service managers' programs, by absolute path: run as plain programs, one per service,
// with no shell and no PATH lookup, so every dialect runs them. systemctl is /usr/bin/systemctl
// (systemd's package file list, e.g. frugalware/frugalware.gitlab.io
// content/package/systemd-systemctl.md; /bin is /usr/bin on merged-/usr distributions); sc.exe
// is in the Windows system directory (docs/windows.md, "How to check a node by hand").
const (
	systemctlPath = transport.NodePath("/usr/bin/systemctl")
	scPath        = transport.NodePath(`C:\Windows\system32\sc.exe`)
)

// serviceCommand asks the node's service manager for one service's startup type:
// `systemctl is-enabled -- NAME` on Linux, `sc.exe qc NAME` on Windows.
func (u *unit) serviceCommand(name string) transport.Command {
	if u.l.windows {
		return transport.Cmd(scPath, "qc", name)
	}
	return transport.Cmd(systemctlPath, "is-enabled", "--", name)
}

// How a service starts, as far as the service check needs it.
const (
	startAutomatic = "automatic" // starts at boot
	startManual    = "manual"    // starts when asked: by the cluster
	startBlocked   = "blocked"   // cannot be started at all (masked, disabled on Windows)
	startUnclear   = "unclear"   // the manager's answer does not say (alias, bad)
	startNotFound  = "not found" // the manager does not know the service
)

// serviceStart is one service's answer: its class, and the manager's own word or line.
type serviceStart struct {
	class, said string
}

// systemdStates classifies every string `systemctl is-enabled` prints (systemctl(1), the
// is-enabled table; testdata/vendor-output/services). generated units are enabled implicitly
// by their generator; static, indirect, linked and transient ones are not enabled; an alias
// says nothing of the unit it names.
var systemdStates = map[string]string{
	"enabled": startAutomatic, "enabled-runtime": startAutomatic, "generated": startAutomatic,
	"disabled": startManual, "static": startManual, "indirect": startManual,
	"linked": startManual, "linked-runtime": startManual, "transient": startManual,
	"masked": startBlocked, "masked-runtime": startBlocked,
	"alias": startUnclear, "bad": startUnclear,
	"not-found": startNotFound,
}

// startOf reads one serviceCommand outcome: how the service starts. On Windows the
// START_TYPE line of `sc qc` says it (AUTO_START, with or without "(DELAYED)"; DEMAND_START;
// DISABLED); on Linux the last line of `systemctl is-enabled` is the state (a SysV service
// has two lines of redirection before it, on stderr). Any other answer is the manager's own
// words: the service is not found. The exit status says nothing more (systemctl exits 1 for a
// disabled unit), so it is not read.
func startOf(o transport.Outcome) serviceStart {
	var lines []string
	for _, out := range [][]byte{o.Stderr, o.Stdout} {
		for _, line := range strings.Split(string(out), "\n") {
			if t := strings.TrimSpace(line); t != "" {
				lines = append(lines, t)
			}
		}
	}
	return classifyStart(lines)
}

func classifyStart(lines []string) serviceStart {
	for _, l := range lines {
		key, val, ok := strings.Cut(l, ":")
		if !ok || strings.TrimSpace(key) != "START_TYPE" {
			continue
		}
		fields := strings.Fields(val) // "2 AUTO_START (DELAYED)"
		word := ""
		if len(fields) > 1 {
			word = fields[1]
		}
		switch word {
		case "AUTO_START":
			return serviceStart{startAutomatic, strings.TrimSpace(val)}
		case "DEMAND_START":
			return serviceStart{startManual, strings.TrimSpace(val)}
		case "DISABLED":
			return serviceStart{startBlocked, strings.TrimSpace(val)}
		}
		return serviceStart{startUnclear, strings.TrimSpace(val)}
	}
	if len(lines) == 0 {
		return serviceStart{startNotFound, ""}
	}
	last := lines[len(lines)-1]
	if class, ok := systemdStates[last]; ok {
		return serviceStart{class, last}
	}
	return serviceStart{startNotFound, lines[0]}
}

// serviceDiagnostics warns of each managed service on node that starts at boot or that the
// service manager does not know.
func (u *unit) serviceDiagnostics(node addrs.Address, probes []serviceProbe, res []transport.Outcome) []planner.Diagnostic {
	services := make([]managedService, 0, len(probes))
	types := map[string]serviceStart{}
	for _, p := range probes {
		o, err := p.probe.Read(res)
		if err != nil || o.Skipped() || o.ExitCode > 255 {
			continue // not read: nothing to say
		}
		services = append(services, p.service)
		types[p.service.name] = startOf(o)
	}
	fix := "systemctl disable %s"
	if u.l.windows {
		fix = "sc config %s start= demand"
	}
	var out []planner.Diagnostic
	for _, s := range services {
		t := types[s.name]
		switch t.class {
		case startManual:
		case startAutomatic:
			out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Managed service starts at boot", Addr: node.String(),
				Detail: fmt.Sprintf("On %s the service %s, which %s starts and stops, starts at boot. A service the cluster manages must have startup type manual on every node of its group's policy (seed 001, 1.1.4 and 1.5.5), or it runs outside the cluster's control, on a standby node too. Run `"+fix+"` on %s.",
					node, s.name, s.owner, s.name, node)})
		case startBlocked:
			out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Managed service cannot be started", Addr: node.String(),
				Detail: fmt.Sprintf("On %s the service %s, which %s starts and stops, cannot be started (the service manager says %q): the cluster cannot start it either. Give it startup type manual on %s (seed 001, 1.1.4).",
					node, s.name, s.owner, t.said, node)})
		case startUnclear:
			out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Managed service start type unclear", Addr: node.String(),
				Detail: fmt.Sprintf("On %s the service manager's answer for the service %s, which %s starts, does not say whether it starts at boot (it said %q). Check it on %s: a service the cluster manages must have startup type manual (seed 001, 1.1.4).",
					node, s.name, s.owner, t.said, node)})
		default:
			out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Managed service not found", Addr: node.String(),
				Detail: fmt.Sprintf("On %s the service manager does not report the service %s, which %s starts (it said: %q). Install the product on every node of the group's policy before the cluster manages it (seed 001, 1.5.5).",
					node, s.name, s.owner, t.said)})
		}
	}
	return out
}
