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

// servicesCommand asks the node's service manager for each service's startup type; the answer
// of each follows a line "@service NAME". Lab and test nodes keep emulations in their root's bin.
func (u *unit) servicesCommand(services []managedService) transport.Command {
	const linux = `PATH=${CLUSTER_NODE_ROOT:+$CLUSTER_NODE_ROOT/bin:}$PATH
for s do printf '@service %s\n' "$s"; systemctl is-enabled -- "$s" 2>&1; done; exit 0`
	const windows = `PATH=${CLUSTER_NODE_ROOT:+$CLUSTER_NODE_ROOT/bin:}$PATH
for s do printf '@service %s\n' "$s"; sc qc "$s" 2>&1; done; exit 0`
	script := linux
	if u.l.windows {
		script = windows
	}
	names := make([]any, len(services))
	for i, s := range services {
		names[i] = s.name
	}
	return transport.Shell(script, names...)
}

// startTypes reads servicesCommand's output: per service, whether it starts at boot
// ("automatic"), by hand ("manual"), or what the manager said when it is neither.
func startTypes(out []byte) map[string]string {
	types := map[string]string{}
	name := ""
	for _, line := range strings.Split(string(out), "\n") {
		t := strings.TrimSpace(line)
		if n, ok := strings.CutPrefix(t, "@service "); ok {
			name = n
			types[name] = ""
			continue
		}
		if name == "" || t == "" || types[name] == "manual" || types[name] == "automatic" {
			continue
		}
		switch {
		case t == "enabled" || t == "enabled-runtime" || strings.Contains(t, "AUTO_START"):
			types[name] = "automatic"
		case t == "disabled" || t == "static" || t == "masked" || t == "indirect" || strings.Contains(t, "DEMAND_START") || strings.Contains(t, "DISABLED"):
			types[name] = "manual"
		case types[name] == "":
			types[name] = t // the manager's own words: not installed, no such unit, ...
		}
	}
	return types
}

// serviceDiagnostics warns of each managed service on node that starts at boot or that the
// service manager does not know.
func (u *unit) serviceDiagnostics(node addrs.Address, res transport.Result) []planner.Diagnostic {
	services := managedServices(u.c, node)
	if len(services) == 0 || !res.OK() {
		return nil
	}
	types := startTypes(res.Stdout)
	fix := "systemctl disable %s"
	if u.l.windows {
		fix = "sc config %s start= demand"
	}
	var out []planner.Diagnostic
	for _, s := range services {
		switch t := types[s.name]; t {
		case "manual":
		case "automatic":
			out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Managed service starts at boot", Addr: node.String(),
				Detail: fmt.Sprintf("On %s the service %s, which %s starts and stops, starts at boot. A service the cluster manages must have startup type manual on every node of its group's policy (seed 001, 1.1.4 and 1.5.5), or it runs outside the cluster's control, on a standby node too. Run `"+fix+"` on %s.",
					node, s.name, s.owner, s.name, node)})
		default:
			out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Managed service not found", Addr: node.String(),
				Detail: fmt.Sprintf("On %s the service manager does not report the service %s, which %s starts (it said: %q). Install the product on every node of the group's policy before the cluster manages it (seed 001, 1.5.5).",
					node, s.name, s.owner, t)})
		}
	}
	return out
}
