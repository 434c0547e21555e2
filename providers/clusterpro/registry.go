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

// registryCommand asks for each key whether it exists: a line "present KEY" or "missing KEY".
// POSIX-only (a sh script); a Windows node asks reg.exe instead (issue 17).
func registryCommand(keys []syncedKey) transport.Command {
	const script = `PATH=${CLUSTER_NODE_ROOT:+$CLUSTER_NODE_ROOT/bin:}$PATH
for k do
  if reg query "$k" >/dev/null 2>&1; then r=present; else r=missing; fi
  printf '%s %s\n' "$r" "$k"
done
exit 0`
	names := make([]any, len(keys))
	for i, k := range keys {
		names[i] = k.key
	}
	return transport.Shell(script, names...)
}

// missingKeys reads registryCommand's output.
func missingKeys(out []byte) map[string]bool {
	missing := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, ok := strings.CutPrefix(line, "missing "); ok {
			missing[k] = true
		}
	}
	return missing
}

// registryDiagnostics reports each synchronised key missing on node: an error when this plan
// adds its resource, a warning when the resource is already registered.
func (u *unit) registryDiagnostics(node addrs.Address, res transport.Result, changes []planner.Change) []planner.Diagnostic {
	keys := syncedKeys(u.c, node)
	if len(keys) == 0 || !res.OK() {
		return nil
	}
	missing := missingKeys(res.Stdout)
	var out []planner.Diagnostic
	for _, k := range keys {
		if !missing[k.key] {
			continue
		}
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
