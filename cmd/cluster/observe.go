package main

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/views"
)

// observingConnector reports the observation of the nodes while plan reads them: Observing with
// every node when the engine connects, then Observed for each node once the last of its observe
// sessions (one per unit the node belongs to) has ended, or at once when it cannot be reached.
// It wraps the engine's connector and the nodes it returns, and reports nothing after stop.
type observingConnector struct {
	next planner.Connector
	view views.ObserveProgress

	mu      sync.Mutex
	stopped bool
	pending map[string]int   // node → observe sessions still to end
	failed  map[string]error // node → first failed session
}

func newObservingConnector(next planner.Connector, view views.ObserveProgress) *observingConnector {
	return &observingConnector{next: next, view: view, pending: map[string]int{}, failed: map[string]error{}}
}

func (c *observingConnector) Connect(ctx context.Context, nodes []planner.NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	var names []string
	c.mu.Lock()
	for _, n := range nodes {
		name := n.Addr.String()
		if c.pending[name] == 0 {
			names = append(names, name)
		}
		c.pending[name]++ // the engine observes a node once per unit it belongs to
	}
	c.mu.Unlock()
	if len(names) > 0 {
		c.view.Observing(names)
	}

	conns, errs := c.next.Connect(ctx, nodes)
	unreachable := make([]addrs.Address, 0, len(errs))
	for a := range errs {
		unreachable = append(unreachable, a)
	}
	slices.SortFunc(unreachable, func(a, b addrs.Address) int { return strings.Compare(a.String(), b.String()) })
	for _, a := range unreachable {
		c.finish(a.String(), errs[a], true)
	}
	wrapped := make(map[addrs.Address]transport.Node, len(conns))
	for a, n := range conns {
		wrapped[a] = observedNode{Node: n, c: c, name: a.String()}
	}
	return wrapped, errs
}

// finish records the end of one observe session of node (all of them when all), and reports
// the node when none is left.
func (c *observingConnector) finish(node string, err error, all bool) {
	c.mu.Lock()
	if c.stopped || c.pending[node] == 0 {
		c.mu.Unlock()
		return
	}
	if err != nil && c.failed[node] == nil {
		c.failed[node] = err
	}
	c.pending[node]--
	if all {
		c.pending[node] = 0
	}
	left, first := c.pending[node], c.failed[node]
	c.mu.Unlock()
	if left == 0 {
		c.view.Observed(node, first)
	}
}

// stop ends the reports: later sessions (apply's observation under the lock) are not reported.
func (c *observingConnector) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
}

// observedNode reports the end of each Batch, the engine's observe session.
type observedNode struct {
	transport.Node
	c    *observingConnector
	name string
}

func (n observedNode) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	res, err := n.Node.Batch(ctx, cmds)
	n.c.finish(n.name, err, false)
	return res, err
}
