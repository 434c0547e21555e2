package config

import (
	"net"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"fmt"
	"strconv"
)

func (l *loader) validateCluster(c *Cluster) {
	if len(c.Nodes) == 0 {
		l.errorf(c.DeclRange.Ptr(), "Cluster without nodes",
			"cluster.%s declares no node. Add a node block for every server of the cluster.", c.Name)
	}

	priorities := map[int]*ClusterNode{}
	interconnects := map[string]*ClusterNode{}
	for _, n := range declOrder(c.Nodes, l.order) {
		if prev, dup := priorities[n.Priority]; dup {
			l.errorf(l.where(n, "priority", n.DeclRange), "Duplicate priority",
				"%s and %s both have priority %d. Give every node of a cluster its own priority (0 = highest), or omit priority to use declaration order.",
				prev.Addr, n.Addr, n.Priority)
		} else {
			priorities[n.Priority] = n
		}
		for _, ic := range n.Interconnects {
			if !l.checkIP(n, "interconnects", ic, n.DeclRange) {
				continue
			}
			if prev, dup := interconnects[ic]; dup {
				l.errorf(l.where(n, "interconnects", n.DeclRange), "Duplicate interconnect address",
					"The interconnect address %s of %s is also used by %s. Every node needs its own address on each heartbeat LAN.",
					ic, n.Addr, prev.Addr)
				continue
			}
			interconnects[ic] = n
		}
		l.checkIP(n, "mirror_connect", n.MirrorConnect, n.DeclRange)
	}

	hbPriorities := map[int]*Heartbeat{}
	for _, h := range declOrder(c.Heartbeats, l.order) {
		if prev, dup := hbPriorities[h.Priority]; dup {
			l.errorf(l.where(h, "priority", h.DeclRange), "Duplicate priority",
				"%s and %s both have priority %d. Give every heartbeat of a cluster its own priority, or omit priority to use declaration order.",
				prev.Addr, h.Addr, h.Priority)
		} else {
			hbPriorities[h.Priority] = h
		}
		for _, n := range c.Nodes {
			if h.Interconnect >= len(n.Interconnects) && !l.isUnknown(n, "interconnects") {
				l.errorf(l.where(h, "interconnect", h.DeclRange), "Interconnect index out of range",
					"%s uses interconnect %d, but %s has %s. Add the address to the node's interconnects, or use a lower index (0 is the first).",
					h.Addr, h.Interconnect, n.Addr, countNoun(len(n.Interconnects), "interconnect"))
			}
		}
	}
	for _, np := range c.NetworkPartitions {
		for _, t := range np.Targets {
			if !l.checkIP(np, "targets", t, np.DeclRange) {
				break
			}
		}
	}
	for _, m := range c.Monitors {
		l.validateMonitor(m)
	}
	l.validateResourceNames(c)
}

// validateNodeAddresses reports two nodes reached at the same address and port: within a
// cluster, and among the top-level nodes.
func (l *loader) validateNodeAddresses() {
	for _, cname := range sortedKeys(l.cfg.Clusters) {
		seen := map[string]*ClusterNode{}
		for _, n := range declOrder(l.cfg.Clusters[cname].Nodes, l.order) {
			if n.Endpoint.Address == "" {
				continue // missing address, already reported
			}
			key := endpointKey(n.Endpoint)
			if prev, dup := seen[key]; dup {
				l.duplicateAddress(n, n.Addr.String(), prev.Addr.String(), key, n.DeclRange)
				continue
			}
			seen[key] = n
		}
	}
	seen := map[string]*Node{}
	for _, name := range sortedKeys(l.cfg.Nodes) {
		n := l.cfg.Nodes[name]
		if n.Endpoint.Address == "" {
			continue
		}
		key := endpointKey(n.Endpoint)
		if prev, dup := seen[key]; dup {
			l.duplicateAddress(n, n.Addr.String(), prev.Addr.String(), key, n.DeclRange)
			continue
		}
		seen[key] = n
	}
}

func (l *loader) duplicateAddress(obj any, addr, prev, key string, decl hcl.Range) {
	l.errorf(l.where(obj, "address", decl), "Duplicate node address",
		"%s and %s are both reached at %s. Give each node its own address or SSH port.", prev, addr, key)
}

func endpointKey(e Endpoint) string {
	port := e.Port
	if port == 0 {
		port = DefaultSSHPort // what an unset port means unless ~/.ssh/config says otherwise
	}
	return net.JoinHostPort(e.Address, strconv.Itoa(port))
}

// declOrder returns items in declaration order, so that "the second one" is the one reported.
func declOrder[T any](items []*T, order map[any]int) []*T {
	out := append([]*T(nil), items...)
	sort.SliceStable(out, func(i, j int) bool { return order[out[i]] < order[out[j]] })
	return out
}

func countNoun(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// validateResourceNames reports two resources of one cluster with the same name: the vendor
// keys resources by name across all the groups of a cluster.
func (l *loader) validateResourceNames(c *Cluster) {
	seen := map[string]*Resource{}
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if prev, dup := seen[r.Name]; dup {
				l.errorf(r.DeclRange.Ptr(), "Duplicate name",
					"%s has the same name as %s, declared at %s. Resource names are unique per cluster: rename one of them.",
					r.Addr, prev.Addr, prev.DeclRange)
				continue
			}
			seen[r.Name] = r
		}
	}
}
