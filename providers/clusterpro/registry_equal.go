package clusterpro

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// A product whose settings live in each server's registry runs, after a failover, with the
// values of the server the group moved to (seed 001, 1.4.6 (3), WEBharmo/OLTP: "移動した先の
// サーバに登録されているレジストリ値がフェイルオーバ後の運用環境設定値となります"; 1.3.7 (1),
// WEBharmo/RDBEUF: "各ノードの ... 設定を同一にしてください"). A group's identical_registry_keys
// are read with `reg.exe query KEY` (one plain program per key, by its absolute path: every
// dialect runs it) on every node of its policy, in the observation session, and
// plan warns of each node whose values differ from those of the first node of the policy.
//
// `reg query KEY` prints the key's full name on a line, then one line per value: four spaces,
// the value name, four spaces, the type (REG_SZ, REG_DWORD, ...), four spaces, the data; a
// subkey is a line of its own without the indent (public sources: DigitalQuinn/Windows-Commands
// src/main.rs splits "    (Default)    REG_SZ    ..." on four spaces; Maverick95/git-gud
// Scripts/windows-registry/V6.sh splits the same lines on runs of spaces). It exits 0 when the key
// exists and 1 otherwise (docs/vendor-output.md, "reg query").

// identicalKeys lists the keys that must be identical across the groups whose policy includes
// node, each once.
func identicalKeys(c *config.Cluster, node addrs.Address) []string {
	var out []string
	for _, g := range groupsOn(c, node) {
		for _, k := range g.IdenticalRegistryKeys {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// valuesProbe reads one key kept identical, on one node: `reg.exe query KEY` (registryCommand),
// one plain program per key.
type valuesProbe struct {
	key   string
	probe transport.Probe[transport.Outcome]
}

// registryValue is one value of a key as reg query prints it.
type registryValue struct{ typ, data string }

// keyValues is what one node holds under one key.
type keyValues struct {
	exists bool
	values map[string]registryValue
}

// keyValuesOf reads one registryCommand outcome: whether the key exists and its values. ok is
// false when reg did not answer for the key (see regAnswer): nothing is known of it.
func keyValuesOf(o transport.Outcome) (kv keyValues, ok bool) {
	exists, ok := regAnswer(o)
	kv = keyValues{exists: exists, values: map[string]registryValue{}}
	if !ok || !exists {
		return kv, ok
	}
	for _, line := range strings.Split(string(o.Stdout), "\n") {
		line = strings.TrimSuffix(line, "\r")
		body, indented := strings.CutPrefix(line, "    ")
		if !indented {
			continue // the key's own line, a subkey, or a blank line
		}
		f := strings.SplitN(body, "    ", 3)
		if len(f) < 2 {
			continue
		}
		v := registryValue{typ: f[1]}
		if len(f) == 3 {
			v.data = f[2]
		}
		kv.values[f[0]] = v
	}
	return kv, true
}

// identicalRegistryDiagnostics compares, for every group with identical_registry_keys, the
// values each node of its policy holds with those of the first node of the policy that was read
// and holds the key. Unreachable nodes are left out (they have their own diagnostic). Data is
// never shown: a registry value can hold a password.
func (u *unit) identicalRegistryDiagnostics(obs planner.Observation, reachable []addrs.Address) []planner.Diagnostic {
	read := map[addrs.Address]map[string]keyValues{}
	for _, n := range reachable {
		for _, p := range u.probes(n).registryValues {
			o, err := p.probe.Read(obs.Results[n])
			if err != nil {
				continue
			}
			if kv, ok := keyValuesOf(o); ok {
				if read[n] == nil {
					read[n] = map[string]keyValues{}
				}
				read[n][p.key] = kv
			}
		}
	}
	var out []planner.Diagnostic
	for _, g := range u.c.Groups {
		for _, key := range g.IdenticalRegistryKeys {
			out = append(out, compareRegistryKey(g, key, read)...)
		}
	}
	return out
}

func compareRegistryKey(g *config.Group, key string, read map[addrs.Address]map[string]keyValues) []planner.Diagnostic {
	var nodes []addrs.Address
	for _, n := range g.Policy {
		if _, ok := read[n.Addr][key]; ok {
			nodes = append(nodes, n.Addr)
		}
	}
	ref := slices.IndexFunc(nodes, func(n addrs.Address) bool { return read[n][key].exists })
	if ref < 0 {
		if len(nodes) == 0 {
			return nil
		}
		return []planner.Diagnostic{{Severity: planner.SeverityWarning, Summary: "Registry key missing", Addr: g.Addr.String(),
			Detail: fmt.Sprintf("The registry key %s, which %s keeps identical across its nodes, exists on none of %s: the product is not installed, or the key is misspelt. Seed 001, 1.4.6 (3): after a failover the product runs with the registry values of the server the group moved to.",
				key, g.Addr, joinAddrs(nodes))}}
	}
	base := nodes[ref]
	want := read[base][key]
	var out []planner.Diagnostic
	for _, n := range nodes {
		if n == base {
			continue
		}
		got := read[n][key]
		if !got.exists {
			out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Registry key missing", Addr: n.String(),
				Detail: fmt.Sprintf("On %s the registry key %s does not exist, while %s has it; %s keeps it identical across its nodes. Seed 001, 1.4.6 (3): once the group moves to %s, the product runs with that server's registry values. Install or configure the product on %s as on %s.",
					n, key, base, g.Addr, n, n, base)})
			continue
		}
		if diffs := valueDifferences(want.values, got.values, base, n); len(diffs) > 0 {
			out = append(out, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Registry values differ between nodes", Addr: n.String(),
				Detail: fmt.Sprintf("On %s the registry key %s differs from %s: %s. Seed 001, 1.4.6 (3): after a failover to %s the product runs with %s's values, so %s keeps the key identical on every node of its policy (1.3.7 (1) for WEBharmo/RDBEUF). Make the values equal (compare them with `reg query \"%s\"` on both servers; the data is not shown here, as it may be secret).",
					n, key, base, strings.Join(diffs, "; "), n, n, g.Addr, key)})
		}
	}
	return out
}

// valueDifferences names each value that differs between the reference node's and another
// node's key, in name order.
func valueDifferences(want, got map[string]registryValue, base, n addrs.Address) []string {
	names := map[string]bool{}
	for k := range want {
		names[k] = true
	}
	for k := range got {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []string
	for _, name := range sorted {
		w, inWant := want[name]
		v, inGot := got[name]
		switch {
		case !inGot:
			out = append(out, fmt.Sprintf("value %q (%s) is missing on %s", name, w.typ, n))
		case !inWant:
			out = append(out, fmt.Sprintf("value %q (%s) exists only on %s, not on %s", name, v.typ, n, base))
		case w.typ != v.typ:
			out = append(out, fmt.Sprintf("value %q is %s on %s but %s on %s", name, v.typ, n, w.typ, base))
		case w.data != v.data:
			out = append(out, fmt.Sprintf("value %q (%s) has other data", name, v.typ))
		}
	}
	return out
}

func joinAddrs(as []addrs.Address) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}
