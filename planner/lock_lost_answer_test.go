package planner

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/local"
)

// lostAnswerNode runs its nth Batch on the node and then loses the answer: the commands took
// effect, but the call returns lose's error, as Ctrl-C, a timeout or a dropped connection does
// after the node has done the work.
type lostAnswerNode struct {
	*local.Node
	batches, loseAt int
	lose            func() error
}

func (n *lostAnswerNode) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	n.batches++
	if n.batches != n.loseAt {
		return n.Node.Batch(ctx, cmds)
	}
	if _, err := n.Node.Batch(context.Background(), cmds); err != nil {
		return nil, err
	}
	return nil, n.lose()
}

// A lock created on the node whose answer was lost is released all the same: nothing is left
// for force-unlock, whether the call failed or the run's context was cancelled meanwhile.
func TestLockWhoseAnswerWasLostIsReleased(t *testing.T) {
	for name, cancelRun := range map[string]bool{"connection lost": false, "run cancelled": true} {
		t.Run(name, func(t *testing.T) {
			l := newLab(t)
			a2 := addrs.ClusterNode("a", "n2") // locked second, after a1 (the global order)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			lose := func() error { return errors.New("ssh: connection lost") }
			if cancelRun {
				lose = func() error { cancel(); return ctx.Err() }
			}
			// Batch 1 observes (plan), batch 2 creates the lock.
			node := &lostAnswerNode{Node: l.conn.nodes[a2], loseAt: 2, lose: lose}
			eng := &Engine{Providers: []Provider{fakeProvider{units: []Unit{l.units["b"], l.units["a"]}}},
				Connector: swapConnector{l.conn, a2, node}}
			run, err := eng.Plan(context.Background(), &config.Config{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out := eng.Apply(ctx, run, ApplyOptions{Approved: run.Plan})
			if out.Err == nil {
				t.Fatal("apply succeeded; want the lost answer's error")
			}
			if node.batches < 2 {
				t.Fatalf("the lock of %s was never taken (%d batches): the test proves nothing", a2, node.batches)
			}
			for addr, n := range l.conn.nodes {
				if _, err := os.Stat(lockPathOf(n)); !os.IsNotExist(err) {
					b, _ := os.ReadFile(lockPathOf(n))
					t.Errorf("%s: lock left behind after %v: %s", addr, out.Err, strings.TrimSpace(string(b)))
				}
			}
		})
	}
}
