package main

import (
	"context"
	"fmt"
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
	next planner.EachConnector
	view views.ObserveProgress

	mu      sync.Mutex
	stopped bool
	pending map[string]int   // node → observe sessions still to end
	failed  map[string]error // node → first failed session
}

func newObservingConnector(next planner.Connector, view views.ObserveProgress) *observingConnector {
	each, ok := next.(planner.EachConnector)
	if !ok {
		each = allAtOnce{next}
	}
	return &observingConnector{next: each, view: view, pending: map[string]int{}, failed: map[string]error{}}
}

var _ planner.EachConnector = (*observingConnector)(nil)

func (c *observingConnector) Connect(ctx context.Context, nodes []planner.NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	return connectAll(ctx, c, nodes)
}

// ConnectEach reports Observing with every node, then Connecting and Connected around each
// connection (the view says "still connecting" while one takes long), and hands each node on
// wrapped, or its connection error, as soon as it is known.
func (c *observingConnector) ConnectEach(ctx context.Context, nodes []planner.NodeRef, each func(planner.NodeRef, transport.Node, error)) {
	names := c.expect(nodes)
	if len(names) > 0 {
		c.view.Observing(names)
	}
	for _, name := range names {
		c.view.Connecting(name)
	}
	c.next.ConnectEach(ctx, nodes, func(n planner.NodeRef, node transport.Node, err error) {
		name := n.Addr.String()
		c.view.Connected(name)
		if err != nil {
			c.finish(name, err, true)
			each(n, nil, err)
			return
		}
		each(n, observedNode{Node: node, c: c, name: name}, nil)
	})
}

// expect counts the observe sessions to come per node and returns the nodes not yet reported.
func (c *observingConnector) expect(nodes []planner.NodeRef) []string {
	var names []string
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range nodes {
		name := n.Addr.String()
		if c.pending[name] == 0 {
			names = append(names, name)
		}
		c.pending[name]++ // the engine observes a node once per unit it belongs to
	}
	return names
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

// observedNode reports the end of each Batch or Do, the engine's observe session.
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

// DoOps runs the ops in the wrapped node's own dialect (transport.Do on it), so that wrapping
// changes nothing of how they run, and reports the end like Batch.
func (n observedNode) DoOps(ctx context.Context, ops []transport.Op, inOrder bool) ([]transport.Outcome, error) {
	do := transport.Do
	if inOrder {
		do = transport.DoInOrder
	}
	res, err := do(ctx, n.Node, ops...)
	n.c.finish(n.name, err, false)
	return res, err
}

// allAtOnce gives a connector without ConnectEach its form: every node is handed over once all
// are connected.
type allAtOnce struct{ planner.Connector }

func (c allAtOnce) ConnectEach(ctx context.Context, nodes []planner.NodeRef, each func(planner.NodeRef, transport.Node, error)) {
	conns, errs := c.Connect(ctx, nodes)
	for _, n := range nodes {
		if err, bad := errs[n.Addr]; bad {
			each(n, nil, err)
		} else if node, ok := conns[n.Addr]; ok {
			each(n, node, nil)
		} else {
			each(n, nil, fmt.Errorf("not connected"))
		}
	}
}
