package clusterpro

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// testCluster is a 2-node Linux cluster with one group: a floating IP and an exec resource.
func testCluster(services ...string) *config.Cluster {
	c := &config.Cluster{Addr: addrs.Cluster("web"), Name: "web", Platform: config.Linux,
		InstallDir: "/opt/nec/clusterpro", Charset: "EUC-JP"}
	node := func(name, addr, ic string, prio int) *config.ClusterNode {
		return &config.ClusterNode{Addr: addrs.ClusterNode("web", name), Name: name, Cluster: c, Priority: prio,
			Interconnects: []string{ic}, Endpoint: config.Endpoint{Address: addr, Port: 22}}
	}
	sv1, sv2 := node("sv1", "10.0.0.11", "192.168.0.11", 0), node("sv2", "10.0.0.12", "192.168.0.12", 1)
	c.Nodes = []*config.ClusterNode{sv1, sv2}
	c.Heartbeats = []*config.Heartbeat{{Addr: addrs.Heartbeat("web", "lankhb1"), Name: "lankhb1", Mode: "kernel"}}
	s := &config.Script{Addr: addrs.Script("app"), Name: "app", EnvPrefix: "CLP", OnDiskFailure: "abort"}
	for _, svc := range services {
		s.Services = append(s.Services, config.ScriptService{ID: svc, Name: svc})
	}
	g := &config.Group{Addr: addrs.Group("app"), Name: "app", Cluster: c, Policy: c.Nodes, AutoStart: true}
	fip := &config.Resource{Addr: addrs.Resource("app", "fip", "fip1"), Kind: config.ResFIP, Name: "fip1", Group: g, IP: "10.0.0.100"}
	exec := &config.Resource{Addr: addrs.Resource("app", "exec", "exec1"), Kind: config.ResExec, Name: "exec1",
		Group: g, Script: s, DependsOn: []*config.Resource{fip}}
	g.Resources = []*config.Resource{fip, exec}
	c.Groups = []*config.Group{g}
	return c
}

func mustUnit(t testing.TB, c *config.Cluster) *unit {
	t.Helper()
	u, err := newUnit(c)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// observed is what one node reports: its configuration directory and clpstat's status line.
type observed struct {
	files  map[string][]byte // "etc/clp.conf", "scripts/..."
	status string            // "Running", "Suspended", "Stopped"; "" = clpstat missing
}

// holding returns a node that holds u's desired directory, optionally edited.
func holding(u *unit, status string, edit func(files map[string][]byte)) observed {
	files := map[string][]byte{"etc/clp.conf": append([]byte(nil), u.desired.raw...)}
	for p, b := range u.desired.scripts {
		files[p] = b
	}
	if edit != nil {
		edit(files)
	}
	return observed{files: files, status: status}
}

// clpstatAnswer is what clpstat answers on node for a run state, in the corpus's grammar, and
// whether the tool's suspension record is there: Running and Stopped as the local server's
// Online and Offline, Suspended as the record beside an Online server (no public source shows
// how clpstat displays a suspended cluster), anything else as that word on the local server
// line.
func clpstatAnswer(node, status string) (transport.Result, bool) {
	local := status
	marked := false
	switch status {
	case "Running":
		local = "Online"
	case "Stopped":
		local = "Offline"
	case "Suspended":
		local = "Online"
		marked = true
	}
	out := " ========================  CLUSTER STATUS  ===========================\n  Cluster : web\n  <server>\n" +
		fmt.Sprintf("   *%s .........: %-16s Primary server\n      lankhb1        : Normal           Kernel Mode LAN Heartbeat\n", node, local) +
		" =====================================================================\n"
	return transport.Result{Stdout: []byte(out)}, marked
}

func observation(t testing.TB, nodes map[string]observed, down ...string) planner.Observation {
	t.Helper()
	obs := planner.Observation{Results: map[addrs.Address][]transport.Outcome{}, Errors: map[addrs.Address]error{}}
	for name, o := range nodes {
		stat, marked, installed := transport.Result{ExitCode: 127}, false, false
		if o.status != "" {
			stat, marked = clpstatAnswer(name, o.status)
			installed = true
		}
		// The outcomes of readProbes: the tree read, the Stat of the suspension record and of
		// clpstat, then clpstat.
		obs.Results[addrs.ClusterNode("web", name)] = []transport.Outcome{{Tree: o.files},
			{Stats: []transport.FileInfo{{Exists: marked}, {Exists: installed}}}, {Result: stat}}
	}
	for _, name := range down {
		obs.Errors[addrs.ClusterNode("web", name)] = errors.New("dial tcp 10.0.0.12:22: connection refused")
	}
	return obs
}

type changeSummary struct {
	Addr   string
	Action planner.Action
	Texts  int
	Drift  []string
}

func summarize(changes []planner.Change) []changeSummary {
	var out []changeSummary
	for _, c := range changes {
		s := changeSummary{Addr: c.Addr.String(), Action: c.Action, Texts: len(c.Texts)}
		for _, d := range c.Drift {
			s.Drift = append(s.Drift, d.Node)
		}
		out = append(out, s)
	}
	return out
}

func TestPlan(t *testing.T) {
	base := mustUnit(t, testCluster("nginx"))
	cases := map[string]struct {
		unit    *unit
		nodes   map[string]observed
		down    []string
		want    []changeSummary
		seq     sequence
		errDiag string
	}{
		"new cluster creates every object": {
			unit:  base,
			nodes: map[string]observed{"sv1": {}, "sv2": {}},
			want: []changeSummary{
				{Addr: "cluster.web", Action: planner.Create},
				{Addr: "cluster.web.heartbeat.lankhb1", Action: planner.Create},
				{Addr: "cluster.web.monitor.userw", Action: planner.Create},
				{Addr: "cluster.web.node.sv1", Action: planner.Create},
				{Addr: "cluster.web.node.sv2", Action: planner.Create},
				{Addr: "group.app", Action: planner.Create},
				{Addr: "group.app.exec.exec1", Action: planner.Create, Texts: 2},
				{Addr: "group.app.fip.fip1", Action: planner.Create},
			},
			seq: seqCreate,
		},
		"applied cluster has no changes": {
			unit:  base,
			nodes: map[string]observed{"sv1": holding(base, "Running", nil), "sv2": holding(base, "Running", nil)},
		},
		"layout, order and bookkeeping are not changes": {
			unit: base,
			nodes: map[string]observed{
				"sv1": holding(base, "Running", func(f map[string][]byte) { f["etc/clp.conf"] = relayout(t, f["etc/clp.conf"]) }),
				"sv2": holding(base, "Running", nil),
			},
		},
		"a changed service is exactly one update": {
			unit:  mustUnit(t, testCluster("nginx", "php-fpm")),
			nodes: map[string]observed{"sv1": holding(base, "Running", nil), "sv2": holding(base, "Running", nil)},
			want:  []changeSummary{{Addr: "group.app.exec.exec1", Action: planner.Update, Texts: 2}},
			seq:   seqSuspended,
		},
		"a hand-edited node is named as drifted": {
			unit: base,
			nodes: map[string]observed{
				"sv1": holding(base, "Running", nil),
				"sv2": holding(base, "Running", func(f map[string][]byte) {
					f["etc/clp.conf"] = bytes.Replace(f["etc/clp.conf"], []byte("10.0.0.100"), []byte("10.0.0.199"), 1)
				}),
			},
			want: []changeSummary{
				{Addr: "cluster.web", Action: planner.Update, Drift: []string{"cluster.web.node.sv2"}},
				{Addr: "group.app.fip.fip1", Action: planner.Update},
			},
			seq: seqSuspended,
		},
		"the odd node out is the drifted one, even the master": {
			unit: mustUnit(t, threeNodes()),
			nodes: map[string]observed{
				"sv1": holding(mustUnit(t, threeNodes()), "Running", func(f map[string][]byte) { delete(f, "scripts/app/exec1/stop.sh") }),
				"sv2": holding(mustUnit(t, threeNodes()), "Running", nil),
				"sv3": holding(mustUnit(t, threeNodes()), "Running", nil),
			},
			want: []changeSummary{
				{Addr: "cluster.web", Action: planner.Update, Drift: []string{"cluster.web.node.sv1"}},
				{Addr: "group.app.exec.exec1", Action: planner.Update, Texts: 1},
			},
			seq: seqSuspended,
		},
		"a stopped cluster is only pushed": {
			unit:  mustUnit(t, testCluster("nginx", "php-fpm")),
			nodes: map[string]observed{"sv1": holding(base, "Stopped", nil), "sv2": holding(base, "Stopped", nil)},
			want:  []changeSummary{{Addr: "group.app.exec.exec1", Action: planner.Update, Texts: 2}},
			seq:   seqPushOnly,
		},
		"a heartbeat change restarts the services": {
			unit: func() *unit {
				c := testCluster("nginx")
				c.Heartbeats[0].Mode = "user"
				return mustUnit(t, c)
			}(),
			nodes: map[string]observed{"sv1": holding(base, "Running", nil), "sv2": holding(base, "Running", nil)},
			want:  []changeSummary{{Addr: "cluster.web.heartbeat.lankhb1", Action: planner.Update}},
			seq:   seqRestart,
		},
		"an unreachable node is a plan error": {
			unit:    base,
			nodes:   map[string]observed{"sv1": holding(base, "Running", nil)},
			down:    []string{"sv2"},
			errDiag: "Node unreachable",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			up := tc.unit.Plan(observation(t, tc.nodes, tc.down...))
			if tc.errDiag != "" {
				if len(up.Diagnostics) == 0 || up.Diagnostics[0].Summary != tc.errDiag || up.Diagnostics[0].Severity != "error" {
					t.Fatalf("diagnostics = %+v, want an error %q", up.Diagnostics, tc.errDiag)
				}
				return
			}
			if diff := cmp.Diff(tc.want, summarize(up.Changes)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			st, _ := up.State.(*unitState)
			if len(tc.want) == 0 {
				if st != nil {
					t.Errorf("no changes, but a state to apply: %+v", st)
				}
				return
			}
			if st == nil || st.seq != tc.seq {
				t.Fatalf("sequence = %v, want %v", st, tc.seq)
			}
			if got := up.Changes[0].Operations; len(got) == 0 {
				t.Error("the first change carries no operations")
			}
		})
	}
}

func TestHeartbeatModeChangeIsRestart(t *testing.T) {
	base := mustUnit(t, testCluster("nginx"))
	c := testCluster("nginx")
	c.Heartbeats[0].Mode = "user"
	up := mustUnit(t, c).Plan(observation(t, map[string]observed{"sv1": holding(base, "Running", nil), "sv2": holding(base, "Running", nil)}))
	st, _ := up.State.(*unitState)
	if st == nil || st.seq != seqRestart {
		t.Fatalf("sequence = %+v, want restart", st)
	}
	var steps []string
	for _, s := range st.steps {
		steps = append(steps, s.shown())
	}
	want := []string{
		"/opt/nec/clusterpro/bin/clpcl --suspend",
		"/opt/nec/clusterpro/bin/clpcfctrl --push -l -x /opt/nec/clusterpro/work/cluster/staged",
		"/opt/nec/clusterpro/bin/clpcl --resume",
		"/opt/nec/clusterpro/bin/clpcl -r -a --ib --web --alert",
	}
	if diff := cmp.Diff(want, steps); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}

func TestPlanIsDeterministic(t *testing.T) {
	u := mustUnit(t, testCluster("nginx", "php-fpm"))
	base := mustUnit(t, testCluster("nginx"))
	obs := observation(t, map[string]observed{"sv1": holding(base, "Running", nil), "sv2": {}})
	a, b := u.Plan(obs), u.Plan(obs)
	if diff := cmp.Diff(a.Changes, b.Changes, cmp.Comparer(func(x, y addrs.Address) bool { return x == y })); diff != "" {
		t.Errorf("two plans of the same observation differ:\n%s", diff)
	}
}

func threeNodes() *config.Cluster {
	c := testCluster("nginx")
	sv3 := &config.ClusterNode{Addr: addrs.ClusterNode("web", "sv3"), Name: "sv3", Cluster: c, Priority: 2,
		Interconnects: []string{"192.168.0.13"}, Endpoint: config.Endpoint{Address: "10.0.0.13", Port: 22}}
	c.Nodes = append(c.Nodes, sv3)
	return c
}

// relayout rewrites clp.conf the way another tool might: sections in reverse order, CRLF line
// ends, different bookkeeping.
func relayout(t *testing.T, raw []byte) []byte {
	t.Helper()
	s := string(raw)
	start, end := strings.Index(s, "<root>")+len("<root>"), strings.LastIndex(s, "</root>")
	body := s[start:end]
	var sections []string
	depth, from := 0, 0
	for i := 0; i < len(body); i++ {
		if strings.HasPrefix(body[i:], "</") {
			depth--
			if depth == 0 {
				j := strings.IndexByte(body[i:], '>')
				sections = append(sections, strings.TrimSpace(body[from:i+j+1]))
				from = i + j + 1
			}
		} else if body[i] == '<' && !strings.HasPrefix(body[i:], "<?") {
			j := strings.IndexByte(body[i:], '>')
			if body[i+j-1] != '/' {
				depth++
			} else if depth == 0 {
				sections = append(sections, strings.TrimSpace(body[from:i+j+1]))
				from = i + j + 1
			}
		}
	}
	for i, j := 0, len(sections)-1; i < j; i, j = i+1, j-1 {
		sections[i], sections[j] = sections[j], sections[i]
	}
	out := s[:start] + "\r\n" + strings.Join(sections, "\r\n") + "\r\n<trekking><configid>1.2</configid></trekking>\r\n" + s[end:]
	if out == s {
		t.Fatal("relayout changed nothing")
	}
	return []byte(out)
}

// BenchmarkPlanConvergedThreeNodes plans a cluster whose three nodes hold the desired directory
// (the common case: every node agrees).
func BenchmarkPlanConvergedThreeNodes(b *testing.B) {
	u := mustUnit(b, threeNodes())
	obs := observation(b, map[string]observed{"sv1": holding(u, "Running", nil), "sv2": holding(u, "Running", nil), "sv3": holding(u, "Running", nil)})
	b.ReportAllocs()
	for b.Loop() {
		if up := u.Plan(obs); len(up.Changes) != 0 {
			b.Fatalf("a converged cluster planned %d changes", len(up.Changes))
		}
	}
}

// An object with no attribute set still counts: nodes that differ only by such an object do
// not hold the same configuration.
func TestFingerprintCountsObjectsWithoutAttributes(t *testing.T) {
	base := objects{addrs.Group("app"): attrs{"type": planner.String("failover")}}
	more := objects{addrs.Group("app"): attrs{"type": planner.String("failover")}, addrs.Resource("app", "exec", "exec1"): attrs{}}
	if fingerprint(base, nil) == fingerprint(more, nil) {
		t.Error("an attribute-less object does not change the fingerprint")
	}
}
