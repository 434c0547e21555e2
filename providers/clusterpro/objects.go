package clusterpro

import (
	"sort"
	"strconv"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

// objects is a configuration directory seen as the objects a user declares: per address, its
// attributes under their HCL names with HCL-typed values ("failback" = false, "policy" =
// ["sv1", "sv2"]), and every vendor parameter as `vendor_parameters["path"]`. Comparing two of
// these is the semantic diff, in the user's terms: both sides are decoded from clp.conf by the
// same decoder, so element order, whitespace, the file's encoding and the vendor's bookkeeping
// never show.
type objects map[addrs.Address]attrs

// attrs are one object's attributes by name; an absent attribute is unset.
type attrs map[string]planner.Value

// vendorAttr is the attribute name of one vendor parameter.
func vendorAttr(path string) string { return "vendor_parameters[" + strconv.Quote(path) + "]" }

// objectsOf lists the objects of a decoded cluster; nil gives none (a node with no clp.conf).
func objectsOf(c *config.Cluster) objects {
	objs := objects{}
	if c == nil {
		return objs
	}
	a := attrs{"platform": planner.String(string(c.Platform)), "charset": planner.String(c.Charset)}
	a.str("comment", c.Comment)
	a.num("options.heartbeat_interval", c.Options.HeartbeatInterval)
	a.num("options.heartbeat_timeout", c.Options.HeartbeatTimeout)
	a.vendor(c.Vendor)
	objs[c.Addr] = a

	for _, n := range c.Nodes {
		a := attrs{"priority": planner.Int(int64(n.Priority))}
		a.list("interconnects", n.Interconnects)
		a.str("mirror_connect", n.MirrorConnect)
		a.vendor(n.Vendor)
		objs[n.Addr] = a
	}
	for _, h := range c.Heartbeats {
		a := attrs{"mode": planner.String(h.Mode), "interconnect": planner.Int(int64(h.Interconnect)), "priority": planner.Int(int64(h.Priority))}
		a.vendor(h.Vendor)
		objs[h.Addr] = a
	}
	for _, np := range c.NetworkPartitions {
		a := attrs{}
		a.list("targets", np.Targets)
		a.num("interval", np.Interval)
		a.num("timeout", np.Timeout)
		a.vendor(np.Vendor)
		objs[np.Addr] = a
	}
	for _, m := range c.Monitors {
		objs[m.Addr] = monitorAttrs(m)
	}
	for _, g := range c.Groups {
		a := attrs{"auto_start": planner.Bool(g.AutoStart), "failback": planner.Bool(g.Failback)}
		a.str("comment", g.Comment)
		a.list("policy", nodeNames(g.Policy))
		a.vendor(g.Vendor)
		objs[g.Addr] = a
		for _, r := range g.Resources {
			objs[r.Addr] = resourceAttrs(r)
		}
		for _, m := range g.Monitors {
			objs[m.Addr] = monitorAttrs(m)
		}
	}
	return objs
}

func resourceAttrs(r *config.Resource) attrs {
	a := attrs{}
	a.str("ip", r.IP)
	a.str("netmask", r.Netmask)
	a.str("device", r.Device)
	a.str("mount_point", r.MountPoint)
	a.str("fs", r.FS)
	a.str("data_partition", r.DataPartition)
	a.str("cluster_partition", r.ClusterPartition)
	a.str("nmp_path", r.NMPPath)
	a.list("keys", r.RegistryKeys)
	a.str("service_name", r.ServiceName)
	a.num("timeout", r.Timeout)
	var deps []string
	for _, d := range r.DependsOn {
		deps = append(deps, string(d.Kind)+"."+d.Name)
	}
	a.list("depends_on", deps)
	a.vendor(r.Vendor)
	return a
}

func monitorAttrs(m *config.Monitor) attrs {
	a := attrs{"kind": planner.String(string(m.Kind))}
	if m.Target != nil {
		a["target"] = planner.String(string(m.Target.Kind) + "." + m.Target.Name)
	}
	a.list("targets", m.Targets)
	a.num("interval", m.Interval)
	a.num("timeout", m.Timeout)
	a.num("retry", m.Retry)
	a.str("recovery.action", m.Recovery.Action)
	a.num("recovery.max_restarts", m.Recovery.MaxRestarts)
	switch {
	case m.Recovery.Group != nil:
		a["recovery.target"] = planner.String("group." + m.Recovery.Group.Name)
	case m.Recovery.Resource != nil:
		a["recovery.target"] = planner.String(string(m.Recovery.Resource.Kind) + "." + m.Recovery.Resource.Name)
	}
	a.vendor(m.Vendor)
	return a
}

func (a attrs) str(name, v string) {
	if v != "" {
		a[name] = planner.String(v)
	}
}

func (a attrs) num(name string, v int) {
	if v != 0 {
		a[name] = planner.Int(int64(v))
	}
}

func (a attrs) list(name string, v []string) {
	if len(v) > 0 {
		a[name] = planner.List(v...)
	}
}

// vendor adds each vendor parameter; a removal (nil) is shown as the empty value it leaves.
// The cluster's uuid is bookkeeping for a plan: it is kept when a cluster is imported, but a
// configuration without it does not remove it.
func (a attrs) vendor(v config.VendorParams) {
	for k, val := range v {
		if k == clpconf.ClusterUUID {
			continue
		}
		if val == nil {
			a[vendorAttr(k)] = planner.String("(omitted)")
			continue
		}
		a[vendorAttr(k)] = planner.String(*val)
	}
}

// fileOwner maps a file of the configuration directory to the object it belongs to: an exec
// resource's scripts, a genw monitor's script, or else the cluster (vendor_files).
func fileOwner(c *config.Cluster, path string) addrs.Address {
	group, name, monitor, ok := config.ScriptOwner(path)
	switch {
	case !ok:
		return c.Addr
	case monitor:
		return addrs.Monitor(c.Name, name)
	}
	return addrs.Resource(group, string(config.ResExec), name)
}

// sortedPaths returns the union of two file maps' keys, sorted.
func sortedPaths(a, b map[string][]byte) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string][]byte{a, b} {
		for p := range m {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}
