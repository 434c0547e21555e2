package simulate

import (
	"maps"
	"slices"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/statusfile"
)

// Observed is a live starting point read from the nodes (cluster status): what is already
// down, where each group runs. Anything it leaves out starts as in normal operation; status
// files always do, since no public command reads their state (docs/statusfile.md).
type Observed struct {
	// Down holds cluster nodes, top-level nodes and scan servers that are down (a server
	// clpstat shows Offline, an INACT scan server, an unreachable machine).
	Down map[addrs.Address]bool
	// Groups is the node each failover group runs on, "" when it is offline.
	Groups map[addrs.Address]string
}

// state is where everything stands between two events.
type state struct {
	down  map[addrs.Address]bool
	group map[addrs.Address]string // failover group -> node it runs on; "" offline
	// stranded: offline because no node of its policy was left (not stopped by hand), so a
	// returning node starts it again.
	stranded map[addrs.Address]bool
	logicals map[addrs.Address][]statusfile.LogicalState
}

func (s *state) clone() *state {
	c := &state{
		down:     maps.Clone(s.down),
		group:    maps.Clone(s.group),
		stranded: maps.Clone(s.stranded),
		logicals: map[addrs.Address][]statusfile.LogicalState{},
	}
	for a, l := range s.logicals {
		c.logicals[a] = slices.Clone(l)
	}
	return c
}

// start is normal operation (figure 1 of every seed): every group on the first available node
// of its policy, every status service with its first logical file current and the others spare,
// overlaid with what obs observed.
func start(m *model, obs *Observed) *state {
	s := &state{
		down:     map[addrs.Address]bool{},
		group:    map[addrs.Address]string{},
		stranded: map[addrs.Address]bool{},
		logicals: map[addrs.Address][]statusfile.LogicalState{},
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
		s.logicals[f.Addr] = initialLogicals(f)
	}
	return s
}

// initialLogicals is a status service after a normal start (seed 003): 「ステータスサービス定義で
// 最初に指定したステータスファイルが現用になります。残りのステータスファイルのうち,オープンできたものは
// 予備になります」. The simulation assumes every file opens.
func initialLogicals(f *config.StatusFile) []statusfile.LogicalState {
	def := statusfile.DefinitionOf(f)
	out := make([]statusfile.LogicalState, len(def.Logicals))
	for i, l := range def.Logicals {
		out[i] = statusfile.LogicalState{Logical: l, State: statusfile.Spare, ASize: -1, BSize: -1}
		if i == 0 {
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
