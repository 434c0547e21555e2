package config

// validateIdenticalRegistryKeys checks a group's identical_registry_keys: plan reads them with
// `reg query` on every node of the policy, so they exist only on Windows clusters, and each is a
// one-line key. Seed 001, 1.4.6 (3): after a failover WEBharmo/OLTP runs with the registry
// values of the server the group moved to; 1.3.7 (1): WEBharmo/RDBEUF's settings must be the
// same on every node.
func (l *loader) validateIdenticalRegistryKeys(g *Group) {
	if len(g.IdenticalRegistryKeys) == 0 {
		return
	}
	at := l.where(g, "identical_registry_keys", g.DeclRange)
	if g.Cluster != nil && g.Cluster.Platform != Windows {
		l.errorf(at, "Registry keys on a Linux cluster",
			"%s compares registry keys across its nodes, but %s is a %s cluster, which has no registry. Remove identical_registry_keys.",
			g.Addr, g.Cluster.Addr, g.Cluster.Platform)
		return
	}
	seen := map[string]bool{}
	for _, k := range g.IdenticalRegistryKeys {
		l.noControl(g, "identical_registry_keys", k, oneLine)
		switch {
		case k == "":
			l.errorf(at, "Empty registry key",
				"identical_registry_keys of %s holds an empty key. Write a key such as \"HKLM\\\\SOFTWARE\\\\NEC\\\\WEBharmo\".", g.Addr)
		case seen[k]:
			l.errorf(at, "Duplicate registry key",
				"identical_registry_keys of %s lists %s twice.", g.Addr, k)
		}
		seen[k] = true
	}
}
