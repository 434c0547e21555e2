package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// poolConnector connects the engine's nodes through one SSH pool for the whole run.
type poolConnector struct {
	pool  *sshnode.Pool
	flags *runFlags
}

var _ planner.Connector = poolConnector{}

func (c poolConnector) Connect(ctx context.Context, nodes []planner.NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	conns := map[addrs.Address]transport.Node{}
	errs := map[addrs.Address]error{}
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(max(c.flags.parallelism, 1))
	for _, n := range nodes {
		g.Go(func() error {
			ep := n.Endpoint
			if c.flags.connectTimeout > 0 {
				ep.SSH.ConnectTimeout = c.flags.connectTimeout
			}
			node, err := c.pool.Connect(ctx, n.Addr.String(), ep)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs[n.Addr] = err
			} else {
				conns[n.Addr] = node
			}
			return nil
		})
	}
	_ = g.Wait()
	return conns, errs
}

// warnOnStderr prints the pool's warnings as plain lines on the command's stderr.
func warnOnStderr(cmd *cobra.Command) func(string) {
	errOut := cmd.ErrOrStderr()
	return func(msg string) { fmt.Fprintf(errOut, "Warning: %s\n", msg) }
}

// newEngine returns the engine for a run and the function that closes its connections. warn
// receives the connections' warnings (nil: plain lines on stderr).
func newEngine(cmd *cobra.Command, f *runFlags, warn func(string)) (*planner.Engine, func(), error) {
	provs, err := providers(f)
	if err != nil {
		return nil, nil, err
	}
	if warn == nil {
		warn = warnOnStderr(cmd)
	}
	pool := sshnode.NewPool(sshnode.Options{
		Parallelism:       f.parallelism,
		AcceptNewHostKeys: f.acceptNewHostKeys,
		// Once per run and message (the pool sees to it), serialised by the pool.
		Warn: warn,
	})
	eng := &planner.Engine{
		Providers:   provs,
		Connector:   poolConnector{pool: pool, flags: f},
		Parallelism: f.parallelism,
	}
	return eng, func() { _ = pool.Close() }, nil
}
