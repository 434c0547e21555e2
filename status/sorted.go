package status

import (
	"sort"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedClusters(cfg *config.Config) []*config.Cluster {
	out := make([]*config.Cluster, 0, len(cfg.Clusters))
	for _, name := range sortedKeys(cfg.Clusters) {
		out = append(out, cfg.Clusters[name])
	}
	return out
}

func sortAddrs(as []addrs.Address) {
	sort.Slice(as, func(i, j int) bool { return as[i].String() < as[j].String() })
}
