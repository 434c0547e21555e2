package status

import (
	"maps"
	"slices"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro"
	"github.com/clusterctl/cluster/providers/servergroup"
	"github.com/clusterctl/cluster/providers/serverscan"
	"github.com/clusterctl/cluster/providers/statusfile"
	"github.com/clusterctl/cluster/transport"
)

// What a command of a node's session reads.
type probeKind int

const (
	probeClpstat probeKind = iota
	probeHostStat
	probeStatusFile // a status_file block's reads (key: its name)
	probeSyncState  // a server-group member's sync_check_command, on the management node
	probeBalancer   // a server-group member's in_balancer_command, on the management node
	probeReach      // a server-group member: only whether it answers
)

// probe is one reading of a node's session: one command, or the several ops of a typed
// reading (clpstat: a Stat, then the program).
type probe struct {
	kind probeKind
	key  string // the cluster, Server-Scan host or server group name; the definition path
	ops  []transport.Op
}

// job is everything one node runs, in one session.
type job struct {
	node   planner.NodeRef
	probes []probe
}

// jobs lists every node to read and its commands, in a fixed order: cluster servers by
// cluster and priority, then top-level nodes by name.
func jobs(cfg *config.Config) []job {
	var out []job
	for _, c := range cfg.SortedClusters() {
		ops := clusterpro.StatusOps(c)
		for _, n := range c.Nodes {
			out = append(out, job{
				node:   planner.NodeRef{Addr: n.Addr, Endpoint: n.Endpoint},
				probes: []probe{{kind: probeClpstat, key: c.Name, ops: ops}},
			})
		}
	}
	byNode := map[addrs.Address]*job{}
	var order []addrs.Address
	add := func(n *config.Node, p probe) {
		if n == nil {
			return
		}
		j := byNode[n.Addr]
		if j == nil {
			j = &job{node: planner.NodeRef{Addr: n.Addr, Endpoint: n.Endpoint}}
			byNode[n.Addr] = j
			order = append(order, n.Addr)
		}
		for _, q := range j.probes {
			if q.kind == p.kind && q.key == p.key {
				return
			}
		}
		j.probes = append(j.probes, p)
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.ServerScans)) {
		s := cfg.ServerScans[name]
		add(s.Node, probe{kind: probeHostStat, key: name, ops: one(serverscan.StatusCommand(s))})
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.StatusFiles)) {
		sf := cfg.StatusFiles[name]
		add(sf.Node, probe{kind: probeStatusFile, key: name, ops: statusfile.StatusOps(sf)})
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.ServerGroups)) {
		g := cfg.ServerGroups[name]
		for _, m := range g.Members {
			if cmd, ok := servergroup.SyncCheckCommand(g, m); ok {
				add(g.Management, probe{kind: probeSyncState, key: memberKey(g, m), ops: one(cmd)})
			}
			if cmd, ok := servergroup.InBalancerCommand(g, m); ok {
				add(g.Management, probe{kind: probeBalancer, key: memberKey(g, m), ops: one(cmd)})
			}
			add(m.Node, probe{kind: probeReach, ops: []transport.Op{reachOp(g)}})
		}
	}
	sortAddrs(order)
	for _, a := range order {
		out = append(out, *byNode[a])
	}
	return out
}

// reachOp is what a server-group member runs to show it answers: a Stat of system_dir, a
// typed op every dialect runs (a program such as true exists only on POSIX nodes). Whether
// the directory exists does not matter: only that the node answered.
func reachOp(g *config.ServerGroup) transport.Op {
	return transport.Stat{Paths: []transport.NodePath{transport.NodePath(g.SystemDir)}, ExistenceOnly: true}
}

// memberKey names a server-group member among the management node's probes.
func memberKey(g *config.ServerGroup, m *config.Member) string { return g.Name + "/" + m.Name }

// one is the ops of a probe that runs one command.
func one(c transport.Command) []transport.Op { return []transport.Op{c} }
