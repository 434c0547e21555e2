package serverscan

import (
	"context"
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// Apply carries out the plan's decision: attach the planned servers, then run vkhoststat and
// fail if it shows a declared server INACT or no longer lists it. Nothing is written.
func (u *unit) Apply(ctx context.Context, up planner.UnitPlan, conns map[addrs.Address]transport.Node, p planner.Progress) planner.ApplyReport {
	st, ok := up.State.(*unitState)
	if !ok || st == nil {
		return planner.ApplyReport{}
	}
	name := st.node.String()
	node := conns[st.node]
	if node == nil {
		return planner.ApplyReport{Failed: []string{name}, Err: fmt.Errorf("%s is not connected", name)}
	}
	if err := u.run(ctx, node, st, p); err != nil {
		return planner.ApplyReport{Failed: []string{name}, Err: err}
	}
	return planner.ApplyReport{Changed: []string{name}}
}

func (u *unit) run(ctx context.Context, node transport.Node, st *unitState, p planner.Progress) error {
	name := st.node.String()
	// Every disconnected server is tried, each reported on its own: one Scan-Connector that
	// cannot be reached must not keep the others out of the load spreading.
	var failed AttachError
	for _, s := range st.attach {
		if err := u.do(ctx, node, name, stepAttach+s, u.vkattach(s), p); err != nil {
			failed.Servers = append(failed.Servers, s)
			failed.Errs = append(failed.Errs, err)
		}
	}
	verr := u.verify(ctx, node, st, p)
	if len(failed.Servers) > 0 {
		failed.Verify = verr
		return &failed
	}
	return verr
}

// AttachError is apply's failure when vkattach failed for some servers. Every server was
// tried; Verify is what vkhoststat said afterwards (nil when no declared server was INACT).
type AttachError struct {
	Servers []string // in the order tried
	Errs    []error  // one per server
	Verify  error
}

func (e *AttachError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "vkattach failed for %s (every disconnected server was tried):", strings.Join(e.Servers, ", "))
	for i, s := range e.Servers {
		fmt.Fprintf(&b, "\n  %s: %v", s, e.Errs[i])
	}
	if e.Verify != nil {
		fmt.Fprintf(&b, "\n%v", e.Verify)
	}
	return b.String()
}

func (e *AttachError) Unwrap() []error { return append(append([]error(nil), e.Errs...), e.Verify) }

// verify runs vkhoststat and fails if a declared server is INACT or not listed, quoting its
// output so the operator sees what Server-Scan said.
func (u *unit) verify(ctx context.Context, node transport.Node, st *unitState, p planner.Progress) error {
	name := st.node.String()
	report(p, name, stepVerify, nil, false)
	err := u.checkActive(ctx, node, st)
	report(p, name, stepVerify, err, true)
	return err
}

func (u *unit) checkActive(ctx context.Context, node transport.Node, st *unitState) error {
	cmd := u.vkhoststat()
	res, err := node.Run(ctx, cmd)
	if err != nil {
		return fmt.Errorf("%s: %w", u.shown(cmd), err)
	}
	// A listing with a non-zero exit is read as in the plan (ReadStatus): the status is undocumented.
	stat, err := ReadStatus(res)
	if err != nil {
		return fmt.Errorf("%s: %v:\n%s", u.shown(cmd), err, quote(combined(res)))
	}
	var bad []string
	for _, s := range st.declared {
		status, listed := stat.Status(s)
		switch {
		case !listed:
			bad = append(bad, s+" is not listed")
		case status == StatusInact:
			bad = append(bad, s+" is "+status)
		}
	}
	if len(bad) > 0 {
		return &NotActiveError{Problems: bad, Output: string(combined(res))}
	}
	return nil
}

// NotActiveError is apply's failure when vkhoststat, run at the end, shows a declared server
// INACT or no longer lists it.
type NotActiveError struct {
	Problems []string // "WinNT02 is INACT", "WinNT05 is not listed"
	Output   string   // vkhoststat's output, quoted in the message
}

func (e *NotActiveError) Error() string {
	return fmt.Sprintf("after apply, %s; vkhoststat says:\n%s", strings.Join(e.Problems, ", "), quote([]byte(e.Output)))
}

// do runs one step and reports it; a non-zero exit is an error quoting the command's output.
func (u *unit) do(ctx context.Context, node transport.Node, name, step string, cmd transport.Command, p planner.Progress) error {
	report(p, name, step, nil, false)
	res, err := node.Run(ctx, cmd)
	if err != nil {
		err = fmt.Errorf("%s: %w", u.shown(cmd), err)
	} else if !res.OK() {
		err = fmt.Errorf("%s exited with status %d:\n%s", u.shown(cmd), res.ExitCode, quote(combined(res)))
	}
	report(p, name, step, err, true)
	return err
}

// report sends a step's start (done false) or end to p, which may be nil.
func report(p planner.Progress, node, step string, err error, done bool) {
	if p == nil {
		return
	}
	if done {
		p.Done(node, step, err)
	} else {
		p.Step(node, step)
	}
}
