package planner

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// slowEachConnector hands over every node at once, except slow, which it hands over only once
// every other node has been observed (or after a second: the old engine, which observes nothing
// before all are connected, then waits that long).
type slowEachConnector struct {
	localConnector
	slow     addrs.Address
	slowErr  error
	observed chan addrs.Address // one per Batch
}

func (c *slowEachConnector) ConnectEach(ctx context.Context, refs []NodeRef, each func(NodeRef, transport.Node, error)) {
	var late []NodeRef
	fast := 0
	for _, r := range refs {
		if r.Addr == c.slow {
			late = append(late, r)
			continue
		}
		fast++
		each(r, batchSignal{c.nodes[r.Addr], c.observed, r.Addr}, nil)
	}
	deadline := time.After(time.Second)
wait:
	for range fast {
		select {
		case <-c.observed:
		case <-deadline:
			break wait
		}
	}
	for _, r := range late {
		each(r, nil, c.slowErr)
	}
}

// Connect hands over every node once all are connected: the slow node after the second.
func (c *slowEachConnector) Connect(ctx context.Context, refs []NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	conns, errs := map[addrs.Address]transport.Node{}, map[addrs.Address]error{}
	var mu sync.Mutex
	c.ConnectEach(ctx, refs, func(r NodeRef, n transport.Node, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs[r.Addr] = err
		} else {
			conns[r.Addr] = n
		}
	})
	return conns, errs
}

// batchSignal reports each Batch (observe session) of its node.
type batchSignal struct {
	transport.Node
	observed chan<- addrs.Address
	addr     addrs.Address
}

func (n batchSignal) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	res, err := n.Node.Batch(ctx, cmds)
	n.observed <- n.addr
	return res, err
}

// Plan observes each node as soon as it is connected: the healthy nodes are read while one is
// still connecting, and the slow node's connection error is its diagnostic.
func TestPlanObservesEachNodeAsSoonAsConnected(t *testing.T) {
	l := newLab(t)
	slow := addrs.ClusterNode("a", "n2")
	c := &slowEachConnector{localConnector: l.conn, slow: slow, slowErr: errors.New("connect timeout (raise --connect-timeout)"),
		observed: make(chan addrs.Address, 16)}
	eng := &Engine{Providers: []Provider{fakeProvider{units: []Unit{l.units["b"], l.units["a"]}}}, Connector: c}
	began := time.Now()
	run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took > 700*time.Millisecond {
		t.Errorf("plan took %s: the healthy nodes were not observed while %s was connecting", took, slow)
	}
	found := false
	for _, d := range run.Plan.Diagnostics {
		if d.Addr == slow.String() && d.Detail == "connect timeout (raise --connect-timeout)" {
			found = true
		}
	}
	if !found {
		t.Errorf("the slow node's connection error is not in the plan: %+v", run.Plan.Diagnostics)
	}
	if len(run.Plan.Observed) != 3 {
		t.Errorf("observed %v, want the 3 connected nodes", run.Plan.Observed)
	}
}
