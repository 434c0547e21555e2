package statusfile

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// Apply carries out the plan's decision on the node, definition file by definition file, then
// reads the node again: it must then plan to nothing. On a failure it stops at once and leaves
// the definition file as it was: files already created are seen by the next plan and kept.
func (u *unit) Apply(ctx context.Context, up planner.UnitPlan, conns map[addrs.Address]transport.Node, p planner.Progress) planner.ApplyReport {
	st, ok := up.State.(*unitState)
	if !ok || st == nil {
		return planner.ApplyReport{}
	}
	name := u.node.Addr.String()
	node := conns[u.node.Addr]
	if node == nil {
		return planner.ApplyReport{Failed: []string{name}, Err: fmt.Errorf("%s is not connected", name)}
	}
	for _, s := range st.services {
		if err := u.applyService(ctx, node, s, p); err != nil {
			return planner.ApplyReport{Failed: []string{name}, Err: err}
		}
	}
	if err := u.verify(ctx, node, p); err != nil {
		return planner.ApplyReport{Failed: []string{name}, Err: err}
	}
	return planner.ApplyReport{Changed: []string{name}}
}

func (u *unit) applyService(ctx context.Context, node transport.Node, s serviceSteps, p planner.Progress) error {
	for _, st := range s.steps {
		if err := u.do(ctx, node, st, p); err != nil {
			return err
		}
	}
	if s.final != nil {
		return u.write(ctx, node, s.def, s.final, "write the definition file "+string(s.def), p)
	}
	return nil
}

// write replaces the definition file atomically (transport.WriteFile: temporary file, sync,
// rename; over SFTP on a Windows node).
func (u *unit) write(ctx context.Context, node transport.Node, path transport.NodePath, data []byte, what string, p planner.Progress) error {
	return u.step(ctx, node, transport.WriteFile{Path: path, Data: data, Mode: 0o644}, what, p)
}

// do runs one command (init_command: one program with its arguments, in every dialect); a
// non-zero exit is an error quoting the output.
func (u *unit) do(ctx context.Context, node transport.Node, s step, p planner.Progress) error {
	return u.step(ctx, node, s.cmd, s.name, p)
}

// step carries out one op on the node and reports it.
func (u *unit) step(ctx context.Context, node transport.Node, op transport.Op, what string, p planner.Progress) error {
	n := u.node.Addr.String()
	if p != nil {
		p.Step(n, what)
	}
	err := runOp(ctx, node, u.shell(), op)
	if err != nil {
		err = fmt.Errorf("%s: %w", what, err)
	}
	if p != nil {
		p.Done(n, what, err)
	}
	return err
}

func runOp(ctx context.Context, node transport.Node, shell string, op transport.Op) error {
	res, err := transport.Do(ctx, node, op)
	if err != nil {
		return err
	}
	if len(res) != 1 {
		return errIncomplete
	}
	o := res[0]
	if c, ok := op.(transport.Command); ok && !o.OK() {
		out := strings.TrimSpace(string(o.Stderr) + "\n" + string(o.Stdout))
		return fmt.Errorf("%s exited with status %d: %s", c.DisplayFor(shell), o.ExitCode, out)
	}
	o.Op = op
	return o.Err()
}

// errNotConverged means the node, read again after apply, still needs changes.
var errNotConverged = errors.New("the node does not hold the planned status files after apply")

// verify observes the node again and plans: after a complete apply there is nothing left to do.
func (u *unit) verify(ctx context.Context, node transport.Node, p planner.Progress) error {
	n := u.node.Addr.String()
	if p != nil {
		p.Step(n, "verify the status files")
	}
	res, err := transport.Do(ctx, node, u.ObserveOps(u.node.Addr)...)
	if err == nil {
		again := u.Plan(planner.Observation{Results: map[addrs.Address][]transport.Outcome{u.node.Addr: res}})
		var left []string
		for _, c := range again.Changes {
			left = append(left, c.Addr.String()+" ("+string(c.Action)+")")
		}
		for _, d := range again.Diagnostics {
			if d.Severity == planner.SeverityError {
				left = append(left, d.Addr+": "+d.Summary)
			}
		}
		if len(left) > 0 {
			err = fmt.Errorf("%w: %s", errNotConverged, strings.Join(left, ", "))
		}
	}
	if p != nil {
		p.Done(n, "verify the status files", err)
	}
	return err
}
