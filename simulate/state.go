package simulate

import (
	"maps"
	"slices"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/statusfile"
)

// Observed is a live starting point read from the nodes (cluster status): what is already
// down, where each group runs, the pairs of each status file. Anything it leaves out starts as
// in normal operation.
type Observed struct {
	// Down holds cluster nodes, top-level nodes and scan servers that are down (a server
	// clpstat shows Offline, an INACT scan server, an unreachable machine).
	Down map[addrs.Address]bool
	// Groups is the node each failover group runs on, "" when it is offline.
	Groups map[addrs.Address]string
	// Pairs are the pairs of each status file, in definition order.
	Pairs map[addrs.Address][]statusfile.PairState
}

// state is where everything stands between two events.
type state struct {
	down  map[addrs.Address]bool
	group map[addrs.Address]string // failover group -> node it runs on; "" offline
	// stranded: offline because no node of its policy was left (not stopped by hand), so a
	// returning node starts it again.
	stranded map[addrs.Address]bool
	pairs    map[addrs.Address][]statusfile.PairState
}

func (s *state) clone() *state {
	c := &state{
		down:     maps.Clone(s.down),
		group:    maps.Clone(s.group),
		stranded: maps.Clone(s.stranded),
		pairs:    map[addrs.Address][]statusfile.PairState{},
	}
	for a, p := range s.pairs {
		c.pairs[a] = slices.Clone(p)
	}
	return c
}

// start is normal operation (figure 1 of every seed): every group on the first available node
// of its policy, every status file with its initial pair current and the others spare,
// overlaid with what obs observed.
func start(m *model, obs *Observed) *state {
	s := &state{
		down:     map[addrs.Address]bool{},
		group:    map[addrs.Address]string{},
		stranded: map[addrs.Address]bool{},
		pairs:    map[addrs.Address][]statusfile.PairState{},
	}
	if obs != nil {
		maps.Copy(s.down, obs.Down)
	}
	for _, g := range m.groups {
		if obs != nil {
			if node, ok := obs.Groups[g.Addr]; ok {
				s.group[g.Addr] = node
				continue
			}
		}
		s.group[g.Addr] = s.firstAvailable(g)
		s.stranded[g.Addr] = s.group[g.Addr] == ""
	}
	for _, f := range m.statusFiles {
		if obs != nil {
			if p, ok := obs.Pairs[f.Addr]; ok {
				s.pairs[f.Addr] = slices.Clone(p)
				continue
			}
		}
		s.pairs[f.Addr] = initialPairs(f)
	}
	return s
}

// initialPairs: the initial pair is current and every other pair, opened at a normal start,
// is spare (seed 003). The pairs are in POSIX form, as xodstsls lists observed ones.
func initialPairs(f *config.StatusFile) []statusfile.PairState {
	pairs := statusfile.PairsOf(f)
	out := make([]statusfile.PairState, len(pairs))
	for i, p := range pairs {
		out[i] = statusfile.PairState{Pair: p, State: statusfile.Spare}
		if i == f.InitialCurrent {
			out[i].State = statusfile.Current
		}
	}
	return out
}

// nodeDown reports whether a cluster node is down. A bare name given to an event names the
// machine: every cluster node and top-level node of that name (see resolve).
func (s *state) nodeDown(n *config.ClusterNode) bool { return s.down[n.Addr] }

// firstAvailable is the first node of g's policy that is up, "" when none is.
func (s *state) firstAvailable(g *config.Group) string {
	for _, n := range g.Policy {
		if !s.nodeDown(n) {
			return n.Name
		}
	}
	return ""
}
