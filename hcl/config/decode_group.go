package config

import (
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/hcl/addrs"
)

func (l *loader) decodeGroup(b *hcl.Block) {
	name := b.Labels[0]
	if !l.validName(b, "group") {
		return
	}
	g := &Group{Addr: l.at(addrs.Group(l.step(b))), Name: name, AutoStart: true, DeclRange: b.DefRange}
	if !l.declare(g.Addr, g, b) {
		return
	}
	l.cfg.Groups[mapKey(g.Addr)] = g
	content, diags := b.Body.Content(groupSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(g, content)
	r.clpName(&g.Name)
	r.str("comment", &g.Comment)
	r.boolean("auto_start", &g.AutoStart)
	r.boolean("failback", &g.Failback)
	r.vendor("vendor_parameters", &g.Vendor)
	r.strs("identical_registry_keys", &g.IdenticalRegistryKeys)

	// The monitors of a group are addressed under its cluster (cluster.web.monitor.x), so the
	// cluster's name is needed now; the reference itself is resolved with the others.
	var clusterAddr addrs.Address
	if a, ok := content.Attributes["cluster"]; ok {
		if path, ok := l.refSteps(a.Expr); ok && len(path) == 2 && path[0] == "cluster" {
			clusterAddr = l.at(addrs.Cluster(path[1]))
		}
		l.later(func() {
			if rf, ok := l.resolve(a.Expr, refQuery{attr: "cluster", example: "cluster.web", kinds: []addrs.Kind{addrs.KindCluster}}); ok {
				g.Cluster = rf.obj.(*Cluster)
				g.Cluster.Groups = append(g.Cluster.Groups, g)
			}
		})
	}
	if a, ok := content.Attributes["policy"]; ok {
		if exprs, diags := hcl.ExprList(a.Expr); !diags.HasErrors() && len(exprs) == 0 {
			l.emptyLists[rangeKey{g, "policy"}] = true
		}
		l.later(func() {
			for _, rf := range l.resolveList(a.Expr, refQuery{attr: "policy", example: "cluster.web.node.sv1", kinds: []addrs.Kind{addrs.KindClusterNode}}) {
				g.Policy = append(g.Policy, rf.obj.(*ClusterNode))
				l.policyRanges[g] = append(l.policyRanges[g], rf.rng)
			}
		})
	}
	blocks := byType(content.Blocks)
	for _, rb := range blocks["resource"] {
		l.expand(rb, func(rb *hcl.Block) { l.decodeResource(rb, g) })
	}
	for _, mb := range blocks["monitor"] {
		l.expand(mb, func(mb *hcl.Block) {
			if m := l.decodeMonitor(mb, clusterAddr, g); m != nil {
				g.Monitors = append(g.Monitors, m)
			}
		})
	}
}

func (l *loader) decodeResource(b *hcl.Block, g *Group) {
	kind, name := ResourceKind(b.Labels[0]), b.Labels[1]
	sch, ok := resourceSchemas[kind]
	if !ok && vendorOnly(b, "depends_on") {
		sch, ok = vendorResourceSchema, true
	}
	if !ok {
		l.errorf(b.LabelRanges[0].Ptr(), "Unsupported resource kind",
			"%q is not a resource kind. Use one of %s, or give a vendor resource type only vendor_parameters (and depends_on).%s",
			kind, quoteList(resourceKindNames()), didYouMean("", string(kind), resourceKindNames()))
		return
	}
	if !l.validName(b, "resource") {
		return
	}
	res := &Resource{Addr: g.Addr.Child(addrs.KindResource, string(kind), l.step(b)), Kind: kind, Name: name, Group: g, DeclRange: b.DefRange}
	if !l.declare(res.Addr, res, b) {
		return
	}
	g.Resources = append(g.Resources, res)
	content, diags := b.Body.Content(sch)
	l.diags = append(l.diags, diags...)
	r := l.reader(res, content)
	r.clpName(&res.Name)
	r.integer("timeout", &res.Timeout, 1, maxCount)
	r.str("ip", &res.IP)
	r.str("netmask", &res.Netmask)
	r.str("device", &res.Device)
	r.str("mount_point", &res.MountPoint)
	r.str("fs", &res.FS)
	r.str("data_partition", &res.DataPartition)
	r.str("cluster_partition", &res.ClusterPartition)
	r.str("nmp_path", &res.NMPPath)
	r.strs("keys", &res.RegistryKeys)
	r.str("service_name", &res.ServiceName)
	r.vendor("vendor_parameters", &res.Vendor)
	if a, ok := content.Attributes["depends_on"]; ok {
		l.later(func() {
			for _, rf := range l.resolveList(a.Expr, refQuery{attr: "depends_on", example: "fip.fip1", kinds: []addrs.Kind{addrs.KindResource}, scope: g}) {
				res.DependsOn = append(res.DependsOn, rf.obj.(*Resource))
			}
		})
	}
	if a, ok := content.Attributes["script"]; ok {
		l.later(func() {
			if rf, ok := l.resolve(a.Expr, refQuery{attr: "script", example: "script.iis", kinds: []addrs.Kind{addrs.KindScript}}); ok {
				res.Script = rf.obj.(*Script)
			}
		})
	}
}

func resourceKindNames() []string {
	var out []string
	for k := range resourceSchemas {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}
