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
	for _, o := range c.VendorObjects()[1:] { // the cluster's own element is the root
		if len(*o.Params) == 0 {
			continue
		}
		for _, k := range removed {
			if o.Path == k || strings.HasPrefix(o.Path, k+"/") {
				l.errorf(l.where(c, "vendor_parameters", c.DeclRange), "Vendor parameter removes a configured element",
					"vendor_parameters of %s removes %q (a null value), which holds the clp.conf element %s of %s, but %s has vendor_parameters of its own to apply there. Remove the null entry, or the vendor_parameters of %s.",
					c.Addr, k, o.Path, o.Addr, o.Addr, o.Addr)
			}
		}
	}
}
