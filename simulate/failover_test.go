package simulate

import (
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

// The failover figures of seed 001 (1.1.1 IIS; 1.2.1 dbmail, 1.3.1 and 1.5.2 use the same
// single-standby layouts), each as configuration, events and where every group runs after
// each step.
func TestSeedFailoverFigures(t *testing.T) {
	fourNodes := func(policy ...string) func() *config.Config {
		return func() *config.Config {
			b := newBuilder()
			c := b.cluster("web", "sv1", "sv2", "sv3", "sv4")
			b.group(c, "iis", false, policy...)
			return b.cfg
		}
	}
	mutual := func(failback bool) func() *config.Config {
		return func() *config.Config {
			b := newBuilder()
			c := b.cluster("web", "sv1", "sv2", "sv3", "sv4")
			b.group(c, "iis1", failback, "sv1", "sv2")
			b.group(c, "iis2", failback, "sv2", "sv1")
			return b.cfg
		}
	}
	tests := []struct {
		name   string
		cfg    func() *config.Config
		events string
		want   string // start | after step 1 | ...
	}{
		{"fig 1: single standby over 4 nodes, normal operation: SV1 active", fourNodes("sv1", "sv2", "sv3", "sv4"),
			"fail sv3", "iis=sv1 | iis=sv1"},
		{"fig 1-2: SV1 fails: priority 2 (SV2) takes over", fourNodes("sv1", "sv2", "sv3", "sv4"),
			"fail sv1", "iis=sv1 | iis=sv2"},
		{"fig 2: SV1, SV2, SV3 down one after the other: SV4 serves", fourNodes("sv1", "sv2", "sv3", "sv4"),
			"fail sv1; fail sv2; fail sv3", "iis=sv1 | iis=sv2 | iis=sv3 | iis=sv4"},
		{"fig 2: SV1-3 down at once: straight to SV4", fourNodes("sv1", "sv2", "sv3", "sv4"),
			"fail sv1,sv2,sv3", "iis=sv1 | iis=sv4"},
		{"fig 2+: all four down: the cluster cannot serve iis", fourNodes("sv1", "sv2", "sv3", "sv4"),
			"fail sv1,sv2,sv3; fail sv4", "iis=sv1 | iis=sv4 | iis=DOWN"},
		{"fig 3: single standby over SV1, SV2 of 4: SV3 and SV4 unused", fourNodes("sv1", "sv2"),
			"fail sv3,sv4", "iis=sv1 | iis=sv1"},
		{"fig 3-4: SV1 fails: SV2 serves", fourNodes("sv1", "sv2"),
			"fail sv1", "iis=sv1 | iis=sv2"},
		{"fig 4+: SV1 and SV2 down: iis is down although SV3 and SV4 run", fourNodes("sv1", "sv2"),
			"fail sv1; fail sv2", "iis=sv1 | iis=sv2 | iis=DOWN"},
		{"fig 5: mutual standby, normal operation: each server active for one group", mutual(false),
			"fail sv3", "iis1=sv1 iis2=sv2 | iis1=sv1 iis2=sv2"},
		{"fig 5-6: SV1 fails: SV2 carries both groups", mutual(false),
			"fail sv1", "iis1=sv1 iis2=sv2 | iis1=sv2 iis2=sv2"},
		{"fig 6 (SV2 down, 1.1.1): SV1 carries both groups", mutual(false),
			"fail sv2", "iis1=sv1 iis2=sv2 | iis1=sv1 iis2=sv1"},
		{"fig 7: without failback iis1 stays on SV2 when SV1 returns (moved back by hand)", mutual(false),
			"fail sv1; recover sv1", "iis1=sv1 iis2=sv2 | iis1=sv2 iis2=sv2 | iis1=sv2 iis2=sv2"},
		{"failback = true: iis1 returns to SV1", mutual(true),
			"fail sv1; recover sv1", "iis1=sv1 iis2=sv2 | iis1=sv2 iis2=sv2 | iis1=sv1 iis2=sv2"},
		{"a returning lower-priority node does not pull a group", fourNodes("sv1", "sv2", "sv3", "sv4"),
			"fail sv2; recover sv2", "iis=sv1 | iis=sv1 | iis=sv1"},
		{"after SV1 returned (no failback), SV2 failing moves to SV1, the highest-priority survivor", fourNodes("sv1", "sv2", "sv3", "sv4"),
			"fail sv1; recover sv1; fail sv2", "iis=sv1 | iis=sv2 | iis=sv2 | iis=sv1"},
		{"a group down for want of nodes starts again when one returns (auto_start)", fourNodes("sv1", "sv2"),
			"fail sv1,sv2; recover sv2", "iis=sv1 | iis=DOWN | iis=sv2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := runOne(t, tt.cfg(), tt.events)
			if got := where(rep.Scenarios[0]); got != tt.want {
				t.Errorf("placement:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestFailoverChangesAndMonitors(t *testing.T) {
	b := newBuilder()
	c := b.cluster("web", "sv1", "sv2")
	g := b.group(c, "iis", false, "sv1", "sv2")
	fip := &config.Resource{Addr: addrs.Resource("iis", "fip", "fip1"), Kind: config.ResFIP, Name: "fip1", Group: g}
	g.Resources = []*config.Resource{fip}
	g.Monitors = []*config.Monitor{{Addr: addrs.Monitor("web", "fipw1"), Kind: config.MonFIP, Name: "fipw1", Cluster: c, Group: g, Target: fip}}
	c.Monitors = []*config.Monitor{
		{Addr: addrs.Monitor("web", "userw"), Kind: config.MonUser, Name: "userw", Cluster: c},
		{Addr: addrs.Monitor("web", "ipw1"), Kind: config.MonIP, Name: "ipw1", Cluster: c, Recovery: config.Recovery{Action: "failover", Group: g}},
	}

	rep := runOne(t, b.cfg, "fail sv1; fail sv2")
	s1, s2 := rep.Scenarios[0].Steps[0], rep.Scenarios[0].Steps[1]
	if got, want := kinds(s1.Changes), "cluster.web:node_down group.iis:failover"; got != want {
		t.Fatalf("step 1 changes: %s, want %s", got, want)
	}
	if got := effects(s1.Changes[0].Monitors); got != "cluster.web.monitor.userw: no longer runs on sv1" {
		t.Errorf("cluster-level monitors on sv1 going down: %q", got)
	}
	if got := effects(s1.Changes[1].Monitors); got != "cluster.web.monitor.fipw1: moves to sv2; cluster.web.monitor.ipw1: moves to sv2" {
		t.Errorf("monitors following the group: %q", got)
	}
	if got, want := kinds(s2.Changes), "cluster.web:node_down group.iis:down"; got != want {
		t.Fatalf("step 2 changes: %s, want %s", got, want)
	}
	if !strings.Contains(s2.Changes[1].Summary, "no node of its policy (sv1, sv2) is left") {
		t.Errorf("down summary: %q", s2.Changes[1].Summary)
	}
	if got := effects(s2.Changes[1].Monitors); got != "cluster.web.monitor.fipw1: stops; cluster.web.monitor.ipw1: stops" {
		t.Errorf("monitors of a down group: %q", got)
	}
	if !strings.Contains(s2.Changes[0].Summary, "every server is down") {
		t.Errorf("cluster summary: %q", s2.Changes[0].Summary)
	}
	if d := rep.Scenarios[0].Down; len(d) != 1 || d[0] != g.Addr {
		t.Errorf("down at the end: %v", d)
	}
}

func TestMutualStandbySaysWhoCarriesBoth(t *testing.T) {
	b := newBuilder()
	c := b.cluster("web", "sv1", "sv2")
	b.group(c, "iis1", false, "sv1", "sv2")
	b.group(c, "iis2", false, "sv2", "sv1")
	rep := runOne(t, b.cfg, "fail sv1")
	ch := rep.Scenarios[0].Steps[0].Changes[1]
	if ch.Kind != ChangeFailover || ch.From != "sv1" || ch.To != "sv2" || !strings.Contains(ch.Summary, "now also carries group.iis2") {
		t.Errorf("failover change: %+v", ch)
	}
}

func TestObservedStartingPoint(t *testing.T) {
	b := newBuilder()
	c := b.cluster("web", "sv1", "sv2", "sv3")
	g := b.group(c, "iis", false, "sv1", "sv2", "sv3")
	obs := &Observed{
		Down:   map[addrs.Address]bool{addrs.ClusterNode("web", "sv1"): true},
		Groups: map[addrs.Address]string{g.Addr: "sv2"},
	}
	ev := steps("fail sv2")
	rep, err := Run(b.cfg, Options{Scenarios: []Scenario{{Events: ev}}, Observed: obs, Expect: []string{"iis"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := where(rep.Scenarios[0]), "iis=sv2 | iis=sv3"; got != want {
		t.Errorf("from the observed state: %s, want %s", got, want)
	}
	if !rep.OK() {
		t.Errorf("violations: %+v", rep.Violations)
	}
}

func effects(ms []MonitorEffect) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Monitor.String()+": "+m.Effect)
	}
	return strings.Join(out, "; ")
}

// From a live starting point, a group observed on a server that is down has not moved yet
// (the cluster is about to fail it over): the scenario settles it first and says so.
func TestObservedGroupOnADownServerSettlesFirst(t *testing.T) {
	b := newBuilder()
	c := b.cluster("web", "sv1", "sv2")
	g1 := b.group(c, "iis1", false, "sv1", "sv2")
	g2 := b.group(c, "iis2", false, "sv2", "sv1")
	obs := &Observed{
		Down:   map[addrs.Address]bool{addrs.ClusterNode("web", "sv1"): true},
		Groups: map[addrs.Address]string{g1.Addr: "sv1", g2.Addr: ""},
	}
	rep, err := Run(b.cfg, Options{Scenarios: []Scenario{{Events: steps("fail sv2")}}, Observed: obs})
	if err != nil {
		t.Fatal(err)
	}
	sc := rep.Scenarios[0]
	if got := kinds(sc.Settle); got != "group.iis1:failover" {
		t.Errorf("settle: %s", got)
	}
	// iis2 was observed offline (stopped by hand): it stays so, failures or not.
	if got, want := where(sc), "iis1=sv1 iis2=DOWN | iis1=DOWN iis2=DOWN"; got != want {
		t.Errorf("placement: %s, want %s", got, want)
	}
	if d := sc.Start.Down; len(d) != 1 || d[0].String() != "cluster.web.node.sv1" {
		t.Errorf("down at the start: %v", d)
	}
}
