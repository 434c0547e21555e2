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

// applier carries out one rollout. The roster is the management node's state file as it is
// now; every change to it is written at once, so a run that dies leaves the node's marks true.
type applier struct {
	u        *unit
	r        *rollout
	conns    map[addrs.Address]transport.Node
	mgmt     transport.Node
	progress planner.Progress
	want     tree // the snapshot's files

	mu     sync.Mutex // guards roster and its writes: members may run in parallel
	roster *groupState
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
	a := &applier{u: u, r: r, conns: conns, mgmt: conns[r.Management], progress: p, roster: r.Roster.clone()}
	var rep planner.ApplyReport
	if a.mgmt == nil {
		rep.Failed = []string{u.g.Addr.String()}
		rep.Err = fmt.Errorf("the management node %s is not connected; nothing was changed", r.Management)
		return rep
	}
	archive, err := a.head(ctx, &rep)
	if err != nil {
		rep.Failed = append(rep.Failed, u.g.Addr.String())
		for _, s := range r.Members {
			rep.Unchanged = append(rep.Unchanged, s.Addr.String())
		}
		rep.Err = fmt.Errorf("on the management node %s, before any member was synced: %w", r.Management, err)
		return rep
	}
	if archive != nil {
		defer a.cleanup()
	}
	a.wave(ctx, archive, &rep)
	return rep
}

// head runs the management node's steps: the roster, the members leaving the rollout, and
// the snapshot of the settings every member will receive (nil when nothing is synced).
func (a *applier) head(ctx context.Context, rep *planner.ApplyReport) ([]byte, error) {
	mgmtLabel := a.r.Management.String()
	if a.r.RecordRoster {
		if err := a.step(mgmtLabel, "record the group roster", func() error { return a.saveRoster(ctx, nil) }); err != nil {
			return nil, err
		}
		rep.Changed = append(rep.Changed, a.u.g.Addr.String())
	}
	for _, b := range a.r.Bookkeeping {
		if b.Detach {
			if err := a.balancer(ctx, "detach", a.u.g.DetachCommand, b.member); err != nil {
				return nil, err
			}
		}
		err := a.saveRoster(ctx, func(g *groupState) {
			if b.Remove {
				delete(g.Members, b.Name)
				return
			}
			g.Members[b.Name].Disabled, g.Members[b.Name].Detached = true, true
		})
		if err != nil {
			return nil, err
		}
		rep.Changed = append(rep.Changed, b.Addr.String())
	}
	if !a.r.syncs() {
		return nil, nil
	}
	archive, err := a.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	a.want, _ = archiveTree(archive) // snapshot has just read it
	return archive, nil
}

// wave rolls the members out in batches of Parallel. A batch runs to its end (stopping a
// member half way would leave it worse off); no batch starts after one with a failure.
func (a *applier) wave(ctx context.Context, archive []byte, rep *planner.ApplyReport) {
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
			wg.Go(func() { errs[j] = a.member(ctx, s, archive) })
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

// member rolls one member out: detach, sync, verify, record, attach. A failed sync or verify
// marks the member out of sync in the roster and leaves it detached.
func (a *applier) member(ctx context.Context, s memberStep, archive []byte) error {
	if s.Detach {
		if err := a.balancer(ctx, "detach", a.u.g.DetachCommand, s.member); err != nil {
			return err
		}
		if err := a.saveRoster(ctx, func(g *groupState) { g.Members[s.Name].Detached = true }); err != nil {
			return err
		}
	}
	node := a.conns[s.Node]
	if s.Sync {
		err := fmt.Errorf("%s is not connected", s.Node)
		if node != nil {
			err = a.unpack(ctx, node, s, archive)
			if err == nil {
				err = a.verify(ctx, node, s)
			}
		}
		if err != nil {
			return a.markOutOfSync(ctx, s, err)
		}
	}
	if s.Record {
		if node == nil {
			return fmt.Errorf("%s is not connected", s.Node)
		}
		st := &groupState{Group: a.u.g.Name, Role: roleMember, Management: a.r.ManagementName}
		err := a.step(s.Addr.String(), "record the membership", func() error {
			return node.WriteFile(ctx, a.u.l.stateFile(), st.encode(), 0o644)
		})
		if err != nil {
			return err
		}
	}
	err := a.saveRoster(ctx, func(g *groupState) {
		e := g.Members[s.Name]
		e.OutOfSync, e.OutOfSyncSince = "", ""
		if s.Enable {
			e.Disabled = false
		}
	})
	if err != nil || !s.Attach {
		return err
	}
	if err := a.balancer(ctx, "attach", a.u.g.AttachCommand, s.member); err != nil {
		return err
	}
	return a.saveRoster(ctx, func(g *groupState) { g.Members[s.Name].Detached = false })
}

// markOutOfSync records a failed sync in the roster: later plans hold the member back until
// --resync names it.
func (a *applier) markOutOfSync(ctx context.Context, s memberStep, cause error) error {
	reason := failureReason(cause)
	since := time.Now().UTC().Format(time.RFC3339)
	err := a.saveRoster(ctx, func(g *groupState) {
		e := g.Members[s.Name]
		e.Detached, e.OutOfSync, e.OutOfSyncSince = true, reason, since
	})
	if err != nil {
		return fmt.Errorf("%w (and marking it out of sync failed: %w)", cause, err)
	}
	return fmt.Errorf("%w; marked out of sync", cause)
}

// saveRoster applies change (if any) to the roster and writes it on the management node.
func (a *applier) saveRoster(ctx context.Context, change func(*groupState)) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if change != nil {
		change(a.roster)
	}
	if err := a.mgmt.WriteFile(ctx, a.u.l.stateFile(), a.roster.encode(), 0o644); err != nil {
		return fmt.Errorf("writing the roster on %s: %w", a.r.Management, err)
	}
	return nil
}

// balancer runs detach_command or attach_command for a member on the management node.
func (a *applier) balancer(ctx context.Context, verb string, argv []string, m member) error {
	cmd, ok := balancerCommand(argv, m.NodeName, m.Address)
	if !ok {
		return nil
	}
	prep := map[string]string{"detach": "from", "attach": "to"}[verb]
	_, err := a.run(ctx, a.mgmt, m.Addr.String(), verb+" "+prep+" the load balancer", cmd)
	return err
}

// cleanup removes the snapshot from the management node's system_dir; a failure only costs
// disk space, so it is reported, not fatal.
func (a *applier) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := a.mgmt.Run(ctx, transport.Cmd("rm", "-f", a.u.l.archive()))
	if err == nil && !res.OK() {
		err = fmt.Errorf("%s", transport.FirstLine(res.Stderr))
	}
	if err != nil {
		a.progress.Info(fmt.Sprintf("%s: could not remove %s: %v", a.r.Management, a.u.l.archive().Posix(), err))
	}
}

// run runs one command as a reported step; a non-zero exit is an error quoting its output.
func (a *applier) run(ctx context.Context, node transport.Node, label, step string, cmd transport.Command) (transport.Result, error) {
	var res transport.Result
	err := a.step(label, step, func() error {
		var err error
		res, err = node.Run(ctx, cmd)
		if err == nil && !res.OK() {
			err = failed(cmd, step, res)
		}
		return err
	})
	return res, err
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
