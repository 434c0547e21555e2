package simulate

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

// target is one object an event acts on: a cluster node, a top-level node, a scan server, or
// a status file (with the side of its current pair that has the I/O error).
type target struct {
	addr addrs.Address
	side string // status files: "A" or "B"
}

// Resolve turns the names of an event into the objects they name. A bare name names every
// machine of that name (a cluster node of any cluster and a top-level node are the same
// machine when they share a name), else a scan server, else a status file; a name that could
// be two kinds of object is refused, with the addresses to use instead.
func resolve(cfg *config.Config, name string) ([]target, error) {
	base, side := name, ""
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		base, side = name[:i], strings.ToUpper(name[i+1:])
		if side != "A" && side != "B" {
			return nil, fmt.Errorf("%q: the side after ':' must be A or B (the status-file side with the I/O error)", name)
		}
	}
	var found []target
	if strings.Contains(base, ".") {
		a, err := addrs.Parse(base)
		if err != nil {
			return nil, err
		}
		if !exists(cfg, a) {
			return nil, fmt.Errorf("%s is not declared in the configuration", a)
		}
		found = []target{{addr: a}}
	} else {
		found = byName(cfg, base)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("%q names no node, scan server or status file of the configuration (known: %s)", name, strings.Join(Failable(cfg), ", "))
	}
	kinds := map[string]bool{}
	for _, t := range found {
		kinds[category(t.addr.Kind)] = true
	}
	if len(kinds) > 1 {
		var as []string
		for _, t := range found {
			as = append(as, t.addr.String())
		}
		return nil, fmt.Errorf("%q is ambiguous: it names %s; give the address", name, strings.Join(as, ", "))
	}
	isFile := found[0].addr.Kind == addrs.KindStatusFile
	switch {
	case side != "" && !isFile:
		return nil, fmt.Errorf("%q: only a status file takes a side (:A or :B)", name)
	case isFile && side == "":
		side = "A"
	}
	for i := range found {
		found[i].side = side
	}
	return found, nil
}

func category(k addrs.Kind) string {
	if k == addrs.KindClusterNode || k == addrs.KindNode {
		return "machine"
	}
	return string(k)
}

func exists(cfg *config.Config, a addrs.Address) bool {
	switch a.Kind {
	case addrs.KindClusterNode:
		for _, c := range cfg.Clusters {
			if slices.ContainsFunc(c.Nodes, func(n *config.ClusterNode) bool { return n.Addr == a }) {
				return true
			}
		}
	case addrs.KindNode:
		return cfg.Nodes[config.MapKey(a)] != nil
	case addrs.KindScanServer:
		return cfg.ScanServers[config.MapKey(a)] != nil
	case addrs.KindStatusFile:
		return cfg.StatusFiles[config.MapKey(a)] != nil
	}
	return false
}

func byName(cfg *config.Config, name string) []target {
	var out []target
	for _, c := range cfg.SortedClusters() {
		for _, n := range c.Nodes {
			if n.Name == name {
				out = append(out, target{addr: n.Addr})
			}
		}
	}
	// By name, not map key: a module's objects are keyed by their whole address.
	for _, k := range slices.Sorted(maps.Keys(cfg.Nodes)) {
		if n := cfg.Nodes[k]; n.Name == name {
			out = append(out, target{addr: n.Addr})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(cfg.ScanServers)) {
		if s := cfg.ScanServers[k]; s.Name == name {
			out = append(out, target{addr: s.Addr})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(cfg.StatusFiles)) {
		if f := cfg.StatusFiles[k]; f.Name == name {
			out = append(out, target{addr: f.Addr})
		}
	}
	return out
}

// Failable lists, sorted, the bare names --fail accepts: machines (cluster and top-level
// nodes), scan servers and status files.
func Failable(cfg *config.Config) []string {
	return slices.Concat(Machines(cfg), slices.Sorted(maps.Keys(cfg.ScanServers)), slices.Sorted(maps.Keys(cfg.StatusFiles)))
}

// Machines lists, sorted and once each, the names of every machine: cluster nodes of every
// cluster and top-level nodes.
func Machines(cfg *config.Config) []string {
	seen := map[string]bool{}
	for _, c := range cfg.Clusters {
		for _, n := range c.Nodes {
			seen[n.Name] = true
		}
	}
	for name := range cfg.Nodes {
		seen[name] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// SingleFailures is one scenario per machine and per scan server: "any single node may
// fail" (--each-single-node). Status files are not machines and are left out.
func SingleFailures(cfg *config.Config) []Scenario {
	names := slices.Concat(Machines(cfg), slices.Sorted(maps.Keys(cfg.ScanServers)))
	out := make([]Scenario, 0, len(names))
	for _, n := range names {
		ev := []Event{{Action: Fail, Names: []string{n}}}
		out = append(out, Scenario{Name: Describe(ev), Events: ev})
	}
	return out
}
