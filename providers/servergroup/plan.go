package servergroup

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// planning is the working state of one Plan call.
type planning struct {
	u       *unit
	up      planner.UnitPlan
	nodes   map[addrs.Address]*nodeObs // reachable, readable nodes
	members map[string]memberObs       // what the management node's site commands said
	self    memberSync                 // the management server's own state in the sync monitor
	want    tree                       // the management node's settings
}

func (p *planning) diag(sev, addr, summary, detail string) {
	p.up.Diagnostics = append(p.up.Diagnostics, planner.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Addr: addr})
}

// Plan compares every member's config tree with the management node's, reads WSMGR's sync
// state and the balancer through the site's commands, and fixes the rollout. It is pure: same
// observation, same plan. Nothing it decides rests on a record of the tool's own.
func (u *unit) Plan(obs planner.Observation) planner.UnitPlan {
	p := &planning{u: u, up: planner.UnitPlan{Unit: u.g.Addr, Observed: map[string]string{}}, nodes: map[addrs.Address]*nodeObs{}}
	p.observe(obs)
	mgmt := u.g.Management
	mo, ok := p.nodes[mgmt.Addr]
	if !ok || p.members == nil {
		return p.up // the management node's diagnostic is already there: nothing can be planned
	}
	if mo.settings == nil {
		p.diag(planner.SeverityError, mgmt.Addr.String(), "Management node holds no settings",
			fmt.Sprintf("%s has no settings directory %s. Settings are made on the management server with WSMGR's admin tool; "+
				"create them there (or name the node that holds them as management), then plan again.", mgmt.Addr, u.l.settings))
		return p.up
	}
	if !p.checkManagement() {
		return p.up
	}
	p.want = mo.settings
	r := &rollout{Management: mgmt.Addr, ManagementName: mgmt.Name, Parallel: u.parallel, SyncTimeout: u.g.SyncTimeout,
		Want: p.want.fingerprint(), WantFiles: len(p.want), WantSize: p.want.size()}
	var changes []planner.Change
	for _, m := range u.g.Members {
		var c planner.Change
		var ok bool
		if m.Disabled {
			c, ok = p.planDisabled(m, r)
		} else {
			c, ok = p.planMember(m, r)
		}
		if ok {
			changes = append(changes, c)
		}
	}
	p.checkSpace(r)
	if len(r.Members) == 0 && len(r.Disabled) == 0 {
		p.up.Changes = changes // held-back members only: shown, nothing to apply
		return p.up
	}
	changes = append([]planner.Change{{Addr: u.g.Addr, Action: planner.Update,
		Reason: "the rollout below has WSMGR bring the members in line with the management server", Operations: u.operations(r)}}, changes...)
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
		res, probes := obs.Results[n.Addr], u.probes(n.Addr)
		o, err := decodeNode(probes, res)
		if err == nil && n.Addr == u.g.Management.Addr {
			p.self, p.members, err = u.decodeMembers(probes, res)
		}
		if err != nil {
			p.diag(planner.SeverityError, n.Addr.String(), "Unreadable node state",
				fmt.Sprintf("%s: %v. Repair it on the node, then plan again.", n.Addr, err))
			continue
		}
		p.nodes[n.Addr] = o
		h := sha256.New()
		fmt.Fprintf(h, "%s", o.settings.fingerprint())
		if n.Addr == u.g.Management.Addr {
			fmt.Fprintf(h, "\x00%d\x00%s", p.self.state, p.self.detail)
			for _, m := range u.g.Members {
				fmt.Fprintf(h, "\x00%s\x00%d\x00%s\x00%d", m.Name, p.members[m.Name].sync.state, p.members[m.Name].sync.detail, p.members[m.Name].balancer)
			}
		}
		p.up.Observed[n.Addr.String()] = hex.EncodeToString(h.Sum(nil))
	}
}

// checkManagement reads the management server's own state in the sync monitor. Seed 004:
// 「同期モニタで管理サーバの状態がエラーとなっている場合」 the server group settings are made
// again, in the admin tool; the tool cannot, so nothing is planned until then.
func (p *planning) checkManagement() bool {
	mgmt := p.u.g.Management.Addr.String()
	switch p.self.state {
	case syncDone:
		return true
	case syncBusy:
		p.diag(planner.SeverityError, mgmt, "Management server busy in WSMGR",
			fmt.Sprintf("The sync monitor shows the management server %s as %s. Plan again once WSMGR has finished.", mgmt, p.self.describe()))
	case syncError:
		p.diag(planner.SeverityError, mgmt, "Management server in error in WSMGR",
			fmt.Sprintf("The sync monitor shows the management server %s as %s. Seed 004: make the server group settings again "+
				"in the management server's admin tool (サーバグループ設定); the tool cannot. Then plan again.", mgmt, p.self.describe()))
	case syncDisabled:
		p.diag(planner.SeverityError, mgmt, "Management server not managing in WSMGR",
			fmt.Sprintf("The sync monitor shows %s as %s, but the configuration names it the management server. Make it the "+
				"management server in the admin tool, or name the node WSMGR manages from.", mgmt, p.self.describe()))
	default:
		cmd, _ := siteCommand(p.u.g.SyncCheckCommand, p.u.g.Management.Name, p.u.g.Management.Endpoint.Address)
		p.diag(planner.SeverityError, mgmt, "Sync state unknown",
			fmt.Sprintf("sync_check_command for the management server (%s) answered %s; it must exit 0, 1, 2 or 3. Repair "+
				"the command, then plan again.", p.u.shown(cmd), p.self.describe()))
	}
	return false
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

func refOf(m *config.Member) member {
	return member{Addr: m.Addr, Name: m.Name, Node: m.Node.Addr, NodeName: m.Node.Name, Address: m.Node.Endpoint.Address}
}

// planDisabled keeps a member under maintenance out of the balancer. Its 「無効」 state is
// WSMGR's, set in the admin tool (seed 004); the tool reads it and says when it is missing.
func (p *planning) planDisabled(m *config.Member, r *rollout) (planner.Change, bool) {
	mo := p.members[m.Name]
	if p.u.resync[m.Name] {
		p.diag(planner.SeverityError, m.Addr.String(), "Resync of a disabled member",
			fmt.Sprintf("%s is disabled (under maintenance), so it is not synced. Clear disabled first.", m.Addr))
	}
	if mo.sync.state != syncDisabled {
		p.diag(planner.SeverityWarning, m.Addr.String(), "Disabled member still active in WSMGR",
			fmt.Sprintf("%s is declared disabled, but the sync monitor shows it as %s. Seed 004 (member server maintenance): "+
				"in the management server's admin tool set its 動作種類 to 「無効」 or remove it from the server group. "+
				"The tool cannot change WSMGR's server group settings.", m.Addr, mo.sync.describe()))
	}
	if mo.balancer != balancerIn || len(p.u.g.DetachCommand) == 0 {
		return planner.Change{}, false
	}
	r.Disabled = append(r.Disabled, refOf(m))
	return planner.Change{Addr: m.Addr, Action: planner.Update,
		Reason: "disabled (under maintenance): taken out of the load balancer; WSMGR does not sync it",
		Attrs:  []planner.AttrChange{{Name: "in_balancer", Before: planner.Bool(true), After: planner.Bool(false)}}}, true
}

// planMember decides what the rollout does to one enabled member.
func (p *planning) planMember(m *config.Member, r *rollout) (planner.Change, bool) {
	o := p.nodes[m.Node.Addr]
	if o == nil {
		return planner.Change{}, false // unreachable or unreadable: the diagnostic is already there
	}
	mo := p.members[m.Name]
	resync := p.u.resync[m.Name]
	drift := driftOf(m.Node.Addr, o.settings, p.want)
	out := mo.balancer == balancerOut
	c := planner.Change{Addr: m.Addr, Action: planner.Update}
	if drift != nil {
		c.Drift = []planner.NodeDrift{*drift}
	}
	switch mo.sync.state {
	case syncBusy:
		return p.heldBack(m, c, "Member is being synced by WSMGR",
			fmt.Sprintf("The sync monitor shows %s as %s. A member being synced is unusable (seed 004); the tool leaves it to "+
				"WSMGR. Plan again once the sync monitor shows the sync finished.", m.Addr, mo.sync.describe())), true
	case syncDisabled:
		if resync {
			p.diag(planner.SeverityError, m.Addr.String(), "Resync of a member WSMGR has disabled",
				fmt.Sprintf("%s is %s in WSMGR, so WSMGR will not sync it.", m.Addr, mo.sync.describe()))
		}
		return p.heldBack(m, c, "Member disabled or missing in WSMGR",
			fmt.Sprintf("The sync monitor shows %s as %s, but the configuration declares it an active member. Seed 004: add it "+
				"as a member server from the management server's admin tool; WSMGR then syncs it by itself. The tool cannot "+
				"change WSMGR's server group settings. Or declare disabled = true while it is under maintenance.", m.Addr, mo.sync.describe())), true
	case syncUnknown:
		cmd, _ := siteCommand(p.u.g.SyncCheckCommand, m.Node.Name, m.Node.Endpoint.Address)
		p.diag(planner.SeverityError, m.Addr.String(), "Sync state unknown",
			fmt.Sprintf("sync_check_command for %s (%s) answered %s; it must exit 0 (sync finished), 1 (syncing), 2 (error or "+
				"never synced) or 3 (disabled or not in the group). Repair the command, then plan again.", m.Addr, p.u.shown(cmd), mo.sync.describe()))
		return planner.Change{}, false
	case syncError:
		if !resync {
			return p.heldBack(m, c, "Member held back until a manual sync",
				fmt.Sprintf("The sync monitor shows %s as %s. Seed 004: WSMGR no longer updates such a member and changes "+
					"aimed at it fail until a manual sync. Repair the node, then run apply with --resync %s: it is taken out "+
					"of the load balancer, synced by WSMGR, checked and put back.", m.Addr, mo.sync.describe(), m.Addr)), true
		}
	}
	s := memberStep{member: refOf(m), Resync: resync}
	s.Sync = resync || drift != nil || mo.sync.state == syncError
	lb := len(p.u.g.DetachCommand) > 0
	switch {
	case s.Sync:
		s.Detach, s.Attach = lb && !out, lb
	case out:
		s.Attach = true
	default:
		return c, false
	}
	if s.Sync {
		if problems := p.spaceProblems(m.Node.Addr, p.syncSize(), 2*p.syncSize()); len(problems) > 0 {
			return p.holdBack(m, c, problems), true
		}
	}
	r.Members = append(r.Members, s)
	switch {
	case resync:
		c.Reason = "manual sync (--resync): out of the load balancer, synced by WSMGR, checked, put back"
	case drift != nil:
		c.Reason = "its config tree differs from the management server's: WSMGR syncs it behind the load balancer"
	default:
		c.Reason = "in sync but out of the load balancer: put back"
		c.Attrs = []planner.AttrChange{{Name: "in_balancer", Before: planner.Bool(false), After: planner.Bool(true)}}
	}
	return c, true
}

// heldBack is a member this apply leaves alone for a reason the plan states in a warning. Its
// change stays pending, so plan --detailed-exitcode keeps reporting it.
func (p *planning) heldBack(m *config.Member, c planner.Change, summary, detail string) planner.Change {
	c.Reason = "held back: " + lowerFirst(summary) + "; this apply leaves it"
	c.HeldBack = true
	p.diag(planner.SeverityWarning, m.Addr.String(), summary, detail)
	return c
}

// holdBack leaves a member that lacks the free space for its sync out of this rollout: the
// others go on.
func (p *planning) holdBack(m *config.Member, c planner.Change, problems []spaceProblem) planner.Change {
	c.Reason = "held back: not enough free space for the sync on its node; this apply leaves it as it is and in the load balancer"
	c.HeldBack = true
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
