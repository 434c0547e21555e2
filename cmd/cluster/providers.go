package main

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro"
	"github.com/clusterctl/cluster/providers/servergroup"
	"github.com/clusterctl/cluster/providers/serverscan"
	"github.com/clusterctl/cluster/providers/statusfile"
)

// providers is every provider, in the order their units are applied.
func providers(f *runFlags) ([]planner.Provider, error) {
	var resync []addrs.Address
	for _, s := range f.resync {
		a, err := addrs.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("--resync: %w", err)
		}
		resync = append(resync, a)
	}
	if f.rollbackTo != "" {
		// A rollback returns clusters to a backup; nothing else changes in the same run.
		return []planner.Provider{clusterpro.Provider{RollbackTo: f.rollbackTo, AssumeRunning: f.assumeRunning}}, nil
	}
	return []planner.Provider{
		clusterpro.Provider{AllowGroupMoves: f.allowGroupMoves, AssumeRunning: f.assumeRunning},
		serverscan.Provider{},
		statusfile.Provider{},
		servergroup.Provider{Resync: resync, MaxParallelMembers: f.maxParallelMembers},
	}, nil
}
