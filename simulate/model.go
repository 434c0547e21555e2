package simulate

import (
	"maps"
	"slices"

	"github.com/clusterctl/cluster/hcl/config"
)

// model is the configuration as the simulation walks it, each kind in name order. Run builds
// it once: every step of every scenario walks these lists, and sorting the configuration's
// maps again at each step was much of a large simulation's time.
type model struct {
	clusters     []*config.Cluster
	groups       []*config.Group
	scans        []*config.ServerScan
	statusFiles  []*config.StatusFile
	serverGroups []*config.ServerGroup
	// servers finds a cluster's server by name.
	servers map[serverKey]*config.ClusterNode
}

type serverKey struct {
	cluster *config.Cluster
	name    string
}

func newModel(cfg *config.Config) *model {
	m := &model{
		clusters:     cfg.SortedClusters(),
		groups:       inNameOrder(cfg.Groups),
		scans:        inNameOrder(cfg.ServerScans),
		statusFiles:  inNameOrder(cfg.StatusFiles),
		serverGroups: inNameOrder(cfg.ServerGroups),
		servers:      map[serverKey]*config.ClusterNode{},
	}
	for _, c := range m.clusters {
		for _, n := range c.Nodes {
			if k := (serverKey{c, n.Name}); m.servers[k] == nil {
				m.servers[k] = n
			}
		}
	}
	return m
}

// inNameOrder is the values of a configuration map, by name.
func inNameOrder[V any](byName map[string]V) []V {
	out := make([]V, 0, len(byName))
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		out = append(out, byName[name])
	}
	return out
}
