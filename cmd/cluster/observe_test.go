package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/fake"
)

// recordingObserver records what the connector reports.
type recordingObserver struct {
	mu     sync.Mutex
	events []string
}

func (r *recordingObserver) Observing(nodes []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf("observing %v", nodes))
}

// Connecting and Connected are not recorded: the view times them (views tests).
func (r *recordingObserver) Connecting(string) {}
func (r *recordingObserver) Connected(string)  {}

func (r *recordingObserver) Warn(msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "warning "+msg)
}

func (r *recordingObserver) Observed(node string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf("observed %s %v", node, err))
}

// stubConnector connects every node but those in down.
type stubConnector struct{ down map[string]bool }

func (s stubConnector) Connect(_ context.Context, nodes []planner.NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	conns, errs := map[addrs.Address]transport.Node{}, map[addrs.Address]error{}
	for _, n := range nodes {
		if s.down[n.Addr.String()] {
			errs[n.Addr] = errors.New("connection refused")
			continue
		}
		conns[n.Addr] = fake.New(n.Addr.String())
	}
	return conns, errs
}

func TestObservingConnectorReportsEachNodeOnce(t *testing.T) {
	sv1, sv2, sv3 := addrs.Node("sv1"), addrs.Node("sv2"), addrs.Node("sv3")
	rec := &recordingObserver{}
	c := newObservingConnector(stubConnector{down: map[string]bool{sv3.String(): true}}, rec)
	// sv1 belongs to two units: it is observed twice and reported once, after the second.
	conns, errs := c.Connect(context.Background(), []planner.NodeRef{{Addr: sv1}, {Addr: sv2}, {Addr: sv1}, {Addr: sv3}})
	if len(conns) != 2 || len(errs) != 1 {
		t.Fatalf("conns %v, errs %v", conns, errs)
	}
	ctx := context.Background()
	batch := func(a addrs.Address) {
		if _, err := conns[a].Batch(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	batch(sv1)
	batch(sv2)
	batch(sv1)
	c.stop()
	batch(sv2) // apply's observation under the lock: not reported

	want := []string{
		"observing [node.sv1 node.sv2 node.sv3]",
		"observed node.sv3 connection refused",
		"observed node.sv2 <nil>",
		"observed node.sv1 <nil>",
	}
	if diff := cmp.Diff(want, rec.events); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
