package config

import "github.com/clusterctl/cluster/hcl/addrs"

// VendorObject is an object of a cluster that can carry vendor parameters, and the path of its
// clp.conf element below <root> as the cluster provider renders it (docs/vendor-mapping.md):
// "" for the cluster itself, the root. Validation and rendering both walk VendorObjects, so
// they cannot disagree on where a parameter applies.
type VendorObject struct {
	Object any // *Cluster, *ClusterNode, *Heartbeat, *NetworkPartition, *Monitor, *Group or *Resource
	Addr   addrs.Address
	Path   string
	Params *VendorParams
}

// VendorObjects lists every object of c that can carry vendor parameters, the cluster first;
// resources by their clp.conf type on c's platform.
func (c *Cluster) VendorObjects() []VendorObject {
	out := []VendorObject{{c, c.Addr, "", &c.Vendor}}
	for _, n := range c.Nodes {
		out = append(out, VendorObject{n, n.Addr, "server[" + n.Name + "]", &n.Vendor})
	}
	for _, h := range c.Heartbeats {
		typ, _ := HeartbeatType(h.Mode) // an unknown mode fails validation and rendering
		out = append(out, VendorObject{h, h.Addr, "heartbeat/" + typ + "[" + h.Name + "]", &h.Vendor})
	}
	for _, np := range c.NetworkPartitions {
		out = append(out, VendorObject{np, np.Addr, "networkpartition/pingnp[" + np.Name + "]", &np.Vendor})
	}
	for _, m := range c.AllMonitors() {
		out = append(out, VendorObject{m, m.Addr, "monitor/" + string(m.Kind) + "[" + m.Name + "]", &m.Vendor})
	}
	for _, g := range c.Groups {
		out = append(out, VendorObject{g, g.Addr, "group[" + g.Name + "]", &g.Vendor})
		for _, r := range g.Resources {
			out = append(out, VendorObject{r, r.Addr, "resource/" + VendorResourceType(r.Kind, c.Platform) + "[" + r.Name + "]", &r.Vendor})
		}
	}
	return out
}

// HeartbeatType is the clp.conf type of a heartbeat mode: kernel (the default) or user; ok is
// false for any other mode, which is then taken as kernel.
func HeartbeatType(mode string) (typ string, ok bool) {
	switch mode {
	case "", "kernel":
		return "lankhb", true
	case "user":
		return "lanhb", true
	}
	return "lankhb", false
}

// VendorResourceType is the clp.conf type of a resource kind on platform p: an exec resource
// is <script> and a switchable disk <sd> on Windows.
func VendorResourceType(k ResourceKind, p Platform) string {
	switch {
	case p == Windows && k == ResExec:
		return "script"
	case p == Windows && k == ResDisk:
		return "sd"
	}
	return string(k)
}

// ResourceKindOf is the inverse of VendorResourceType.
func ResourceKindOf(typ string, p Platform) ResourceKind {
	switch {
	case p == Windows && typ == "script":
		return ResExec
	case p == Windows && typ == "sd":
		return ResDisk
	}
	return ResourceKind(typ)
}
