// Package servergroup manages WSMGR-style server groups: settings changed on the management
// node, then synced member by member behind the load balancer.
package servergroup

import (
	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// Provider plans and applies server groups.
type Provider struct {
	// Resync names members the user asks to sync by hand (--resync), clearing their
	// out-of-sync mark.
	Resync []addrs.Address
	// MaxParallelMembers is how many members are rolled out at once (default 1).
	MaxParallelMembers int
}

var _ planner.Provider = Provider{}

func (Provider) Name() string { return "servergroup" }

// Units is not implemented yet: server groups are not planned.
func (Provider) Units(*config.Config) ([]planner.Unit, error) { return nil, nil }
