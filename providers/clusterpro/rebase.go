package clusterpro

import (
	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// rebase gives the changes of a diff the addresses the configuration uses. Both sides of the
// diff are decoded from clp.conf, so their addresses are built from clp.conf names
// (group.iis); the configuration may address the same object inside a module or as an
// instance (module.branch["osaka"].group.iis, group.web["hr"] named "web-hr"). An object only
// the node holds is placed in the cluster's module.
func rebase(c *config.Cluster, changes []planner.Change) {
	to := map[addrs.Address]addrs.Address{addrs.Cluster(c.Name): c.Addr}
	for _, n := range c.Nodes {
		to[addrs.ClusterNode(c.Name, n.Name)] = n.Addr
	}
	for _, h := range c.Heartbeats {
		to[addrs.Heartbeat(c.Name, h.Name)] = h.Addr
	}
	for _, np := range c.NetworkPartitions {
		to[addrs.NetworkPartition(c.Name, np.Name)] = np.Addr
	}
	for _, m := range c.AllMonitors() {
		to[addrs.Monitor(c.Name, m.Name)] = m.Addr
	}
	for _, g := range c.Groups {
		to[addrs.Group(g.Name)] = g.Addr
		for _, r := range g.Resources {
			to[addrs.Resource(g.Name, string(r.Kind), r.Name)] = r.Addr
		}
	}
	mod := c.Addr.ModulePath()
	for i := range changes {
		if a, ok := to[changes[i].Addr]; ok {
			changes[i].Addr = a
		} else {
			changes[i].Addr = changes[i].Addr.InModule(mod)
		}
	}
}
