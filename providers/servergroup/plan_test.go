package servergroup

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// testGroup is web1 managing web2..web4, with the site's sync and balancer commands.
func testGroup(edit func(g *config.ServerGroup)) *config.ServerGroup {
	node := func(name string) *config.Node {
		return &config.Node{Addr: addrs.Node(name), Name: name, Endpoint: config.Endpoint{Address: "10.0.0." + name[3:], Port: 22}}
	}
	g := &config.ServerGroup{Addr: addrs.ServerGroup("web"), Name: "web", Management: node("web1"),
		SettingsDir: "/opt/wsmgr/config", SystemDir: "/var/tmp",
		SyncCommand:       []string{"/usr/local/sbin/wsmgr-sync", "{node}"},
		SyncCheckCommand:  []string{"/usr/local/sbin/wsmgr-sync-state", "{node}"},
		SyncTimeout:       config.DefaultSyncTimeout,
		DetachCommand:     []string{"/usr/local/bin/lbctl", "detach", "{node}"},
		AttachCommand:     []string{"/usr/local/bin/lbctl", "attach", "{node}", "{address}"},
		InBalancerCommand: []string{"/usr/local/bin/lbctl", "status", "{node}"}}
	for _, n := range []string{"web2", "web3", "web4"} {
		g.Members = append(g.Members, &config.Member{Addr: addrs.Member("web", n), Name: n, Node: node(n)})
	}
	if edit != nil {
		edit(g)
	}
	return g
}

func noBalancer(g *config.ServerGroup) {
	g.DetachCommand, g.AttachCommand, g.InBalancerCommand = nil, nil, nil
}

func testUnit(t *testing.T, g *config.ServerGroup, p Provider) *unit {
	t.Helper()
	us, err := p.Units(&config.Config{ServerGroups: map[string]*config.ServerGroup{g.Name: g}})
	if err != nil {
		t.Fatal(err)
	}
	return us[0].(*unit)
}

// held is what one node reports, and what the management node's site commands say of it.
type held struct {
	files  map[string]string // nil: no settings directory
	freeK  int64             // free KiB on both filesystems; 0 means plenty, negative none
	noFree bool              // the node cannot measure its free space
	down   bool
	sync   int // sync_check_command's exit status: 0 finished, 1 syncing, 2 error, 3 disabled
	out    bool
	lbErr  bool // in_balancer_command fails
}

var settingsV1 = map[string]string{"wsmgr.conf": "port=80\n", "sites/a.xml": "<a/>\n"}

// settingsTree is the outcome of readSettings for a node holding files (nil: no directory).
func settingsTree(files map[string]string) transport.Outcome {
	if files == nil {
		return transport.Outcome{}
	}
	tree := map[string][]byte{}
	for n, content := range files {
		tree[n] = []byte(content)
	}
	return transport.Outcome{Tree: tree}
}

// freeSpace is the outcome of the FreeSpace op of a node holding h.
func freeSpace(h held) transport.Outcome {
	switch {
	case h.noFree:
		return transport.Outcome{Result: transport.Result{ExitCode: 1, Stderr: []byte("statvfs@openssh.com /C:/: Operation unsupported\n")}}
	case h.freeK == 0:
		return transport.Outcome{Free: []int64{1 << 40, 1 << 40}}
	}
	b := max(h.freeK, 0) * 1024
	return transport.Outcome{Free: []int64{b, b}}
}

// observe renders what the nodes hold as the results of g's observe commands.
func observe(g *config.ServerGroup, nodes map[string]held) planner.Observation {
	obs := planner.Observation{Results: map[addrs.Address][]transport.Outcome{}, Errors: map[addrs.Address]error{}}
	for name, h := range nodes {
		if h.down {
			obs.Errors[addrs.Node(name)] = errors.New("dial tcp: connection refused")
			continue
		}
		var res []transport.Result
		if name == g.Management.Name {
			res = append(res, transport.Result{ExitCode: h.sync, Stdout: []byte(map[int]string{2: "E0301\n"}[h.sync])})
			for _, m := range g.Members {
				mh := nodes[m.Node.Name]
				res = append(res, transport.Result{ExitCode: mh.sync, Stdout: []byte(map[int]string{2: "E1203\n"}[mh.sync])})
				if len(g.InBalancerCommand) > 0 {
					lb := transport.Result{}
					if mh.out {
						lb.ExitCode = 1
					}
					if mh.lbErr {
						lb = transport.Result{ExitCode: 127, Stderr: []byte("lbctl: not found")}
					}
					res = append(res, lb)
				}
			}
		}
		obs.Results[addrs.Node(name)] = []transport.Outcome{settingsTree(h.files), freeSpace(h)}
		for _, r := range res {
			obs.Results[addrs.Node(name)] = append(obs.Results[addrs.Node(name)], transport.Outcome{Result: r})
		}
	}
	return obs
}

// inSync is a group where every member holds the settings, WSMGR reports them synced and
// they are in the balancer.
func inSync(edit func(map[string]held)) map[string]held {
	nodes := map[string]held{"web1": {files: settingsV1}}
	for _, n := range []string{"web2", "web3", "web4"} {
		nodes[n] = held{files: settingsV1}
	}
	if edit != nil {
		edit(nodes)
	}
	return nodes
}

type planSummary struct {
	Changes  []string // "address action", "(held back)" when apply leaves it
	Steps    []string // "member: D S A" flags of the rollout wave
	Disabled []string
	Errors   []string // "address: summary"
	Warns    []string
}

func summarize(up planner.UnitPlan) planSummary {
	var s planSummary
	for _, c := range up.Changes {
		line := c.Addr.String() + " " + string(c.Action)
		if c.HeldBack {
			line += " (held back)"
		}
		s.Changes = append(s.Changes, line)
	}
	if r, ok := up.State.(*rollout); ok {
		for _, m := range r.Members {
			flags := ""
			for _, f := range []struct {
				on bool
				c  string
			}{{m.Detach, "D"}, {m.Sync, "S"}, {m.Attach, "A"}} {
				if f.on {
					flags += f.c
				}
			}
			s.Steps = append(s.Steps, m.Name+": "+flags)
		}
		for _, b := range r.Disabled {
			s.Disabled = append(s.Disabled, b.Name)
		}
	}
	for _, d := range up.Diagnostics {
		line := d.Addr + ": " + d.Summary
		if d.Severity == planner.SeverityError {
			s.Errors = append(s.Errors, line)
		} else {
			s.Warns = append(s.Warns, line)
		}
	}
	return s
}

func TestPlan(t *testing.T) {
	changedV := map[string]string{"wsmgr.conf": "port=8080\n", "sites/a.xml": "<a/>\n"}
	const (
		grp  = "server_group.web update"
		web2 = "server_group.web.member.web2 update"
		web3 = "server_group.web.member.web3 update"
		web4 = "server_group.web.member.web4 update"
	)
	cases := map[string]struct {
		group  func(*config.ServerGroup)
		resync []addrs.Address
		nodes  map[string]held
		want   planSummary
	}{
		"members in sync and in the balancer: no changes": {nodes: inSync(nil)},
		"settings changed on the management node: WSMGR syncs every member behind the balancer": {
			nodes: inSync(func(n map[string]held) { n["web1"] = held{files: changedV} }),
			want:  planSummary{Changes: []string{grp, web2, web3, web4}, Steps: []string{"web2: DSA", "web3: DSA", "web4: DSA"}},
		},
		"a member with no config directory yet is synced": {
			nodes: inSync(func(n map[string]held) { n["web4"] = held{} }),
			want:  planSummary{Changes: []string{grp, web4}, Steps: []string{"web4: DSA"}},
		},
		"without a balancer only the sync runs": {
			group: noBalancer,
			nodes: inSync(func(n map[string]held) { n["web3"] = held{files: changedV} }),
			want:  planSummary{Changes: []string{grp, web3}, Steps: []string{"web3: S"}},
		},
		"a member left out of the balancer is put back without a sync": {
			nodes: inSync(func(n map[string]held) { n["web3"] = held{files: settingsV1, out: true} }),
			want:  planSummary{Changes: []string{grp, web3}, Steps: []string{"web3: A"}},
		},
		"a member out of the balancer and differing is synced without a second detach": {
			nodes: inSync(func(n map[string]held) { n["web3"] = held{files: changedV, out: true} }),
			want:  planSummary{Changes: []string{grp, web3}, Steps: []string{"web3: SA"}},
		},
		"a member in sync error is held back until --resync": {
			nodes: inSync(func(n map[string]held) { n["web3"] = held{files: settingsV1, sync: 2, out: true} }),
			want: planSummary{Changes: []string{web3 + " (held back)"},
				Warns: []string{"server_group.web.member.web3: Member held back until a manual sync"}},
		},
		"--resync has WSMGR sync a member in error": {
			resync: []addrs.Address{addrs.Node("web3")},
			nodes:  inSync(func(n map[string]held) { n["web3"] = held{files: settingsV1, sync: 2, out: true} }),
			want:   planSummary{Changes: []string{grp, web3}, Steps: []string{"web3: SA"}},
		},
		"--resync forces a sync of a member in sync": {
			resync: []addrs.Address{addrs.Member("web", "web2")},
			nodes:  inSync(nil),
			want:   planSummary{Changes: []string{grp, web2}, Steps: []string{"web2: DSA"}},
		},
		"a member WSMGR is syncing is left to WSMGR": {
			nodes: inSync(func(n map[string]held) {
				n["web1"] = held{files: changedV}
				n["web2"] = held{files: settingsV1, sync: 1}
			}),
			want: planSummary{Changes: []string{web2 + " (held back)", web3, web4}, Steps: []string{"web3: DSA", "web4: DSA"},
				Warns: []string{"server_group.web.member.web2: Member is being synced by WSMGR"}}.withGroup(),
		},
		"a member WSMGR shows as disabled or absent needs the admin tool": {
			nodes: inSync(func(n map[string]held) { n["web4"] = held{files: settingsV1, sync: 3} }),
			want: planSummary{Changes: []string{web4 + " (held back)"},
				Warns: []string{"server_group.web.member.web4: Member disabled or missing in WSMGR"}},
		},
		"an unknown sync state is an error, not a guess": {
			nodes: inSync(func(n map[string]held) { n["web4"] = held{files: changedV, sync: 9} }),
			want:  planSummary{Errors: []string{"server_group.web.member.web4: Sync state unknown"}},
		},
		"a balancer command that fails makes the management node unreadable": {
			nodes: inSync(func(n map[string]held) { n["web2"] = held{files: settingsV1, lbErr: true} }),
			want:  planSummary{Errors: []string{"node.web1: Unreadable node state"}},
		},
		"disabling a member detaches it and leaves it out, even unreachable": {
			group: func(g *config.ServerGroup) { g.Members[1].Disabled = true },
			nodes: inSync(func(n map[string]held) { n["web3"] = held{down: true, sync: 3} }),
			want:  planSummary{Changes: []string{grp, web3}, Disabled: []string{"web3"}},
		},
		"a disabled member already out of the balancer is left alone": {
			group: func(g *config.ServerGroup) { g.Members[1].Disabled = true },
			nodes: inSync(func(n map[string]held) { n["web3"] = held{down: true, sync: 3, out: true} }),
		},
		"a disabled member WSMGR still syncs is warned of": {
			group: func(g *config.ServerGroup) { g.Members[1].Disabled = true },
			nodes: inSync(func(n map[string]held) { n["web3"] = held{files: settingsV1, out: true} }),
			want:  planSummary{Warns: []string{"server_group.web.member.web3: Disabled member still active in WSMGR"}},
		},
		"maintenance over: once WSMGR synced it, the member is put back": {
			nodes: inSync(func(n map[string]held) { n["web3"] = held{files: settingsV1, out: true} }),
			want:  planSummary{Changes: []string{grp, web3}, Steps: []string{"web3: A"}},
		},
		"unreachable member is an error unless disabled": {
			nodes: inSync(func(n map[string]held) { n["web4"] = held{down: true} }),
			want:  planSummary{Errors: []string{"node.web4: Node unreachable"}},
		},
		"full disk on a member holds that member back alone": {
			nodes: inSync(func(n map[string]held) {
				n["web1"] = held{files: changedV}
				n["web3"] = held{files: settingsV1, freeK: -1}
			}),
			want: planSummary{Changes: []string{grp, web2, web3 + " (held back)", web4}, Steps: []string{"web2: DSA", "web4: DSA"},
				Warns: []string{"server_group.web.member.web3: Member held back: not enough free space in system_dir",
					"server_group.web.member.web3: Member held back: not enough free space beside the settings"}},
		},
		"full disk on the management node fails the precondition": {
			nodes: inSync(func(n map[string]held) { n["web1"] = held{files: changedV, freeK: -1} }),
			want: planSummary{Changes: []string{grp, web2, web3, web4}, Steps: []string{"web2: DSA", "web3: DSA", "web4: DSA"},
				Errors: []string{"node.web1: Not enough free space in system_dir"}},
		},
		"free space unknown on a member holds it back: no room is assumed": {
			nodes: inSync(func(n map[string]held) {
				n["web1"] = held{files: changedV}
				n["web3"] = held{files: settingsV1, noFree: true}
			}),
			want: planSummary{Changes: []string{grp, web2, web3 + " (held back)", web4}, Steps: []string{"web2: DSA", "web4: DSA"},
				Warns: []string{"server_group.web.member.web3: Member held back: free space unknown"}},
		},
		"free space unknown on the management node stops a rollout that syncs": {
			nodes: inSync(func(n map[string]held) { n["web1"] = held{files: changedV, noFree: true} }),
			want: planSummary{Changes: []string{grp, web2, web3, web4}, Steps: []string{"web2: DSA", "web3: DSA", "web4: DSA"},
				Errors: []string{"node.web1: Free space unknown"}},
		},
		"free space unknown matters only to a sync": {
			nodes: inSync(func(n map[string]held) {
				n["web1"] = held{files: settingsV1, noFree: true}
				n["web2"] = held{files: settingsV1, noFree: true}
			}),
		},
		"a management server the sync monitor shows in error stops the plan": {
			nodes: inSync(func(n map[string]held) { n["web1"] = held{files: changedV, sync: 2} }),
			want:  planSummary{Errors: []string{"node.web1: Management server in error in WSMGR"}},
		},
		"management without settings is an error": {
			nodes: map[string]held{"web1": {}, "web2": {}, "web3": {}, "web4": {}},
			want:  planSummary{Errors: []string{"node.web1: Management node holds no settings"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			g := testGroup(tc.group)
			u := testUnit(t, g, Provider{Resync: tc.resync})
			up := u.Plan(observe(g, tc.nodes))
			if diff := cmp.Diff(tc.want, summarize(up)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
			again := u.Plan(observe(g, tc.nodes))
			if diff := cmp.Diff(up.Changes, again.Changes, cmp.Comparer(func(a, b addrs.Address) bool { return a == b })); diff != "" {
				t.Errorf("Plan is not deterministic:\n%s", diff)
			}
		})
	}
}

// withGroup puts the group's own change first, as Plan does when there is a rollout.
func (s planSummary) withGroup() planSummary {
	s.Changes = append([]string{"server_group.web update"}, s.Changes...)
	return s
}

// The plan shows exactly the rollout order apply runs, with the site's commands quoted, and
// never a step that writes the config directory.
func TestPlanOperationsOrder(t *testing.T) {
	g := testGroup(func(g *config.ServerGroup) { g.Members = g.Members[:2] })
	u := testUnit(t, g, Provider{})
	up := u.Plan(observe(g, map[string]held{"web1": {files: settingsV1}, "web2": {}, "web3": {}}))
	var got []string
	for _, op := range up.Changes[0].Operations {
		line := op.Node + ": " + strings.SplitN(op.Step, " ", 2)[0]
		if op.Command != "" {
			line += " `" + op.Command + "`"
		}
		got = append(got, line)
	}
	want := []string{
		"node.web1: check",
		"node.web1: detach `/usr/local/bin/lbctl detach web2`",
		"node.web1: have `/usr/local/sbin/wsmgr-sync web2`",
		"node.web1: wait `/usr/local/sbin/wsmgr-sync-state web2`",
		"node.web2: verify",
		"node.web1: attach `/usr/local/bin/lbctl attach web2 10.0.0.2`",
		"node.web1: detach `/usr/local/bin/lbctl detach web3`",
		"node.web1: have `/usr/local/sbin/wsmgr-sync web3`",
		"node.web1: wait `/usr/local/sbin/wsmgr-sync-state web3`",
		"node.web3: verify",
		"node.web1: attach `/usr/local/bin/lbctl attach web3 10.0.0.3`",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
}

// The management node runs the site's read-only commands for every member; members run only
// the fingerprint and the free space.
func TestObserveOpsPerNode(t *testing.T) {
	g := testGroup(nil)
	u := testUnit(t, g, Provider{})
	var got []string
	const everyNode = 2 // the settings tree and the free space
	for _, c := range u.ObserveOps(addrs.Node("web1"))[everyNode:] {
		got = append(got, c.Describe())
	}
	want := []string{
		"/usr/local/sbin/wsmgr-sync-state web1",
		"/usr/local/sbin/wsmgr-sync-state web2", "/usr/local/bin/lbctl status web2",
		"/usr/local/sbin/wsmgr-sync-state web3", "/usr/local/bin/lbctl status web3",
		"/usr/local/sbin/wsmgr-sync-state web4", "/usr/local/bin/lbctl status web4",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("management node's probes (-want +got):\n%s", diff)
	}
	if n := len(u.ObserveOps(addrs.Node("web3"))); n != everyNode {
		t.Errorf("a member runs %d commands, want %d", n, everyNode)
	}
}

func TestParseSyncState(t *testing.T) {
	cases := []struct {
		res  transport.Result
		want memberSync
	}{
		{transport.Result{}, memberSync{state: syncDone}},
		{transport.Result{ExitCode: 1, Stdout: []byte("\n同期中\n")}, memberSync{state: syncBusy, detail: "同期中"}},
		{transport.Result{ExitCode: 2, Stdout: []byte("E1203\n")}, memberSync{state: syncError, detail: "E1203"}},
		{transport.Result{ExitCode: 3}, memberSync{state: syncDisabled}},
		{transport.Result{ExitCode: 127, Stdout: []byte("x"), Stderr: []byte("sh: wsmgr-sync-state: not found\n")},
			memberSync{state: syncUnknown, detail: "sh: wsmgr-sync-state: not found"}},
	}
	for _, c := range cases {
		if got := parseSyncState(c.res); got != c.want {
			t.Errorf("parseSyncState(exit %d) = %+v, want %+v", c.res.ExitCode, got, c.want)
		}
	}
}

func TestUnitsRefusesUnknownResync(t *testing.T) {
	_, err := Provider{Resync: []addrs.Address{addrs.Node("web9")}}.Units(&config.Config{
		ServerGroups: map[string]*config.ServerGroup{"web": testGroup(nil)}})
	if err == nil || !strings.Contains(err.Error(), "node.web9") {
		t.Errorf("Units() error = %v, want one naming node.web9", err)
	}
}

func TestSiteCommandQuotesSubstitutions(t *testing.T) {
	cmd, ok := siteCommand([]string{"/opt/lb/ctl", "--member={node}", "{address}"}, "web 2; rm -rf /", "10.0.0.2")
	if !ok {
		t.Fatal("no command")
	}
	want := `"${CLUSTER_NODE_ROOT-}"/opt/lb/ctl '--member=web 2; rm -rf /' 10.0.0.2`
	if got := cmd.String(); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, ok := siteCommand(nil, "web2", "x"); ok {
		t.Error("an empty argv gives a command")
	}
}

// On a cmd management node the plan shows each site command as cmd.exe receives it.
func TestPlanOperationsOnCmdNode(t *testing.T) {
	g := testGroup(func(g *config.ServerGroup) {
		g.Members = g.Members[:1]
		g.Management.Endpoint.SSH.Shell = transport.ShellCmd
		g.DetachCommand = []string{`C:\Program Files\LB\lbctl.exe`, "detach", "{node}"}
		g.AttachCommand = []string{`C:\Program Files\LB\lbctl.exe`, "attach", "{node}", "a&b"}
	})
	u := testUnit(t, g, Provider{})
	up := u.Plan(observe(g, map[string]held{"web1": {files: settingsV1}, "web2": {}}))
	got := map[string]string{}
	for _, op := range up.Changes[0].Operations {
		got[strings.SplitN(op.Step, " ", 2)[0]] = op.Command
	}
	want := map[string]string{
		"detach": `"C:\Program Files\LB\lbctl.exe" detach web2`,
		"attach": `"C:\Program Files\LB\lbctl.exe" attach web2 "a&b"`,
	}
	for step, w := range want {
		if got[step] != w {
			t.Errorf("%s shown as %s, want %s", step, got[step], w)
		}
	}
}
