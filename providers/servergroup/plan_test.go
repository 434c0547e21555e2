package servergroup

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// testGroup is web1 managing web2..web4, with balancer commands.
func testGroup(edit func(g *config.ServerGroup)) *config.ServerGroup {
	node := func(name string) *config.Node {
		return &config.Node{Addr: addrs.Node(name), Name: name, Endpoint: config.Endpoint{Address: "10.0.0." + name[3:], Port: 22}}
	}
	g := &config.ServerGroup{Addr: addrs.ServerGroup("web"), Name: "web", Management: node("web1"),
		SettingsDir: "/opt/wsmgr/config", SystemDir: "/var/tmp",
		DetachCommand: []string{"/usr/local/bin/lbctl", "detach", "{node}"},
		AttachCommand: []string{"/usr/local/bin/lbctl", "attach", "{node}", "{address}"}}
	for _, n := range []string{"web2", "web3", "web4"} {
		g.Members = append(g.Members, &config.Member{Addr: addrs.Member("web", n), Name: n, Node: node(n)})
	}
	if edit != nil {
		edit(g)
	}
	return g
}

func testUnit(t *testing.T, g *config.ServerGroup, p Provider) *unit {
	t.Helper()
	us, err := p.Units(&config.Config{ServerGroups: map[string]*config.ServerGroup{g.Name: g}})
	if err != nil {
		t.Fatal(err)
	}
	return us[0].(*unit)
}

// held is what one node reports.
type held struct {
	files map[string]string // nil: no settings directory
	state *groupState
	freeK int64 // free KiB on both filesystems; 0 means plenty
	down  bool
}

var settingsV1 = map[string]string{"wsmgr.conf": "port=80\n", "sites/a.xml": "<a/>\n"}

func settingsOut(files map[string]string) []byte {
	if files == nil {
		return nil
	}
	var b bytes.Buffer
	b.WriteString("dir\x00")
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sum := sha256.Sum256([]byte(files[n]))
		fmt.Fprintf(&b, "%s\x00%d\x00%s\x00", hex.EncodeToString(sum[:]), len(files[n]), n)
	}
	return b.Bytes()
}

func dfOut(freeK int64) []byte {
	if freeK == 0 {
		freeK = 1 << 30
	}
	row := fmt.Sprintf("/dev/sda1 10485760 1000 %d 1%% /\n", freeK)
	return []byte("Filesystem 1024-blocks Used Available Capacity Mounted on\n" + row + row)
}

func observe(nodes map[string]held) planner.Observation {
	obs := planner.Observation{Results: map[addrs.Address][]transport.Result{}, Errors: map[addrs.Address]error{}}
	for name, h := range nodes {
		if h.down {
			obs.Errors[addrs.Node(name)] = errors.New("dial tcp: connection refused")
			continue
		}
		var st []byte
		if h.state != nil {
			st = h.state.encode()
		}
		obs.Results[addrs.Node(name)] = []transport.Result{{Stdout: settingsOut(h.files)}, {Stdout: st}, {Stdout: dfOut(h.freeK)}}
	}
	return obs
}

func memberFile() *groupState { return &groupState{Group: "web", Role: roleMember, Management: "web1"} }

// roster is web1's state file with the given marks per member (web2..web4 all present).
func roster(marks map[string]memberState) *groupState {
	g := &groupState{Group: "web", Role: roleManagement, Management: "web1", Members: map[string]*memberState{}}
	for _, n := range []string{"web2", "web3", "web4"} {
		m := marks[n]
		m.Node, m.Address = n, "10.0.0."+n[3:]
		g.Members[n] = &m
	}
	return g
}

// applied is a group where every member is in sync and recorded.
func applied(edit func(map[string]held)) map[string]held {
	nodes := map[string]held{"web1": {files: settingsV1, state: roster(nil)}}
	for _, n := range []string{"web2", "web3", "web4"} {
		nodes[n] = held{files: settingsV1, state: memberFile()}
	}
	if edit != nil {
		edit(nodes)
	}
	return nodes
}

type planSummary struct {
	Changes []string // "address action"
	Steps   []string // "member: D S R A" flags of the rollout wave
	Book    []string
	Errors  []string // "address: summary"
	Warns   []string
}

func summarize(up planner.UnitPlan) planSummary {
	var s planSummary
	for _, c := range up.Changes {
		s.Changes = append(s.Changes, c.Addr.String()+" "+string(c.Action))
	}
	if r, ok := up.State.(*rollout); ok {
		for _, m := range r.Members {
			flags := ""
			for _, f := range []struct {
				on bool
				c  string
			}{{m.Detach, "D"}, {m.Sync, "S"}, {m.Record, "R"}, {m.Attach, "A"}} {
				if f.on {
					flags += f.c
				}
			}
			s.Steps = append(s.Steps, m.Name+": "+flags)
		}
		for _, b := range r.Bookkeeping {
			s.Book = append(s.Book, fmt.Sprintf("%s detach=%v remove=%v", b.Name, b.Detach, b.Remove))
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
	cases := map[string]struct {
		group  func(*config.ServerGroup)
		resync []addrs.Address
		nodes  map[string]held
		want   planSummary
	}{
		"new group syncs every member behind the balancer": {
			nodes: map[string]held{"web1": {files: settingsV1}, "web2": {}, "web3": {}, "web4": {}},
			want: planSummary{
				Changes: []string{"server_group.web create", "server_group.web.member.web2 create", "server_group.web.member.web3 create", "server_group.web.member.web4 create"},
				Steps:   []string{"web2: DSRA", "web3: DSRA", "web4: DSRA"},
			},
		},
		"members already holding the settings are only recorded": {
			nodes: map[string]held{"web1": {files: settingsV1}, "web2": {files: settingsV1}, "web3": {files: settingsV1}, "web4": {files: changedV}},
			want: planSummary{
				Changes: []string{"server_group.web create", "server_group.web.member.web2 create", "server_group.web.member.web3 create", "server_group.web.member.web4 create"},
				Steps:   []string{"web2: R", "web3: R", "web4: DSRA"},
			},
		},
		"applied group has no changes": {nodes: applied(nil)},
		"settings changed on the management node roll out to every member": {
			nodes: applied(func(n map[string]held) { n["web1"] = held{files: changedV, state: roster(nil)} }),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web2 update", "server_group.web.member.web3 update", "server_group.web.member.web4 update"},
				Steps:   []string{"web2: DSA", "web3: DSA", "web4: DSA"},
			},
		},
		"out-of-sync member is held back with a warning": {
			nodes: applied(func(n map[string]held) {
				n["web1"] = held{files: settingsV1, state: roster(map[string]memberState{"web3": {Detached: true, OutOfSync: "tar: Not a directory"}})}
				n["web3"] = held{}
			}),
			// Still out of the balancer: an update that this apply leaves to --resync, so that
			// plan --detailed-exitcode reports the group as not converged.
			want: planSummary{
				Changes: []string{"server_group.web.member.web3 update"},
				Warns:   []string{"server_group.web.member.web3: Member held back until a manual sync"},
			},
		},
		"out-of-sync member put back by hand and in sync is a no-op": {
			nodes: applied(func(n map[string]held) {
				n["web1"] = held{files: settingsV1, state: roster(map[string]memberState{"web3": {OutOfSync: "tar: Not a directory"}})}
			}),
			want: planSummary{
				Changes: []string{"server_group.web.member.web3 no-op"},
				Warns:   []string{"server_group.web.member.web3: Member held back until a manual sync"},
			},
		},
		"resync syncs an out-of-sync member without detaching it again": {
			resync: []addrs.Address{addrs.Node("web3")},
			nodes: applied(func(n map[string]held) {
				n["web1"] = held{files: settingsV1, state: roster(map[string]memberState{"web3": {Detached: true, OutOfSync: "failed"}})}
				n["web3"] = held{}
			}),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web3 create"},
				Steps:   []string{"web3: SRA"},
			},
		},
		"resync forces a sync of an in-sync member": {
			resync: []addrs.Address{addrs.Member("web", "web2")},
			nodes:  applied(nil),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web2 update"},
				Steps:   []string{"web2: DSA"},
			},
		},
		"disabling a member detaches it and leaves it out, even unreachable": {
			group: func(g *config.ServerGroup) { g.Members[1].Disabled = true },
			nodes: applied(func(n map[string]held) { n["web3"] = held{down: true} }),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web3 update"},
				Book:    []string{"web3 detach=true remove=false"},
			},
		},
		"a disabled member already detached is left alone": {
			group: func(g *config.ServerGroup) { g.Members[1].Disabled = true },
			nodes: applied(func(n map[string]held) {
				n["web1"] = held{files: settingsV1, state: roster(map[string]memberState{"web3": {Disabled: true, Detached: true}})}
				n["web3"] = held{down: true}
			}),
		},
		"clearing disabled adds the member back with a sync": {
			nodes: applied(func(n map[string]held) {
				n["web1"] = held{files: settingsV1, state: roster(map[string]memberState{"web3": {Disabled: true, Detached: true}})}
			}),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web3 update"},
				Steps:   []string{"web3: SA"},
			},
		},
		"unreachable member is an error unless disabled": {
			nodes: applied(func(n map[string]held) { n["web4"] = held{down: true} }),
			want:  planSummary{Errors: []string{"node.web4: Node unreachable"}},
		},
		"full disk on a member holds that member back alone, naming it": {
			nodes: applied(func(n map[string]held) {
				n["web1"] = held{files: changedV, state: roster(nil)}
				n["web3"] = held{files: settingsV1, state: memberFile(), freeK: -1}
			}),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web2 update", "server_group.web.member.web3 update", "server_group.web.member.web4 update"},
				Steps:   []string{"web2: DSA", "web4: DSA"},
				Warns: []string{"server_group.web.member.web3: Member held back: not enough free space in system_dir",
					"server_group.web.member.web3: Member held back: not enough free space beside the settings"},
			},
		},
		"a member that never joined and lacks space is held back as a create": {
			nodes: applied(func(n map[string]held) { n["web4"] = held{freeK: -1} }),
			want: planSummary{
				Changes: []string{"server_group.web.member.web4 create"},
				Warns: []string{"server_group.web.member.web4: Member held back: not enough free space in system_dir",
					"server_group.web.member.web4: Member held back: not enough free space beside the settings"},
			},
		},
		"full disk on the management node fails the precondition": {
			nodes: applied(func(n map[string]held) {
				n["web1"] = held{files: changedV, state: roster(nil), freeK: -1}
			}),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web2 update", "server_group.web.member.web3 update", "server_group.web.member.web4 update"},
				Steps:   []string{"web2: DSA", "web3: DSA", "web4: DSA"},
				Errors:  []string{"node.web1: Not enough free space in system_dir"},
			},
		},
		"moving the management role records the roster on the new node and syncs from it": {
			group: func(g *config.ServerGroup) {
				old := g.Management
				g.Management = g.Members[0].Node
				g.Members[0] = &config.Member{Addr: addrs.Member("web", "web1"), Name: "web1", Node: old}
			},
			nodes: applied(func(n map[string]held) { n["web2"] = held{files: changedV, state: memberFile()} }),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web1 create", "server_group.web.member.web2 delete",
					"server_group.web.member.web3 update", "server_group.web.member.web4 update"},
				Steps: []string{"web1: DSRA", "web3: DSRA", "web4: DSRA"},
				Book:  []string{"web2 detach=false remove=true"},
			},
		},
		"a recovered old management server keeping its roster is warned of": {
			group: func(g *config.ServerGroup) {
				old := g.Management
				g.Management = g.Members[0].Node
				g.Members[0] = &config.Member{Addr: addrs.Member("web", "web1"), Name: "web1", Node: old}
			},
			nodes: applied(func(n map[string]held) {
				moved := &groupState{Group: "web", Role: roleManagement, Management: "web2", Members: map[string]*memberState{}}
				for _, name := range []string{"web1", "web3", "web4"} {
					moved.Members[name] = &memberState{Node: name, Address: "10.0.0." + name[3:]}
				}
				n["web2"] = held{files: settingsV1, state: moved}
				for _, name := range []string{"web3", "web4"} {
					n[name] = held{files: settingsV1, state: &groupState{Group: "web", Role: roleMember, Management: "web2"}}
				}
			}),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web1 update"},
				Steps:   []string{"web1: R"},
				Warns:   []string{"server_group.web.member.web1: Stale management roster on a member"},
			},
		},
		"a member removed from the configuration leaves the balancer and the roster": {
			group: func(g *config.ServerGroup) { g.Members = g.Members[:2] },
			nodes: applied(nil),
			want: planSummary{
				Changes: []string{"server_group.web update", "server_group.web.member.web4 delete"},
				Book:    []string{"web4 detach=true remove=true"},
			},
		},
		"management without settings is an error": {
			nodes: map[string]held{"web1": {}, "web2": {}, "web3": {}, "web4": {}},
			want:  planSummary{Errors: []string{"node.web1: Management node holds no settings"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			u := testUnit(t, testGroup(tc.group), Provider{Resync: tc.resync})
			up := u.Plan(observe(tc.nodes))
			if diff := cmp.Diff(tc.want, summarize(up)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
			again := u.Plan(observe(tc.nodes))
			if diff := cmp.Diff(up.Changes, again.Changes, cmp.Comparer(func(a, b addrs.Address) bool { return a == b })); diff != "" {
				t.Errorf("Plan is not deterministic:\n%s", diff)
			}
		})
	}
}

// The plan shows exactly the rollout order apply runs: detach, sync, verify, record, attach,
// member after member, with the balancer commands quoted.
func TestPlanOperationsOrder(t *testing.T) {
	u := testUnit(t, testGroup(func(g *config.ServerGroup) { g.Members = g.Members[:2] }), Provider{})
	up := u.Plan(observe(map[string]held{"web1": {files: settingsV1}, "web2": {}, "web3": {}}))
	var got []string
	for _, op := range up.Changes[0].Operations {
		line := op.Node + ": " + strings.SplitN(op.Step, " ", 2)[0]
		if op.Command != "" {
			line += " `" + op.Command + "`"
		}
		got = append(got, line)
	}
	want := []string{
		"node.web1: record",
		"node.web1: compress",
		"node.web1: detach `/usr/local/bin/lbctl detach web2`",
		"node.web2: stage",
		"node.web2: verify",
		"node.web2: record",
		"node.web1: attach `/usr/local/bin/lbctl attach web2 10.0.0.2`",
		"node.web1: detach `/usr/local/bin/lbctl detach web3`",
		"node.web3: stage",
		"node.web3: verify",
		"node.web3: record",
		"node.web1: attach `/usr/local/bin/lbctl attach web3 10.0.0.3`",
		"node.web1: remove",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
}

func TestUnitsRefusesUnknownResync(t *testing.T) {
	_, err := Provider{Resync: []addrs.Address{addrs.Node("web9")}}.Units(&config.Config{
		ServerGroups: map[string]*config.ServerGroup{"web": testGroup(nil)}})
	if err == nil || !strings.Contains(err.Error(), "node.web9") {
		t.Errorf("Units() error = %v, want one naming node.web9", err)
	}
}

func TestBalancerCommandQuotesSubstitutions(t *testing.T) {
	cmd, ok := balancerCommand([]string{"/opt/lb/ctl", "--member={node}", "{address}"}, "web 2; rm -rf /", "10.0.0.2")
	if !ok {
		t.Fatal("no command")
	}
	want := `"${CLUSTER_NODE_ROOT-}"/opt/lb/ctl '--member=web 2; rm -rf /' 10.0.0.2`
	if got := cmd.String(); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, ok := balancerCommand(nil, "web2", "x"); ok {
		t.Error("an empty argv gives a command")
	}
}
