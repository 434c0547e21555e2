package servergroup

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// applier carries out one rollout. It writes nothing of its own on any node: every change is
// a site command run on the management node, and WSMGR's sync.
type applier struct {
	u        *unit
	r        *rollout
	conns    map[addrs.Address]transport.Node
	mgmt     transport.Node
	progress planner.Progress
}

// Apply runs the rollout Plan decided: the management node's steps, then the members in
// order, Parallel at a time, stopping after the first batch with a failure.
func (u *unit) Apply(ctx context.Context, up planner.UnitPlan, conns map[addrs.Address]transport.Node, p planner.Progress) planner.ApplyReport {
	r, ok := up.State.(*rollout)
	if !ok || r == nil {
		return planner.ApplyReport{}
	}
	if p == nil {
		p = silent{}
	}
	a := &applier{u: u, r: r, conns: conns, mgmt: conns[r.Management], progress: p}
	var rep planner.ApplyReport
	if a.mgmt == nil {
		rep.Failed = []string{u.g.Addr.String()}
		rep.Err = fmt.Errorf("the management node %s is not connected; nothing was changed", r.Management)
		return rep
	}
	if err := a.head(ctx, &rep); err != nil {
		rep.Failed = append(rep.Failed, u.g.Addr.String())
		for _, s := range r.Members {
			rep.Unchanged = append(rep.Unchanged, s.Addr.String())
		}
		rep.Err = fmt.Errorf("on the management node %s, before any member was synced: %w", r.Management, err)
		return rep
	}
	a.wave(ctx, &rep)
	return rep
}

// head detaches the disabled members and, when anyone is synced, checks that the management
// node still holds the settings the plan was made from.
func (a *applier) head(ctx context.Context, rep *planner.ApplyReport) error {
	for _, m := range a.r.Disabled {
		if err := a.site(ctx, "detach from the load balancer", a.u.g.DetachCommand, m); err != nil {
			return err
		}
		rep.Changed = append(rep.Changed, m.Addr.String())
	}
	if !a.r.syncs() {
		return nil
	}
	label, step := a.r.Management.String(), "check the settings are the planned ones"
	return a.step(label, step, func() error {
		t, err := a.readTree(ctx, a.mgmt)
		if err != nil {
			return err
		}
		if t.fingerprint() != a.r.Want {
			return fmt.Errorf("the settings on %s changed since the plan was made (%d files now, %d planned): run plan again",
				a.r.Management, len(t), a.r.WantFiles)
		}
		return nil
	})
}

// wave rolls the members out in batches of Parallel. A batch runs to its end (stopping a
// member half way would leave it worse off); no batch starts after one with a failure.
func (a *applier) wave(ctx context.Context, rep *planner.ApplyReport) {
	members := a.r.Members
	var failed []string
	var firstErr error
	for i := 0; i < len(members); i += a.r.Parallel {
		if firstErr != nil || ctx.Err() != nil {
			rep.Unchanged = append(rep.Unchanged, addrsOf(members[i:])...)
			break
		}
		batch := members[i:min(i+a.r.Parallel, len(members))]
		errs := make([]error, len(batch))
		var wg sync.WaitGroup
		for j, s := range batch {
			wg.Go(func() { errs[j] = a.member(ctx, s) })
		}
		wg.Wait()
		for j, s := range batch {
			if errs[j] != nil {
				failed = append(failed, s.Addr.String())
				if firstErr == nil {
					firstErr = fmt.Errorf("%s: %w", s.Addr, errs[j])
				}
				continue
			}
			rep.Changed = append(rep.Changed, s.Addr.String())
		}
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		rep.Failed = append(rep.Failed, failed...)
		rep.Err = fmt.Errorf("rollout stopped: %w. Done: %s. Failed (left detached from the load balancer): %s. Not touched: %s",
			firstErr, listOrNone(memberAddrs(rep.Changed)), listOrNone(failed), listOrNone(rep.Unchanged))
	}
}

// member rolls one member out: detach, have WSMGR sync it, wait for the sync monitor, verify,
// attach. Any failure leaves it detached.
func (a *applier) member(ctx context.Context, s memberStep) error {
	if s.Detach {
		if err := a.site(ctx, "detach from the load balancer", a.u.g.DetachCommand, s.member); err != nil {
			return err
		}
	}
	if s.Sync {
		if err := a.site(ctx, "have WSMGR sync it", a.u.g.SyncCommand, s.member); err != nil {
			return err
		}
		if err := a.waitSynced(ctx, s.member); err != nil {
			return err
		}
		if err := a.verify(ctx, s.member); err != nil {
			return err
		}
	}
	if s.Attach {
		return a.site(ctx, "attach to the load balancer", a.u.g.AttachCommand, s.member)
	}
	return nil
}

// waitSynced runs sync_check_command until it reports the sync finished (seed 004: confirm
// in the sync monitor before the member serves again). Syncing means wait; an error, a
// disabled member or an unknown answer stops the wait at once.
func (a *applier) waitSynced(ctx context.Context, m member) error {
	cmd, _ := siteCommand(a.u.g.SyncCheckCommand, m.NodeName, m.Address)
	return a.step(m.Addr.String(), "wait for the sync monitor", func() error {
		deadline := time.Now().Add(a.r.SyncTimeout)
		for {
			res, err := a.mgmt.Run(ctx, cmd)
			if err != nil {
				return err
			}
			st := parseSyncState(res)
			switch st.state {
			case syncDone:
				return nil
			case syncBusy:
			default:
				return fmt.Errorf("the sync monitor shows %s as %s (%s)", m.NodeName, st.describe(), a.u.shown(cmd))
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("the sync monitor still shows %s as %s after %s (sync_timeout)", m.NodeName, st.describe(), a.r.SyncTimeout)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(a.u.poll):
			}
		}
	})
}

// verify reads both config trees again, read-only, and compares them: WSMGR said the sync
// finished, the member must now hold what the management server holds.
func (a *applier) verify(ctx context.Context, m member) error {
	return a.step(m.Addr.String(), "verify the settings", func() error {
		node := a.conns[m.Node]
		if node == nil {
			return fmt.Errorf("%s is not connected", m.Node)
		}
		want, err := a.readTree(ctx, a.mgmt)
		if err != nil {
			return err
		}
		have, err := a.readTree(ctx, node)
		if err != nil {
			return err
		}
		if d := driftOf(m.Node, have, want); d != nil {
			return fmt.Errorf("WSMGR reported the sync finished, but %s: %s", d.Summary, strings.Join(d.Details, "; "))
		}
		return nil
	})
}

// readTree reads and hashes a node's settings tree.
func (a *applier) readTree(ctx context.Context, node transport.Node) (tree, error) {
	out, err := transport.Do(ctx, node, a.u.l.readSettings())
	if err != nil {
		return nil, err
	}
	return treeOf(out[0])
}

// site runs one of the site's commands for m on the management node as a reported step.
func (a *applier) site(ctx context.Context, step string, argv []string, m member) error {
	cmd, ok := siteCommand(argv, m.NodeName, m.Address)
	if !ok {
		return nil
	}
	return a.step(m.Addr.String(), step, func() error {
		res, err := a.mgmt.Run(ctx, cmd)
		if err == nil && !res.OK() {
			err = failed(cmd, a.u.g.Management.Endpoint.SSH.Shell, step, res)
		}
		return err
	})
}

// step reports fn as one progress step.
func (a *applier) step(label, step string, fn func() error) error {
	a.progress.Step(label, step)
	err := fn()
	a.progress.Done(label, step, err)
	return err
}

func addrsOf(steps []memberStep) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = s.Addr.String()
	}
	return out
}

// memberAddrs keeps the member addresses of a report list (it also holds the group's).
func memberAddrs(list []string) []string {
	var out []string
	for _, s := range list {
		if strings.Contains(s, ".member.") {
			out = append(out, s)
		}
	}
	return out
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// silent is the Progress of an apply nobody watches.
type silent struct{}

func (silent) Step(string, string)        {}
func (silent) Done(string, string, error) {}
func (silent) Info(string)                {}
