package clusterpro

import (
	"context"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// backup is backupLookedThen alone, its look read in a call of its own: the tests' way in.
func (u *unit) backup(ctx context.Context, node transport.Node, n addrs.Address, runID string, p planner.Progress) error {
	err, _ := u.backupThen(ctx, node, n, runID, nil, p)
	return err
}

// backupThen is backupLookedThen with its look read in a call of its own.
func (u *unit) backupThen(ctx context.Context, node transport.Node, n addrs.Address, runID string, then []step, p planner.Progress) (backupErr, thenErr error) {
	return u.backupLookedThen(ctx, node, n, runID, nil, then, p)
}
