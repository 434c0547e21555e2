package servergroup

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// planning is the working state of one Plan call.
type planning struct {
	u     *unit
	up    planner.UnitPlan
	nodes map[addrs.Address]*nodeObs // reachable, readable nodes
	want  tree                       // the management node's settings
}

func (p *planning) diag(sev, addr, summary, detail string) {
	p.up.Diagnostics = append(p.up.Diagnostics, planner.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Addr: addr})
}

// Plan compares every member with the management node and the roster with the
// configuration, and fixes the rollout. It is pure: same observation, same plan.
func (u *unit) Plan(obs planner.Observation) planner.UnitPlan {
	p := &planning{u: u, up: planner.UnitPlan{Unit: u.g.Addr, Observed: map[string]string{}}, nodes: map[addrs.Address]*nodeObs{}}
	p.observe(obs)
	mgmt := u.g.Management
	mo, ok := p.nodes[mgmt.Addr]
	if !ok {
		return p.up // the management node's diagnostic is already there: nothing can be planned
	}
	if mo.settings == nil {
		p.diag(planner.SeverityError, mgmt.Addr.String(), "Management node holds no settings",
			fmt.Sprintf("%s has no settings directory %s. Settings are made on the management node with WSMGR's own tool; "+
				"create them there (or name the node that holds them as management), then plan again.", mgmt.Addr, u.l.settings.Posix()))
		return p.up
	}
	p.want = mo.settings
	for _, m := range u.g.Members {
		if m.Node == mgmt || m.Node.Addr == mgmt.Addr {
			p.diag(planner.SeverityError, m.Addr.String(), "Management node listed as a member",
				fmt.Sprintf("%s is %s's management node; a node cannot also be its member. Remove the member block.", m.Node.Addr, u.g.Addr))
			return p.up
		}
	}
	holder, before := p.currentRoster()
	p.staleRosters(holder)
	r := &rollout{Management: mgmt.Addr, ManagementName: mgmt.Name, Parallel: u.parallel,
		Want: p.want.fingerprint(), WantFiles: len(p.want), WantSize: p.want.size()}
	r.Roster = u.startRoster(before)
	r.RecordRoster = !bytes.Equal(r.Roster.encode(), mo.rawState)

	var changes []planner.Change
	if c, ok := p.groupChange(holder, before, r); ok {
		changes = append(changes, c)
	}
	for _, m := range u.g.Members {
		if c, ok := p.planMember(m, before, r); ok {
			changes = append(changes, c)
		}
	}
	changes = append(changes, p.removed(before, r)...)
	slices.SortStableFunc(changes, func(a, b planner.Change) int { return strings.Compare(a.Addr.String(), b.Addr.String()) })
	p.checkSpace(r)

	if len(r.Members) == 0 && len(r.Bookkeeping) == 0 && !r.RecordRoster {
		p.up.Changes = changes // held-back members only: shown, nothing to apply
		return p.up
	}
	ops := u.operations(r)
	if len(changes) == 0 || changes[0].Addr != u.g.Addr {
		changes = append([]planner.Change{{Addr: u.g.Addr, Action: planner.Update}}, changes...)
	}
	if changes[0].Reason == "" {
		changes[0].Reason = "the rollout below brings the members in line with the management node"
	}
	changes[0].Operations = ops
	p.up.Changes = changes
	p.up.State = r
	return p.up
}

// observe decodes every node, recording diagnostics for nodes that cannot be used. A disabled
// member may be unreachable: it is out of the rollout.
func (p *planning) observe(obs planner.Observation) {
	u := p.u
	disabled := map[addrs.Address]bool{}
	for _, m := range u.g.Members {
		disabled[m.Node.Addr] = m.Disabled
	}
	for _, n := range u.nodes {
		if err, bad := obs.Errors[n.Addr]; bad {
			if !disabled[n.Addr] {
				p.diag(planner.SeverityError, n.Addr.String(), "Node unreachable", unreachableDetail(u.g.Addr, n, err))
			}
			continue
		}
		o, err := decodeNode(obs.Results[n.Addr])
		if err != nil {
			p.diag(planner.SeverityError, n.Addr.String(), "Unreadable node state",
				fmt.Sprintf("%s: %v. Repair the file or directory on the node, then plan again.", n.Addr, err))
			continue
		}
		if o.state != nil && o.state.Group != u.g.Name {
			p.diag(planner.SeverityError, n.Addr.String(), "Node belongs to another server group",
				fmt.Sprintf("%s's state file %s says it belongs to server group %q, not %q. A node is in one group per settings "+
					"directory: remove it from the other group first.", n.Addr, u.l.stateFile().Posix(), o.state.Group, u.g.Name))
			continue
		}
		p.nodes[n.Addr] = o
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%s", o.settings.fingerprint(), o.rawState)
		p.up.Observed[n.Addr.String()] = hex.EncodeToString(h.Sum(nil))
	}
}

func unreachableDetail(group addrs.Address, n planner.NodeRef, err error) string {
	port := n.Endpoint.Port
	if port == 0 {
		port = 22
	}
	msg := strings.TrimPrefix(err.Error(), n.Addr.String()+": ")
	return fmt.Sprintf("%s (%s:%d) could not be reached: %s. Every node of %s must be reachable, except members marked "+
		"disabled: fix the connection, or set disabled = true on the member to leave it out of the rollout.",
		n.Addr, n.Endpoint.Address, port, msg, group)
}

// currentRoster finds the node that holds the roster: the configured management node when it
// claims the role, else any other node of the group that does (the role was moved in the
// configuration). It returns nil when no node claims it: a new group, or a lost management node.
func (p *planning) currentRoster() (addrs.Address, *groupState) {
	mgmt := p.u.g.Management.Addr
	if o := p.nodes[mgmt]; o != nil && o.state != nil && o.state.Role == roleManagement {
		return mgmt, o.state
	}
	for _, n := range p.u.nodes {
		if o := p.nodes[n.Addr]; o != nil && o.state != nil && o.state.Role == roleManagement {
			return n.Addr, o.state
		}
	}
	return addrs.Address{}, nil
}

// staleRosters warns of members that still hold a management roster of this group while
// holder has the role: a management server that was lost, replaced, and came back (seed 004:
// a recovered server rejoins as a member). Its roster is stale; apply records the node as a
// member, which replaces it.
func (p *planning) staleRosters(holder addrs.Address) {
	for _, m := range p.u.g.Members {
		o := p.nodes[m.Node.Addr]
		if o == nil || o.state == nil || o.state.Role != roleManagement || m.Node.Addr == holder {
			continue
		}
		p.diag(planner.SeverityWarning, m.Addr.String(), "Stale management roster on a member",
			fmt.Sprintf("%s still holds a roster of %s as its management server (members %s), but %s is the management node now. "+
				"It is the old management server come back: seed 004 has a recovered server rejoin as a member. Apply records it "+
				"as a member, replacing the stale roster; until then do not change settings on it, as changes are made only from "+
				"the management node.", m.Node.Addr, p.u.g.Addr, listOrNone(o.state.memberNames()), p.u.g.Management.Addr))
	}
}

// startRoster is the roster as apply first writes it: every configured member present with
// its current address, every observed mark kept (disabled and removed members change in
// bookkeeping, synced members as they go).
func (u *unit) startRoster(before *groupState) *groupState {
	r := &groupState{Group: u.g.Name, Role: roleManagement, Management: u.g.Management.Name, Members: map[string]*memberState{}}
	if before != nil {
		r.Members = before.clone().Members
	}
	delete(r.Members, "") // never valid; keeps a hand-edited file from confusing the rollout
	for _, m := range u.g.Members {
		e := r.Members[m.Name]
		if e == nil {
			e = &memberState{}
			r.Members[m.Name] = e
		}
		e.Node, e.Address = m.Node.Name, m.Node.Endpoint.Address
	}
	return r
}

// groupChange is the change of the group itself: created, or its management role moved.
func (p *planning) groupChange(holder addrs.Address, before *groupState, r *rollout) (planner.Change, bool) {
	mgmt := p.u.g.Management
	c := planner.Change{Addr: p.u.g.Addr, Action: planner.Update}
	after := make([]string, len(p.u.g.Members))
	for i, m := range p.u.g.Members {
		after[i] = m.Name
	}
	slices.Sort(after)
	switch {
	case before == nil:
		c.Action = planner.Create
		c.Reason = "no node holds this group's roster yet; the management node records it, then every member is synced from it"
		c.Attrs = []planner.AttrChange{{Name: "management", After: planner.String(mgmt.Addr.String())}, {Name: "members", After: planner.List(after...)}}
		return c, true
	case holder != mgmt.Addr:
		c.Reason = fmt.Sprintf("the management role moves from %s to %s: its settings become the ones every member receives", holder, mgmt.Addr)
		c.Attrs = append(c.Attrs, planner.AttrChange{Name: "management", Before: planner.String(holder.String()), After: planner.String(mgmt.Addr.String())})
	}
	if b := before.memberNames(); !slices.Equal(b, after) {
		c.Attrs = append(c.Attrs, planner.AttrChange{Name: "members", Before: planner.List(b...), After: planner.List(after...)})
	}
	if len(c.Attrs) == 0 && !r.RecordRoster {
		return c, false
	}
	return c, true
}

// believes reports whether a member's own state file names this group and management node.
func (u *unit) believes(st *groupState) bool {
	return st != nil && st.Group == u.g.Name && st.Role == roleMember && st.Management == u.g.Management.Name
}

// planMember decides what the rollout does to one configured member.
func (p *planning) planMember(m *config.Member, before *groupState, r *rollout) (planner.Change, bool) {
	u := p.u
	var e *memberState
	if before != nil {
		e = before.Members[m.Name]
	}
	ref := member{Addr: m.Addr, Name: m.Name, Node: m.Node.Addr, NodeName: m.Node.Name, Address: m.Node.Endpoint.Address}
	c := planner.Change{Addr: m.Addr, Action: planner.Update}
	if e == nil {
		c.Action = planner.Create
	}
	resync := u.resync[m.Name]
	if m.Disabled {
		if resync {
			p.diag(planner.SeverityError, m.Addr.String(), "Resync of a disabled member",
				fmt.Sprintf("%s is disabled (under maintenance), so it cannot be synced. Clear disabled: it is then added back with a sync.", m.Addr))
		}
		if e != nil && e.Disabled && e.Detached {
			return c, false
		}
		b := bookkeeping{member: ref, Detach: e == nil || !e.Detached}
		r.Bookkeeping = append(r.Bookkeeping, b)
		c.Reason = "disabled: out of the rollout and out of the load balancer until disabled is cleared"
		c.Attrs = []planner.AttrChange{{Name: "disabled", Before: planner.Bool(e != nil && e.Disabled), After: planner.Bool(true)}}
		return c, true
	}
	o := p.nodes[m.Node.Addr]
	if o == nil {
		return c, false // unreachable or unreadable: the diagnostic is already there
	}
	if o.state == nil {
		c.Action = planner.Create // never joined: the roster may list it, the node does not know it
	}
	drift := driftOf(m.Node.Addr, o.settings, p.want)
	if e != nil && e.OutOfSync != "" && !resync {
		// Not converged while it differs or is out of the balancer: a change apply leaves to
		// --resync, so that plan --detailed-exitcode still reports it.
		c.Action = planner.NoOp
		if e.Detached || drift != nil {
			c.Action = planner.Update
		}
		c.Reason = "held back: out of sync since a failed sync; this apply leaves it, a manual sync (--resync) updates it"
		c.HeldBack = true
		d := planner.NodeDrift{Node: m.Node.Addr.String(), Summary: fmt.Sprintf("out of sync since %s: %s", e.OutOfSyncSince, e.OutOfSync)}
		if e.Detached {
			d.Details = append(d.Details, "detached from the load balancer")
		}
		if drift != nil {
			d.Details = append(d.Details, drift.Details...)
		}
		c.Drift = []planner.NodeDrift{d}
		p.diag(planner.SeverityWarning, m.Addr.String(), "Member held back until a manual sync",
			fmt.Sprintf("The last sync of %s failed (%s) and it was left detached from the load balancer. Repair the node, then "+
				"run apply with --resync %s to sync it by hand and put it back.", m.Addr, e.OutOfSync, m.Addr))
		return c, true
	}
	detached := e != nil && e.Detached
	s := memberStep{member: ref, Resync: resync, Enable: e != nil && e.Disabled}
	s.Sync = resync || s.Enable || drift != nil
	s.Record = !u.believes(o.state)
	if s.Sync {
		s.Detach, s.Attach = !detached, true
	} else {
		s.Attach = detached
	}
	if !s.Sync && !s.Record && !s.Attach && e != nil {
		return c, false
	}
	if s.Sync {
		if problems := p.spaceProblems(m.Node.Addr, p.syncSize(), 2*p.syncSize()); len(problems) > 0 {
			return p.holdBack(m, c, drift, problems), true
		}
	}
	r.Members = append(r.Members, s)
	if drift != nil {
		c.Drift = []planner.NodeDrift{*drift}
	}
	switch {
	case resync:
		c.Reason = "manual sync (--resync): synced from the management node, its out-of-sync mark cleared"
	case s.Enable:
		c.Reason = "maintenance over: added back with a sync, then put back in the load balancer"
		c.Attrs = []planner.AttrChange{{Name: "disabled", Before: planner.Bool(true), After: planner.Bool(false)}}
	case drift != nil:
		c.Reason = "its settings differ from the management node's: synced behind the load balancer"
	case s.Attach:
		c.Reason = "in sync but left detached from the load balancer by an earlier run: put back"
	default:
		c.Reason = "in sync; its membership is recorded on it"
	}
	return c, true
}

// holdBack leaves a member that lacks the free space for its sync out of this rollout: the
// others go on. Its change stays a create or an update (it still differs) with nothing for
// apply to do.
func (p *planning) holdBack(m *config.Member, c planner.Change, drift *planner.NodeDrift, problems []spaceProblem) planner.Change {
	if c.Action != planner.Create {
		c.Action = planner.Update
	}
	c.Reason = "held back: not enough free space for the sync on its node; this apply leaves it as it is and in the load balancer"
	c.HeldBack = true
	if drift != nil {
		c.Drift = []planner.NodeDrift{*drift}
	}
	for _, sp := range problems {
		p.diag(planner.SeverityWarning, m.Addr.String(), "Member held back: "+lowerFirst(sp.summary),
			sp.detail+fmt.Sprintf(" The other members are rolled out; %s keeps its current settings and stays in the load balancer.", m.Addr))
	}
	return c
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// removed plans the members the roster holds that the configuration no longer declares.
func (p *planning) removed(before *groupState, r *rollout) []planner.Change {
	if before == nil {
		return nil
	}
	var out []planner.Change
	for _, name := range before.memberNames() {
		if slices.ContainsFunc(p.u.g.Members, func(m *config.Member) bool { return m.Name == name }) {
			continue
		}
		e := before.Members[name]
		ref := member{Addr: addrs.Member(p.u.g.Name, name), Name: name, Node: addrs.Node(e.Node), NodeName: e.Node, Address: e.Address}
		c := planner.Change{Addr: ref.Addr, Action: planner.Delete,
			Reason: "no longer in the configuration: taken out of the load balancer and the roster; its settings are left as they are"}
		b := bookkeeping{member: ref, Detach: !e.Detached, Remove: true}
		if e.Node == p.u.g.Management.Name {
			// It became the management node: it leaves the roster, not the balancer.
			b.Detach = false
			c.Reason = "it is now the management node: it leaves the member roster and stays in the load balancer"
		}
		r.Bookkeeping = append(r.Bookkeeping, b)
		out = append(out, c)
	}
	return out
}

// driftOf lists how a member's settings differ from the management node's, file by file, or
// returns nil when they are identical.
func driftOf(node addrs.Address, have, want tree) *planner.NodeDrift {
	if have.fingerprint() == want.fingerprint() {
		return nil
	}
	d := &planner.NodeDrift{Node: node.String()}
	if have == nil {
		d.Summary = "holds no settings"
		return d
	}
	var add, change, del int
	for _, p := range want.paths() {
		h, ok := have[p]
		switch {
		case !ok:
			add++
			d.Details = append(d.Details, "+ "+p+" (missing)")
		case h.Hash != want[p].Hash:
			change++
			d.Details = append(d.Details, "~ "+p)
		}
	}
	for _, p := range have.paths() {
		if _, ok := want[p]; !ok {
			del++
			d.Details = append(d.Details, "- "+p+" (not on the management node)")
		}
	}
	d.Summary = fmt.Sprintf("%d file(s) differ from the management node: %d missing, %d changed, %d extra", add+change+del, add, change, del)
	return d
}
