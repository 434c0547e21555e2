package config

import "strings"

// validateVendorRemovals reports a null vendor parameter of a cluster that removes the clp.conf
// element of another object whose own vendor_parameters apply there: the cluster's parameters
// are applied first, so the other object's would have no element left to apply to, and
// rendering the configuration fails.
func (l *loader) validateVendorRemovals(c *Cluster) {
	var removed []string
	for _, k := range sortedKeys(c.Vendor) {
		if c.Vendor[k] == nil {
			removed = append(removed, k)
		}
	}
	if len(removed) == 0 {
		return
	}
	for _, o := range vendorElements(c) {
		for _, k := range removed {
			if o.path == k || strings.HasPrefix(o.path, k+"/") {
				l.errorf(l.where(c, "vendor_parameters", c.DeclRange), "Vendor parameter removes a configured element",
					"vendor_parameters of %s removes %q (a null value), which holds the clp.conf element %s of %s, but %s has vendor_parameters of its own to apply there. Remove the null entry, or the vendor_parameters of %s.",
					c.Addr, k, o.path, o.addr, o.addr, o.addr)
			}
		}
	}
}

// vendorElement is an object of a cluster with vendor parameters, and the path of its clp.conf
// element below <root>.
type vendorElement struct {
	addr, path string
}

// vendorElements lists the objects of c that carry vendor parameters, with their element paths
// as the cluster provider renders them (docs/vendor-mapping.md).
func vendorElements(c *Cluster) []vendorElement {
	var out []vendorElement
	add := func(addr, path string, p VendorParams) {
		if len(p) > 0 {
			out = append(out, vendorElement{addr, path})
		}
	}
	for _, n := range c.Nodes {
		add(n.Addr.String(), "server["+n.Name+"]", n.Vendor)
	}
	for _, h := range c.Heartbeats {
		typ := "lankhb"
		if h.Mode == "user" {
			typ = "lanhb"
		}
		add(h.Addr.String(), "heartbeat/"+typ+"["+h.Name+"]", h.Vendor)
	}
	for _, np := range c.NetworkPartitions {
		add(np.Addr.String(), "networkpartition/pingnp["+np.Name+"]", np.Vendor)
	}
	for _, m := range c.AllMonitors() {
		add(m.Addr.String(), "monitor/"+string(m.Kind)+"["+m.Name+"]", m.Vendor)
	}
	for _, g := range c.Groups {
		add(g.Addr.String(), "group["+g.Name+"]", g.Vendor)
		for _, r := range g.Resources {
			typ := string(r.Kind)
			switch {
			case c.Platform == Windows && r.Kind == ResExec:
				typ = "script"
			case c.Platform == Windows && r.Kind == ResDisk:
				typ = "sd"
			}
			add(r.Addr.String(), "resource/"+typ+"["+r.Name+"]", r.Vendor)
		}
	}
	return out
}
