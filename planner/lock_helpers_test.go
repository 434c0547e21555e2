package planner

import (
	"context"

	"github.com/clusterctl/cluster/transport"
)

// acquireLock is acquireLockThen with nothing after the create: the tests' way in.
func acquireLock(ctx context.Context, node transport.Node, path transport.NodePath, info LockInfo) error {
	_, _, err := acquireLockThen(ctx, node, path, info, nil)
	return err
}
