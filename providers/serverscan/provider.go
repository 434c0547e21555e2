// Package serverscan manages Server-Scan hosts: the scan servers in their settings, and the
// reattachment of servers vkhoststat reports INACT.
package serverscan

import (
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// Provider plans and applies Server-Scan settings.
type Provider struct{}

var _ planner.Provider = Provider{}

func (Provider) Name() string { return "serverscan" }

// Units is not implemented yet: scan servers are not planned.
func (Provider) Units(*config.Config) ([]planner.Unit, error) { return nil, nil }
