package config

import (
	"strings"
)

func (l *loader) validateGroup(g *Group) {
	l.validatePolicy(g)
	for _, r := range g.Resources {
		if r.Kind == ResExec && !l.isSet(r, "script") {
			l.errorf(r.DeclRange.Ptr(), "Missing script",
				"The exec resource %s has no script. Add script = script.<name>, naming a script block.", r.Addr)
		}
		for _, dep := range r.DependsOn {
			if dep.Group != g {
				l.errorf(l.where(r, "depends_on", r.DeclRange), "Dependency on another group's resource",
					"%s depends on %s, which belongs to %s. A resource can only depend on resources of its own group; write depends_on = [kind.name].",
					r.Addr, dep.Addr, dep.Group.Addr)
			}
		}
		if r.Kind == ResFIP || r.Kind == ResVIP {
			l.checkIP(r, "ip", r.IP, r.DeclRange)
			l.checkIP(r, "netmask", r.Netmask, r.DeclRange)
		}
	}
	l.validateDependencyCycles(g)
	for _, m := range g.Monitors {
		l.validateMonitor(m)
	}
}

func (l *loader) validatePolicy(g *Group) {
	if a, written := l.ranges[rangeKey{g, "policy"}]; written {
		if l.emptyLists[rangeKey{g, "policy"}] {
			l.errorf(&a, "Empty policy",
				"%s has an empty failover policy. List the nodes it may run on, in order, e.g. [cluster.web.node.sv1, cluster.web.node.sv2].", g.Addr)
			return
		}
	}
	seen := map[*ClusterNode]bool{}
	for i, n := range g.Policy {
		rng := l.policyRanges[g][i]
		if g.Cluster != nil && n.Cluster != g.Cluster {
			l.errorf(&rng, "Policy node outside the group's cluster",
				"%s belongs to %s, but %s runs in %s. List only nodes of %s.", n.Addr, n.Cluster.Addr, g.Addr, g.Cluster.Addr, g.Cluster.Addr)
		}
		if seen[n] {
			l.errorf(&rng, "Node listed twice in policy",
				"%s appears more than once in the policy of %s. List each node once, in failover order.", n.Addr, g.Addr)
		}
		seen[n] = true
	}
}

// validateDependencyCycles reports each dependency cycle among a group's resources once.
func (l *loader) validateDependencyCycles(g *Group) {
	const (
		visiting = iota + 1
		done
	)
	state := map[*Resource]int{}
	var stack []*Resource
	var visit func(r *Resource)
	visit = func(r *Resource) {
		state[r] = visiting
		stack = append(stack, r)
		for _, dep := range r.DependsOn {
			if dep.Group != g {
				continue // reported separately
			}
			switch state[dep] {
			case visiting:
				l.reportDependencyCycle(stack, dep)
			case 0:
				visit(dep)
			}
		}
		stack = stack[:len(stack)-1]
		state[r] = done
	}
	for _, r := range g.Resources {
		if state[r] == 0 {
			visit(r)
		}
	}
}

func (l *loader) reportDependencyCycle(stack []*Resource, closing *Resource) {
	i := len(stack) - 1
	for i > 0 && stack[i] != closing {
		i--
	}
	var names []string
	for _, r := range stack[i:] {
		names = append(names, r.Addr.String())
	}
	names = append(names, closing.Addr.String())
	first := stack[i]
	l.errorf(l.where(first, "depends_on", first.DeclRange), "Resource dependency cycle",
		"These resources depend on each other in a cycle: %s. Remove one of the dependencies.", strings.Join(names, " -> "))
}

func (l *loader) validateMonitor(m *Monitor) {
	want, needs := TargetKind[m.Kind]
	if m.Kind == MonDisk && m.Cluster != nil && m.Cluster.Platform == Windows {
		needs = false // a Windows diskw checks a file (vendor_parameters "parameters/file")
	}
	if needs {
		switch {
		case !l.isSet(m, "target") && l.isSet(m, "vendor_parameters"):
			// Imported from a vendor file whose monitor names no resource of ours: its
			// elements are vendor parameters.
		case !l.isSet(m, "target"):
			l.errorf(m.DeclRange.Ptr(), "Missing monitor target",
				"A %s monitor watches a %s resource. Add target = %s.<name>.", m.Kind, want, want)
		case m.Target != nil && m.Target.Kind != want:
			l.errorf(l.where(m, "target", m.DeclRange), "Monitor target of wrong kind",
				"A %s monitor watches a %s resource, but %s is a %s resource. Name a %s resource.",
				m.Kind, want, m.Target.Addr, m.Target.Kind, want)
		case m.Target != nil && m.Cluster != nil && m.Target.Group.Cluster != nil && m.Target.Group.Cluster != m.Cluster:
			l.errorf(l.where(m, "target", m.DeclRange), "Monitor target outside its cluster",
				"%s is a resource of %s, but %s belongs to %s. A monitor watches resources of its own cluster.",
				m.Target.Addr, m.Target.Group.Cluster.Addr, m.Addr, m.Cluster.Addr)
		}
	}
	if m.Cluster != nil {
		windows := m.Cluster.Platform == Windows
		switch {
		case m.Kind == MonSD && !windows:
			l.errorf(m.DeclRange.Ptr(), "Monitor kind of another platform",
				"sdw monitors a Windows switchable disk; %s is a Linux cluster. Use a diskw monitor.", m.Cluster.Addr)
		case m.Kind == MonDisk && windows && m.Target != nil && m.Target.Kind == ResDisk:
			l.errorf(l.where(m, "target", m.DeclRange), "Monitor kind of another platform",
				"On Windows a switchable disk is watched by an sdw monitor (diskw there checks a file). Write monitor \"sdw\" %q { target = %s.%s }.",
				m.Name, m.Target.Kind, m.Target.Name)
		}
	}
	if m.Kind == MonGeneric && !l.isSet(m, "script") {
		l.errorf(m.DeclRange.Ptr(), "Missing script",
			"The genw monitor %s has no script. Add script = script.<name>: the monitor runs the script's start content.", m.Addr)
	}
}

// validateFloatingIPs reports a floating or virtual IP that is a node's address or interconnect,
// or that two resources use.
func (l *loader) validateFloatingIPs() {
	nodeIPs := map[string]string{}
	for _, cname := range sortedKeys(l.cfg.Clusters) {
		for _, n := range l.cfg.Clusters[cname].Nodes {
			nodeIPs[n.Endpoint.Address] = n.Addr.String() + " address"
			for _, ic := range n.Interconnects {
				nodeIPs[ic] = n.Addr.String() + " interconnect"
			}
		}
	}
	used := map[string]*Resource{}
	for _, gname := range sortedKeys(l.cfg.Groups) {
		for _, r := range l.cfg.Groups[gname].Resources {
			if (r.Kind != ResFIP && r.Kind != ResVIP) || r.IP == "" {
				continue
			}
			rng := l.where(r, "ip", r.DeclRange)
			if owner, ok := nodeIPs[r.IP]; ok {
				l.errorf(rng, "Floating IP conflicts with a node address",
					"%s uses %s, which is the %s. A floating or virtual IP must be an address no node owns.", r.Addr, r.IP, owner)
				continue
			}
			if prev, dup := used[r.IP]; dup {
				l.errorf(rng, "Floating IP used twice",
					"%s and %s both use %s. Each floating or virtual IP belongs to one resource of one group.", prev.Addr, r.Addr, r.IP)
				continue
			}
			used[r.IP] = r
		}
	}
}
