package status

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// nodeResult is what one node's session returned (the outcomes of each probe's ops, by
// probe), or why there was none.
type nodeResult struct {
	results [][]transport.Outcome
	err     error
}

// Read connects to every node of cfg, runs each node's commands in one session (at most
// parallelism nodes at once) and assembles the report. A node that cannot be reached is part
// of the report, not an error; only a cancelled context is.
func Read(ctx context.Context, cfg *config.Config, conn planner.Connector, parallelism int) (*Report, error) {
	js := jobs(cfg)
	refs := make([]planner.NodeRef, len(js))
	for i, j := range js {
		refs[i] = j.node
	}
	conns, connErrs := conn.Connect(ctx, refs)
	results := make([]nodeResult, len(js))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(parallelism, 1))
	for i, j := range js {
		if err, bad := connErrs[j.node.Addr]; bad {
			results[i].err = err
			continue
		}
		node, ok := conns[j.node.Addr]
		if !ok {
			results[i].err = fmt.Errorf("not connected")
			continue
		}
		g.Go(func() error {
			var ops []transport.Op
			for _, p := range j.probes {
				ops = append(ops, p.ops...)
			}
			out, err := transport.Do(gctx, node, ops...)
			if err == nil && len(out) != len(ops) {
				err = fmt.Errorf("expected %d results, got %d", len(ops), len(out))
			}
			var res [][]transport.Outcome
			if err == nil {
				for _, p := range j.probes {
					res, out = append(res, out[:len(p.ops)]), out[len(p.ops):]
				}
			}
			results[i] = nodeResult{results: res, err: err}
			return nil
		})
	}
	_ = g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	byNode := map[addrs.Address]nodeResult{}
	for i, j := range js {
		byNode[j.node.Addr] = results[i]
	}
	return decode(cfg, js, byNode), nil
}
