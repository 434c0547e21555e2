package clpconf

import (
	"fmt"
	"slices"
	"strconv"
)

// NoGID is Group.GID when the group has no <gid> (files saved by older WebUIs).
const NoGID = -1

// Group is a <group name> element: a failover group.
type Group struct {
	Name    string
	Comment string
	GID     int      // NoGID when absent
	Policy  []Policy // the servers the group may run on, as written (see Group.Servers)
	// Resources are member references "type@name", e.g. "fip@fip1", as in <resource name>.
	Resources []string
	// AutoStart is <start> 1|0; absent means true (the vendor starts groups with the cluster).
	// AutoFailback is <failback> 1|0; absent means false. Element names: EXPRESSCLUSTER/clpcfset
	// and the CreateClusterOnLinux parameter docs (docs/vendor-mapping.md).
	AutoStart    bool
	AutoFailback bool
}

// Policy is one <policy name=server> entry: the server and its place in the failover order.
type Policy struct {
	Server string
	Order  int // 0 first
}

// Servers returns the policy's servers sorted by order (the failover sequence).
func (g Group) Servers() []string {
	ps := slices.Clone(g.Policy)
	slices.SortStableFunc(ps, func(a, b Policy) int { return a.Order - b.Order })
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Server
	}
	return out
}

// MemberRef returns the "type@name" reference a group uses for a resource.
func MemberRef(typ, name string) string { return typ + "@" + name }

// Groups returns the groups in document order.
func (d *Document) Groups() ([]Group, error) {
	var out []Group
	for _, el := range d.Root.ChildrenNamed("group") {
		g := Group{Name: el.Key()}
		g.Comment, _ = el.Value("comment")
		var err error
		if g.GID, err = intAt(el, "gid", NoGID); err != nil {
			return nil, err
		}
		for _, p := range el.ChildrenNamed("policy") {
			order, err := intAt(p, "order", 0)
			if err != nil {
				return nil, fmt.Errorf("group %q: %w", g.Name, err)
			}
			g.Policy = append(g.Policy, Policy{Server: p.Key(), Order: order})
		}
		for _, r := range el.ChildrenNamed("resource") {
			g.Resources = append(g.Resources, r.Key())
		}
		auto, err := intAt(el, "start", 1)
		if err != nil {
			return nil, err
		}
		g.AutoStart = auto != 0
		back, err := intAt(el, "failback", 0)
		if err != nil {
			return nil, err
		}
		g.AutoFailback = back != 0
		out = append(out, g)
	}
	return out, nil
}

// AddGroup appends a <group> element to the root. Start and failback are written only when
// they differ from the vendor's defaults (start 1, failback 0), as the WebUI saves them.
func (d *Document) AddGroup(g Group) {
	el := &Element{Name: "group", Attrs: []Attr{{Name: "name", Value: g.Name}}}
	el.Set("comment", g.Comment)
	for _, p := range g.Policy {
		el.Set("policy["+p.Server+"]/order", strconv.Itoa(p.Order))
	}
	for _, ref := range g.Resources {
		el.Ensure("resource[" + ref + "]")
	}
	if g.GID != NoGID {
		el.Set("gid", strconv.Itoa(g.GID))
	}
	if !g.AutoStart {
		el.Set("start", "0")
	}
	if g.AutoFailback {
		el.Set("failback", "1")
	}
	d.Root.Children = append(d.Root.Children, el)
}
