package config

import (
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// decodeMonitor decodes a monitor block of a cluster (g nil) or of a group. clusterName places
// its address: monitor names are unique per cluster.
func (l *loader) decodeMonitor(b *hcl.Block, clusterAddr addrs.Address, g *Group) *Monitor {
	kind, name := MonitorKind(b.Labels[0]), b.Labels[1]
	sch, ok := monitorSchemas[kind]
	if !ok && vendorOnly(b) {
		sch, ok = vendorMonitorSchema, true
	}
	if !ok {
		l.errorf(b.LabelRanges[0].Ptr(), "Unsupported monitor kind",
			"%q is not a monitor kind. Use one of %s, or give a vendor monitor type only vendor_parameters.%s",
			kind, quoteList(monitorKindNames()), didYouMean("", string(kind), monitorKindNames()))
		return nil
	}
	if !l.validName(b, "monitor") {
		return nil
	}
	m := &Monitor{Kind: kind, Name: name, Group: g, DeclRange: b.DefRange}
	if !clusterAddr.IsZero() {
		m.Addr = clusterAddr.Child(addrs.KindMonitor, "monitor", l.step(b))
	} else {
		m.Addr = addrs.Monitor("", l.step(b))
	}
	if !clusterAddr.IsZero() && !l.declare(m.Addr, m, b) {
		return nil
	}
	content, diags := b.Body.Content(sch)
	l.diags = append(l.diags, diags...)
	r := l.reader(m, content)
	r.clpName(&m.Name)
	r.strs("targets", &m.Targets)
	r.integer("interval", &m.Interval, 1, maxCount)
	r.integer("timeout", &m.Timeout, 1, maxCount)
	r.integer("retry", &m.Retry, 0, maxCount)
	r.vendor("vendor_parameters", &m.Vendor)
	if a, ok := content.Attributes["target"]; ok {
		l.later(func() {
			if rf, ok := l.resolve(a.Expr, refQuery{attr: "target", example: "fip.fip1", kinds: []addrs.Kind{addrs.KindResource}, scope: g}); ok {
				m.Target = rf.obj.(*Resource)
			}
		})
	}
	if a, ok := content.Attributes["script"]; ok {
		l.later(func() {
			if rf, ok := l.resolve(a.Expr, refQuery{attr: "script", example: "script.check", kinds: []addrs.Kind{addrs.KindScript}}); ok {
				m.Script = rf.obj.(*Script)
			}
		})
	}
	for i, rb := range content.Blocks {
		if i > 0 {
			l.errorf(rb.TypeRange.Ptr(), "Duplicate recovery block",
				"A monitor has one recovery block; the first is at %s. Merge the two blocks.", content.Blocks[0].DefRange)
			continue
		}
		l.decodeRecovery(rb, m, g)
	}
	return m
}

func (l *loader) decodeRecovery(b *hcl.Block, m *Monitor, g *Group) {
	content, diags := b.Body.Content(recoverySchema)
	l.diags = append(l.diags, diags...)
	rec := &m.Recovery
	r := l.reader(rec, content)
	r.oneOf("action", &rec.Action, "none", "restart", "failover", "stop_group", "stop_cluster", "shutdown")
	r.integer("max_restarts", &rec.MaxRestarts, 0, maxCount)
	if a, ok := content.Attributes["target"]; ok {
		l.later(func() {
			rf, ok := l.resolve(a.Expr, refQuery{attr: "target", example: "group.iis", kinds: []addrs.Kind{addrs.KindGroup, addrs.KindResource}, scope: g})
			if !ok {
				return
			}
			switch t := rf.obj.(type) {
			case *Group:
				rec.Group = t
			case *Resource:
				rec.Resource = t
			}
		})
	}
}

// vendorOnly reports whether a block of a kind the language does not model holds
// vendor_parameters and otherwise only the allowed arguments, and no blocks: then it is a vendor
// object carried verbatim rather than a typo.
func vendorOnly(b *hcl.Block, allowed ...string) bool {
	attrs, diags := b.Body.JustAttributes()
	if diags.HasErrors() {
		return false
	}
	if _, ok := attrs["vendor_parameters"]; !ok {
		return false
	}
	for name := range attrs {
		if name != "vendor_parameters" && !slices.Contains(allowed, name) {
			return false
		}
	}
	return true
}

func monitorKindNames() []string {
	var out []string
	for k := range monitorSchemas {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return out
}
