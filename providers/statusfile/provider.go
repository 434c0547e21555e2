// Package statusfile manages Groupmax Object Server status files: logical files kept as A/B
// pairs, planned as ordered xodsts* operations that never leave a logical file without a
// current pair.
package statusfile

import (
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// Provider plans and applies status files.
type Provider struct{}

var _ planner.Provider = Provider{}

func (Provider) Name() string { return "statusfile" }

// Units is not implemented yet: status files are not planned.
func (Provider) Units(*config.Config) ([]planner.Unit, error) { return nil, nil }
