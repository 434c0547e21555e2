package status

import (
	"sort"

	"github.com/clusterctl/cluster/hcl/addrs"
)

func sortAddrs(as []addrs.Address) {
	sort.Slice(as, func(i, j int) bool { return as[i].String() < as[j].String() })
}
