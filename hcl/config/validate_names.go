package config

// validateClusterNames reports two groups, or two monitors, of one cluster with the same
// clp.conf name: the vendor keys both by name within a cluster. With for_each and the name
// argument two blocks (or two instances of one block) can end up with one name; the message
// shows both addresses.
func (l *loader) validateClusterNames(c *Cluster) {
	groups := map[string]*Group{}
	for _, g := range c.Groups {
		if prev, dup := groups[g.Name]; dup {
			l.errorf(l.where(g, "name", g.DeclRange), "Duplicate name",
				"%s and %s, declared at %s, are both named %q in %s. Group names are unique per cluster: give each its own name.",
				g.Addr, prev.Addr, prev.DeclRange, g.Name, c.Addr)
			continue
		}
		groups[g.Name] = g
	}
	monitors := map[string]*Monitor{}
	for _, m := range c.AllMonitors() {
		if prev, dup := monitors[m.Name]; dup {
			l.errorf(l.where(m, "name", m.DeclRange), "Duplicate name",
				"%s and %s, declared at %s, are both named %q in %s. Monitor names are unique per cluster: give each its own name.",
				m.Addr, prev.Addr, prev.DeclRange, m.Name, c.Addr)
			continue
		}
		monitors[m.Name] = m
	}
}
