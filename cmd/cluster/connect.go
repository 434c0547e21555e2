package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// poolConnector connects a command's nodes through one SSH pool for the whole command.
type poolConnector struct {
	pool  *sshnode.Pool
	flags *observeFlags
}

var _ planner.EachConnector = poolConnector{}

func (c poolConnector) Connect(ctx context.Context, nodes []planner.NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	return connectAll(ctx, c, nodes)
}

// ConnectEach connects the nodes, up to --parallelism at once, and hands each to each as soon as
// its connection is made or has failed.
func (c poolConnector) ConnectEach(ctx context.Context, nodes []planner.NodeRef, each func(planner.NodeRef, transport.Node, error)) {
	var g errgroup.Group
	g.SetLimit(max(c.flags.parallelism, 1))
	for _, n := range nodes {
		g.Go(func() error {
			ep := n.Endpoint
			if c.flags.connectTimeout > 0 {
				ep.SSH.ConnectTimeout = c.flags.connectTimeout
			}
			node, err := c.pool.Connect(ctx, n.Addr.String(), ep)
			if err != nil && ctx.Err() == nil && isTimeout(err) {
				err = fmt.Errorf("%w: no connection within the connect timeout (%s); raise it with --connect-timeout, or connect_timeout in the node's ssh block",
					err, cmp.Or(ep.SSH.ConnectTimeout, sshnode.DefaultConnectTimeout))
			}
			each(n, node, err)
			return nil
		})
	}
	_ = g.Wait()
}

// connectAll connects the nodes through c and returns them all at once.
func connectAll(ctx context.Context, c planner.EachConnector, nodes []planner.NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	conns := map[addrs.Address]transport.Node{}
	errs := map[addrs.Address]error{}
	var mu sync.Mutex
	c.ConnectEach(ctx, nodes, func(n planner.NodeRef, node transport.Node, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs[n.Addr] = err
		} else {
			conns[n.Addr] = node
		}
	})
	return conns, errs
}

// isTimeout tells a connection that ran out of time from one that was refused or failed.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// warnOnStderr prints the pool's warnings as plain lines on the command's stderr.
func warnOnStderr(cmd *cobra.Command) func(string) {
	errOut := cmd.ErrOrStderr()
	return func(msg string) { fmt.Fprintf(errOut, "Warning: %s\n", msg) }
}

// newConnector returns the connector of a command that reaches the nodes, set up by f, and the
// function that closes its connections. warn receives the connections' warnings (nil: plain
// lines on stderr).
func newConnector(cmd *cobra.Command, f *observeFlags, warn func(string)) (poolConnector, func()) {
	if warn == nil {
		warn = warnOnStderr(cmd)
	}
	pool := sshnode.NewPool(sshnode.Options{
		Parallelism:       f.parallelism,
		AcceptNewHostKeys: f.acceptNewHostKeys,
		// Once per run and message (the pool sees to it), serialised by the pool.
		Warn: warn,
	})
	return poolConnector{pool: pool, flags: f}, func() { _ = pool.Close() }
}

// newEngine returns the engine for a run and the function that closes its connections. warn
// receives the connections' warnings (nil: plain lines on stderr).
func newEngine(cmd *cobra.Command, f *runFlags, warn func(string)) (*planner.Engine, func(), error) {
	provs, err := providers(f)
	if err != nil {
		return nil, nil, err
	}
	conn, closeConns := newConnector(cmd, &f.observeFlags, warn)
	eng := &planner.Engine{
		Providers:   provs,
		Connector:   conn,
		Parallelism: f.parallelism,
	}
	return eng, closeConns, nil
}
