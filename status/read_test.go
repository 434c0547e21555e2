package status

import (
	"context"
	"errors"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/fake"
)

// connector hands out fake nodes; a node without one is unreachable.
type connector struct {
	nodes map[addrs.Address]*fake.Node
}

func (c connector) Connect(_ context.Context, refs []planner.NodeRef) (map[addrs.Address]transport.Node, map[addrs.Address]error) {
	conns, errs := map[addrs.Address]transport.Node{}, map[addrs.Address]error{}
	for _, r := range refs {
		if n, ok := c.nodes[r.Addr]; ok {
			conns[r.Addr] = n
		} else {
			errs[r.Addr] = errors.New("connection refused")
		}
	}
	return conns, errs
}

// vendor answers the `sh -c SCRIPT sh PROGRAM ARGS...` commands by PROGRAM's base name.
func vendor(n *fake.Node, out map[string]string) {
	n.Handle([]string{"sh", "-c"}, func(_ *fake.Node, argv []string, _ []byte) transport.Result {
		if len(argv) < 5 {
			return transport.Result{ExitCode: 2}
		}
		if s, ok := out[path.Base(argv[4])]; ok {
			return transport.Result{Stdout: []byte(s)}
		}
		return transport.Result{ExitCode: 127}
	})
}

func loadExample(t *testing.T, name string) *config.Config {
	t.Helper()
	l, diags := config.Load(filepath.Join("..", "examples", name), config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return l.Config
}

// clpstatSV2 is clpstat on sv2, in the grammar of the public samples
// (testdata/vendor-output/clusterpro).
const clpstatSV2 = ` ========================  CLUSTER STATUS  ===========================
  Cluster : web
  <server>
    sv1 .............: Offline
      lankhb1        : Offline          Kernel Mode LAN Heartbeat
   *sv2 .............: Online
      lankhb1        : Normal           Kernel Mode LAN Heartbeat
    sv3 .............: Online
      lankhb1        : Normal           Kernel Mode LAN Heartbeat
    sv4 .............: Online
      lankhb1        : Normal           Kernel Mode LAN Heartbeat
  <group>
    iis1 ............: Online
      current        : sv2
      fip1           : Online
    iis2 ............: Online
      current        : sv2
  <monitor>
    userw            : Normal
 =====================================================================
`

func TestReadACluster(t *testing.T) {
	cfg := loadExample(t, "iis-mutual-standby")
	nodes := map[addrs.Address]*fake.Node{}
	for _, name := range []string{"sv2", "sv3", "sv4"} {
		n := fake.New(name)
		out := strings.Replace(clpstatSV2, "*sv2", " sv2", 1)
		out = strings.Replace(out, "    "+name+" ", "   *"+name+" ", 1)
		if name == "sv4" {
			// sv4 holds the tool's record of a suspension it made (clpstat shows none).
			out = strings.Replace(out, "userw            : Normal", "userw            : Error", 1)
			n.Handle([]string{"sh", "-c"}, func(*fake.Node, []string, []byte) transport.Result {
				return transport.Result{Stdout: []byte(out), Stderr: []byte("@cluster-suspended-by-apply /c/x/work/cluster/suspended\n")}
			})
		} else {
			vendor(n, map[string]string{"clpstat": out})
		}
		nodes[addrs.ClusterNode("web", name)] = n
	}
	rep, err := Read(context.Background(), cfg, connector{nodes}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range nodes {
		if s := n.Stats(); s != 1 {
			t.Errorf("%s: %d sessions, want one", name, s)
		}
	}
	c := rep.Clusters[0]
	if c.ViewFrom != "sv2" || len(c.Groups) != 2 || c.Groups[0].Group != addrs.Group("iis1") || c.Groups[0].Current != "sv2" {
		t.Errorf("groups: %+v from %s", c.Groups, c.ViewFrom)
	}
	var states []string
	for _, n := range c.Nodes {
		states = append(states, n.Name+"="+n.State+"/"+n.Status)
	}
	if got := strings.Join(states, " "); got != "sv1=unknown/Offline sv2=running/Online sv3=running/Online sv4=suspended/Online" {
		t.Errorf("nodes: %s", got)
	}
	if c.Nodes[0].Err != "connection refused" || rep.Unreachable[addrs.ClusterNode("web", "sv1")] != "connection refused" {
		t.Errorf("unreachable sv1: %+v %v", c.Nodes[0], rep.Unreachable)
	}
	if len(c.Monitors) != 1 || c.Monitors[0] != (Monitor{Name: "userw", Node: "sv4", Status: "Error"}) {
		t.Errorf("monitors in error: %+v", c.Monitors)
	}

	obs := rep.Observed()
	if !obs.Down[addrs.ClusterNode("web", "sv1")] || len(obs.Down) != 1 {
		t.Errorf("observed down: %v", obs.Down)
	}
	if obs.Groups[addrs.Group("iis1")] != "sv2" || obs.Groups[addrs.Group("iis2")] != "sv2" {
		t.Errorf("observed groups: %v", obs.Groups)
	}
}

func TestReadScanServersStatusFilesAndServerGroups(t *testing.T) {
	cfg := loadExample(t, "server-scan-standby")
	sts := loadExample(t, "groupmax-status-files")
	sg := loadExample(t, "wsmgr-server-group")
	cfg.Nodes["objsv"], cfg.StatusFiles = sts.Nodes["objsv"], sts.StatusFiles
	for name, n := range sg.Nodes {
		cfg.Nodes[name] = n
	}
	cfg.ServerGroups = sg.ServerGroups

	mail, obj, web1, web2 := fake.New("mailsv"), fake.New("objsv"), fake.New("web1"), fake.New("web2")
	vendor(mail, map[string]string{"vkhoststat": "Host Service Port Status\nWinNT01 vkscan 20001 INACT\nWinNT02 vkscan 20001 ACT\nWinNT03 vkscan 20001 ACT\nWinNT09 vkscan 20001 ACT\n"})
	vendor(obj, map[string]string{"xodstsls": "sts1 /data/a/sts1a1 /data/b/sts1b1 blocked\nsts1 /data/a/sts1a2 /data/b/sts1b2 current\nsts1 /data/a/sts1a3 /data/b/sts1b3 spare\n"})
	// The roster is read with `sh -c SCRIPT sh FILE`: answer by the file's full path.
	web1.Handle([]string{"sh", "-c"}, func(_ *fake.Node, argv []string, _ []byte) transport.Result {
		if argv[len(argv)-1] == "/opt/wsmgr/.config.cluster-group.json" {
			return transport.Result{Stdout: []byte(`{"group":"web","role":"management","management":"web1",
				"members":{"web2":{"node":"web2","address":"a"},"web3":{"node":"web3","address":"b","detached":true,"out_of_sync":"disk full"}}}`)}
		}
		return transport.Result{ExitCode: 127}
	})
	nodes := map[addrs.Address]*fake.Node{
		addrs.Node("mailsv"): mail, addrs.Node("objsv"): obj, addrs.Node("web1"): web1, addrs.Node("web2"): web2,
	}
	rep, err := Read(context.Background(), cfg, connector{nodes}, 4)
	if err != nil {
		t.Fatal(err)
	}

	var got []string
	for _, s := range rep.ServerScans[0].Servers {
		got = append(got, s.Name+"="+s.Role+"/"+s.Status)
	}
	if strings.Join(got, " ") != "WinNT01=normal/INACT WinNT02=normal/ACT WinNT03=standby/ACT WinNT04=standby/" {
		t.Errorf("scan servers: %s", got)
	}
	if p := rep.ServerScans[0].Problems; len(p) != 1 || !strings.Contains(p[0], "WinNT09") {
		t.Errorf("problems: %v", p)
	}

	if f := rep.StatusFiles[0]; len(f.Pairs) != 3 || f.Pairs[1].State != "current" || f.Err != "" {
		t.Errorf("sts1: %+v", f)
	}
	if f := rep.StatusFiles[1]; f.Err == "" || !strings.Contains(f.Err, "does not list sts2") {
		t.Errorf("sts2, never applied: %+v", f)
	}
	if s := obj.Stats(); s != 1 {
		t.Errorf("objsv: %d sessions for two status files of one definition, want one", s)
	}

	g := rep.ServerGroups[0]
	if !g.Applied || !g.ManagementUp || len(g.Members) != 3 {
		t.Fatalf("server group: %+v", g)
	}
	if m := g.Members[1]; m.Name != "web3" || m.Reachable || !m.Detached || m.OutOfSync != "disk full" {
		t.Errorf("web3: %+v", m)
	}
	if m := g.Members[0]; !m.Reachable || !m.InRoster || m.Detached {
		t.Errorf("web2: %+v", m)
	}

	obs := rep.Observed()
	for _, a := range []addrs.Address{addrs.ScanServer("WinNT01"), addrs.Node("web3"), addrs.Node("web4")} {
		if !obs.Down[a] {
			t.Errorf("%s not observed down: %v", a, obs.Down)
		}
	}
	if len(obs.Pairs[addrs.StatusFile("sts1")]) != 3 || obs.Pairs[addrs.StatusFile("sts2")] != nil {
		t.Errorf("observed pairs: %v", obs.Pairs)
	}
}

// An unreachable node that only holds status files starts the simulation down, as Observed
// promises for every machine that cannot be reached.
func TestObservedUnreachableStatusFileNodeIsDown(t *testing.T) {
	cfg := loadExample(t, "groupmax-status-files")
	rep, err := Read(context.Background(), cfg, connector{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	objsv := addrs.Node("objsv")
	if rep.Unreachable[objsv] == "" {
		t.Fatalf("objsv not unreachable: %v", rep.Unreachable)
	}
	if obs := rep.Observed(); !obs.Down[objsv] || len(obs.Pairs) != 0 {
		t.Errorf("observed down %v, pairs %v; want objsv down and no pairs", obs.Down, obs.Pairs)
	}
}
