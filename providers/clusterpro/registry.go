package clusterpro

import (
	"fmt"
	"slices"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// The seed's rule (001, 1.5.5): a registry synchronisation resource is registered only once the
// product is installed on every node of its group's policy; registered before, it can make the
// group fail over. Plan asks each node of the policy whether every key exists (reg query) and
// refuses to add the resource while one is missing, and warns while an existing one lacks it.

// syncedKey is a registry key a regsync resource synchronises.
type syncedKey struct {
	key   string
	owner *config.Resource
}

// syncedKeys lists the keys synchronised by the groups whose policy includes node.
func syncedKeys(c *config.Cluster, node addrs.Address) []syncedKey {
	var out []syncedKey
	for _, g := range groupsOn(c, node) {
		for _, r := range g.Resources {
			if r.Kind != config.ResRegSync {
				continue
			}
			for _, k := range r.RegistryKeys {
				out = append(out, syncedKey{k, r})
			}
		}
	}
	return out
}

// registryProbe reads whether one synchronised key exists on a node.
type registryProbe struct {
	key   syncedKey
	probe transport.Probe[transport.Outcome]
}

// regPath is reg.exe, in the Windows system directory (docs/windows.md, "How to check a node
// by hand"), run by its absolute path as a plain program: every dialect runs it.
const regPath = transport.NodePath(`C:\Windows\system32\reg.exe`)

// registryCommand asks whether key exists: `reg.exe query KEY` exits 0 when it does (and
// prints the key); any other status is a missing key (reg prints "ERROR: The system was unable
// to find the specified registry key or value." and exits 1).
func registryCommand(key string) transport.Command {
	return transport.Cmd(regPath, "query", key)
}

// regAnswer reads a registryCommand outcome: exit 0, the key exists; exit 1, it does not
// (docs/vendor-output.md, "reg query"). Any other outcome (reg.exe not found: 127 from a POSIX
// shell, 9009 from cmd.exe; an op not run) answers nothing: ok is false.
func regAnswer(o transport.Outcome) (exists, ok bool) {
	switch o.ExitCode {
	case 0:
		return true, true
	case 1:
		return false, true
	}
	return false, false
}

// registryDiagnostics reports each synchronised key missing on node: an error when this plan
// adds its resource, a warning when the resource is already registered.
func (u *unit) registryDiagnostics(node addrs.Address, probes []registryProbe, res []transport.Outcome, changes []planner.Change) []planner.Diagnostic {
	var out []planner.Diagnostic
	for _, p := range probes {
		o, err := p.probe.Read(res)
		if err != nil {
			continue
		}
		if exists, ok := regAnswer(o); exists || !ok {
			continue // present, or not answered: nothing to say
		}
		k := p.key
		created := slices.ContainsFunc(changes, func(c planner.Change) bool { return c.Addr == k.owner.Addr && c.Action == planner.Create })
		d := planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Synchronised registry key missing", Addr: node.String(),
			Detail: fmt.Sprintf("On %s the registry key %s, which %s synchronises, does not exist: the product is not installed there. The cluster then syncs an empty key and the group may fail over (seed 001, 1.5.5). Install the product on %s.",
				node, k.key, k.owner.Addr, node)}
		if created {
			d.Severity = planner.SeverityError
			d.Detail = fmt.Sprintf("On %s the registry key %s, which %s would synchronise, does not exist: the product is not installed there. A registry synchronisation resource is registered only once the product is installed on every node of its group's policy (seed 001, 1.5.5). Install the product on %s, then plan again.",
				node, k.key, k.owner.Addr, node)
		}
		out = append(out, d)
	}
	return out
}
