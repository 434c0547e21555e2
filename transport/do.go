package transport

import (
	"context"
	"fmt"
)

// OpRunner is a node that carries out ops itself, in its own dialect: the in-memory fake, a
// node without a POSIX shell (file work over SFTP, one program per command). A node that is not
// one speaks POSIX: Do renders each op with PosixCommand and runs them all in one Batch.
type OpRunner interface {
	// DoOps runs ops in order and returns one Outcome per op. When inOrder is set, an op that
	// fails stops the ops after it: they do not run and are ExitSkipped. An op the dialect
	// cannot run (UnsupportedError) fails the whole call before anything runs.
	DoOps(ctx context.Context, ops []Op, inOrder bool) ([]Outcome, error)
}

// Do runs ops on n in one call (on a POSIX node: one Batch, one session) and returns one
// Outcome per op. A failed op does not stop the others; err is set only when the node could not
// be reached or answered garbage as a whole, as for Batch.
func Do(ctx context.Context, n Node, ops ...Op) ([]Outcome, error) {
	return do(ctx, n, ops, false)
}

// DoInOrder is Do where each op runs only when every op before it succeeded: the others are
// ExitSkipped. It keeps the ordering guarantees a single script gave ("remove the record only
// when the resume succeeded") without a script: on a POSIX node the ops are still one Batch.
func DoInOrder(ctx context.Context, n Node, ops ...Op) ([]Outcome, error) {
	return do(ctx, n, ops, true)
}

func do(ctx context.Context, n Node, ops []Op, inOrder bool) ([]Outcome, error) {
	if len(ops) == 0 {
		return nil, nil
	}
	// A tree's paths are checked here, for every dialect, before anything of the call runs.
	for _, op := range ops {
		if t, ok := op.(WriteTree); ok {
			if err := CheckTreeFiles(t.Files); err != nil {
				return nil, fmt.Errorf("%s: %s: %w; nothing was done", n.Name(), t.Describe(), err)
			}
		}
	}
	if r, ok := n.(OpRunner); ok {
		return r.DoOps(ctx, ops, inOrder)
	}
	cmds := make([]Command, len(ops))
	for i, op := range ops {
		c, err := PosixCommand(op)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.Name(), err)
		}
		c.AfterSuccess = inOrder && i > 0
		cmds[i] = c
	}
	res, err := n.Batch(ctx, cmds)
	if err != nil {
		return nil, err
	}
	if len(res) != len(ops) {
		return nil, fmt.Errorf("%s: %d results for %d operations", n.Name(), len(res), len(ops))
	}
	out := make([]Outcome, len(ops))
	for i, op := range ops {
		out[i] = posixDecode(op, res[i])
	}
	return out, nil
}

// RefusePosixOnly is the check a dialect without a POSIX shell makes before it runs anything of
// a call: the first op that only a POSIX shell runs (a Command that is PosixOnly) is refused
// with an UnsupportedError naming the node, the dialect and the step.
func RefusePosixOnly(node, dialect string, ops []Op) error {
	for _, op := range ops {
		if c, ok := op.(Command); ok && c.PosixOnly() {
			return &UnsupportedError{Node: node, Dialect: dialect, Op: op}
		}
	}
	return nil
}
