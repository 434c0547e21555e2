package simulate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
)

// placeGroups moves every failover group after an event (seed 001, figures 1-6):
//   - a group whose node went down fails over to the first node of its policy that is up,
//     the highest-priority survivor (SV1 -> SV2 -> SV3 -> SV4); in mutual standby that node
//     may already carry the other group, and then carries both;
//   - with no node of its policy left the group is down: the cluster can no longer serve it;
//   - a group with failback returns to a higher-priority node of its policy that came back;
//   - a group that was down for want of a node, with auto_start, starts again on the first
//     node of its policy that came back.
func placeGroups(m *model, next *state) []Change {
	var out []Change
	for _, g := range m.groups {
		cur := next.group[g.Addr]
		first := next.firstAvailable(g)
		switch {
		case cur != "" && m.groupNodeDown(next, g, cur):
			next.group[g.Addr] = first
			if first == "" {
				next.stranded[g.Addr] = true
				out = append(out, Change{
					Service: g.Addr, Kind: ChangeDown, From: cur,
					Summary:  fmt.Sprintf("%s is down and no node of its policy (%s) is left: the cluster can no longer serve it", cur, policyList(g)),
					Monitors: monitorEffects(g, "stops"),
				})
				continue
			}
			out = append(out, Change{
				Service: g.Addr, Kind: ChangeFailover, From: cur, To: first,
				Summary:  fmt.Sprintf("fails over from %s to %s%s", cur, first, m.alsoCarries(next, g, first)),
				Monitors: monitorEffects(g, "moves to "+first),
			})
		case cur != "" && g.Failback && first != "" && first != cur && priority(g, first) < priority(g, cur):
			next.group[g.Addr] = first
			out = append(out, Change{
				Service: g.Addr, Kind: ChangeFailback, From: cur, To: first,
				Summary:  fmt.Sprintf("fails back from %s to %s (failback = true)", cur, first),
				Monitors: monitorEffects(g, "moves to "+first),
			})
		case cur == "" && next.stranded[g.Addr] && g.AutoStart && first != "":
			next.group[g.Addr] = first
			next.stranded[g.Addr] = false
			out = append(out, Change{
				Service: g.Addr, Kind: ChangeRestart, To: first,
				Summary:  fmt.Sprintf("starts again on %s (auto_start = true)%s", first, m.alsoCarries(next, g, first)),
				Monitors: monitorEffects(g, "starts on "+first),
			})
		}
	}
	return out
}

// groupNodeDown reports whether the node named name of g's cluster is down.
func (m *model) groupNodeDown(s *state, g *config.Group, name string) bool {
	n := m.servers[serverKey{g.Cluster, name}]
	// nil: a node the configuration does not know (observed), not ours to fail
	return n != nil && s.nodeDown(n)
}

// priority is the position of node in g's policy; a node outside it ranks last.
func priority(g *config.Group, node string) int {
	if i := slices.IndexFunc(g.Policy, func(n *config.ClusterNode) bool { return n.Name == node }); i >= 0 {
		return i
	}
	return len(g.Policy)
}

func policyList(g *config.Group) string {
	names := make([]string, len(g.Policy))
	for i, n := range g.Policy {
		names[i] = n.Name
	}
	return strings.Join(names, ", ")
}

// alsoCarries names the other groups already running on node (mutual standby: one node
// carries both groups after a failure).
func (m *model) alsoCarries(s *state, g *config.Group, node string) string {
	var others []string
	for _, o := range m.groups {
		if o != g && o.Cluster == g.Cluster && s.group[o.Addr] == node {
			others = append(others, o.Addr.String())
		}
	}
	if len(others) == 0 {
		return ""
	}
	return fmt.Sprintf(", which now also carries %s", strings.Join(others, ", "))
}

// groupMonitors are the monitors that act with g: those declared in it, and cluster-level
// monitors that watch one of its resources or recover it.
func groupMonitors(g *config.Group) []*config.Monitor {
	out := slices.Clone(g.Monitors)
	for _, m := range g.Cluster.Monitors {
		if m.Group == g || (m.Target != nil && m.Target.Group == g) ||
			m.Recovery.Group == g || (m.Recovery.Resource != nil && m.Recovery.Resource.Group == g) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b *config.Monitor) int { return strings.Compare(a.Name, b.Name) })
	return slices.CompactFunc(out, func(a, b *config.Monitor) bool { return a == b })
}

func monitorEffects(g *config.Group, effect string) []MonitorEffect {
	var out []MonitorEffect
	for _, m := range groupMonitors(g) {
		out = append(out, MonitorEffect{Monitor: m.Addr, Effect: effect})
	}
	return out
}

// clusterMonitors are a cluster's monitors that belong to no group: they run on every
// server, so a server going down takes its instance with it.
func clusterMonitors(c *config.Cluster) []*config.Monitor {
	var out []*config.Monitor
	for _, m := range c.Monitors {
		related := m.Group != nil || m.Target != nil || m.Recovery.Group != nil || m.Recovery.Resource != nil
		if !related {
			out = append(out, m)
		}
	}
	return out
}

// clusterNodes reports, per cluster, the servers that went down or came back in this step.
func clusterNodes(m *model, prev, next *state) []Change {
	var out []Change
	for _, c := range m.clusters {
		var went, came, up []string
		for _, n := range c.Nodes {
			was, is := prev.nodeDown(n), next.nodeDown(n)
			switch {
			case !was && is:
				went = append(went, n.Name)
			case was && !is:
				came = append(came, n.Name)
			}
			if !is {
				up = append(up, n.Name)
			}
		}
		left := fmt.Sprintf("%d of %d servers up", len(up), len(c.Nodes))
		if len(up) == 0 {
			left = "every server is down"
		}
		mons := clusterMonitors(c)
		if len(went) > 0 {
			ch := Change{Service: c.Addr, Kind: ChangeNodeDown, From: strings.Join(went, ", "),
				Summary: fmt.Sprintf("%s down (%s)", strings.Join(went, ", "), left)}
			for _, m := range mons {
				ch.Monitors = append(ch.Monitors, MonitorEffect{Monitor: m.Addr, Effect: "no longer runs on " + strings.Join(went, ", ")})
			}
			out = append(out, ch)
		}
		if len(came) > 0 {
			ch := Change{Service: c.Addr, Kind: ChangeNodeUp, To: strings.Join(came, ", "),
				Summary: fmt.Sprintf("%s back (%s)", strings.Join(came, ", "), left)}
			for _, m := range mons {
				ch.Monitors = append(ch.Monitors, MonitorEffect{Monitor: m.Addr, Effect: "runs again on " + strings.Join(came, ", ")})
			}
			out = append(out, ch)
		}
	}
	return out
}

// groupState is a group's row of a snapshot.
func groupState(s *state, g *config.Group) GroupState {
	gs := GroupState{Group: g.Addr, Node: s.group[g.Addr], Available: s.group[g.Addr] != ""}
	for _, n := range g.Policy {
		gs.Policy = append(gs.Policy, n.Name)
		if !s.nodeDown(n) {
			gs.Up = append(gs.Up, n.Name)
		}
	}
	return gs
}
