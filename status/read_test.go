package status

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro"
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

// vendor answers the `sh -c SCRIPT sh PROGRAM ARGS...` commands by PROGRAM's base name (without .exe).
func vendor(n *fake.Node, out map[string]string) {
	n.Handle([]string{"sh", "-c"}, func(_ *fake.Node, argv []string, _ []byte) transport.Result {
		if len(argv) < 5 {
			return transport.Result{ExitCode: 2}
		}
		if s, ok := out[strings.TrimSuffix(path.Base(argv[4]), ".exe")]; ok { // C:\...\bin\clpstat.exe on Windows
			return transport.Result{Stdout: []byte(s)}
		}
		return transport.Result{ExitCode: 127}
	})
}

// installClpstat puts clpstat where the cluster's StatusOps look for it, answering out, and
// with marked the tool's suspension record beside it.
func installClpstat(t *testing.T, n *fake.Node, c *config.Cluster, out string, marked bool) {
	t.Helper()
	ops := clusterpro.StatusOps(c)
	st, ok1 := ops[0].(transport.Stat)
	run, ok2 := ops[1].(transport.Command)
	if !ok1 || !ok2 || len(st.Paths) != 2 {
		t.Fatalf("StatusOps = %v; want a Stat of the record and clpstat, then clpstat", ops)
	}
	record, program := st.Paths[0], st.Paths[1]
	n.SetFile(program, []byte("MZ"), 0o755)
	if marked {
		n.SetFile(record, nil, 0o644)
	}
	n.Handle(fake.Argv(run), func(*fake.Node, []string, []byte) transport.Result {
		return transport.Result{Stdout: []byte(out)}
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
		// sv4 holds the tool's record of a suspension it made (clpstat shows none).
		if name == "sv4" {
			out = strings.Replace(out, "userw            : Normal", "userw            : Error", 1)
		}
		installClpstat(t, n, cfg.Clusters["web"], out, name == "sv4")
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

// stsDefText is the definition file on objsv: status reads its bytes only.
const stsDefText = "any text: the tool never parses it\n"

const stsDefDigest = "35 45be248be51909fdbc81f06c35c2beaf48c39d9736ed802a6cce7176a084343b"

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
	vendor(mail, map[string]string{"vkhoststat": "Host     Status\nWinNT01  INACT\nWinNT02  ACT\nWinNT03  ACT\nWinNT09  ACT\n"})
	// The object server's node: the definition file's bytes (never parsed); sts3's B file is
	// missing.
	stsBlock := sts.StatusFiles["sts"]
	def, _ := config.StatusFileDefinition(stsBlock)
	obj.SetFile(def, []byte(stsDefText), 0o644)
	for _, lf := range stsBlock.Logicals {
		for _, f := range []string{lf.AFile, lf.BFile} {
			if f != stsBlock.Logicals[2].BFile {
				obj.SetFile(transport.NodePath(f), make([]byte, 4096), 0o600)
			}
		}
	}
	// The site's commands on web1: web3 is in sync error and out of the balancer, web2 in
	// sync and in it, web4 syncing.
	web1.Handle([]string{"/c/LabSiteTools/wsmgr-sync-state.exe"}, func(_ *fake.Node, argv []string, _ []byte) transport.Result {
		member := argv[len(argv)-1]
		return transport.Result{ExitCode: map[string]int{"web2": 0, "web3": 2, "web4": 1}[member],
			Stdout: []byte(map[string]string{"web3": "E1203\n"}[member])}
	})
	web1.Handle([]string{"/c/LabSiteTools/lbctl.exe", "status"}, func(_ *fake.Node, argv []string, _ []byte) transport.Result {
		if argv[len(argv)-1] == "web3" {
			return transport.Result{ExitCode: 1}
		}
		return transport.Result{}
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

	f := rep.StatusFiles[0]
	if f.Err != "" || f.Seen == nil || !f.Seen.Defined {
		t.Fatalf("status_file.sts: %+v", f)
	}
	var seen []string
	for _, l := range f.Seen.Logicals {
		seen = append(seen, fmt.Sprintf("%s/%s/%d/%d", l.Name, l.State, l.ASize, l.BSize))
	}
	// The size and sha256sum of stsDefText, worked out by sha256sum(1).
	seen = append(seen, fmt.Sprintf("definition %d %s", f.Seen.DefinitionSize, f.Seen.DefinitionSHA256))
	if diff := cmp.Diff([]string{"sts1/unknown/4096/4096", "sts2/unknown/4096/4096", "sts3/unknown/4096/-1", "definition " + stsDefDigest}, seen); diff != "" {
		t.Errorf("status_file.sts (-want +got):\n%s", diff)
	}
	if s := obj.Stats(); s != 1 {
		t.Errorf("objsv: %d sessions, want one", s)
	}

	g := rep.ServerGroups[0]
	if !g.ManagementUp || g.Err != "" || len(g.Members) != 3 {
		t.Fatalf("server group: %+v", g)
	}
	wantMembers := []Member{
		{Name: "web2", Node: "web2", Reachable: true, Sync: "sync finished", InSync: true, Balancer: "in"},
		{Name: "web3", Node: "web3", Sync: "sync error or never synced", SyncDetail: "E1203", Balancer: "out"},
		{Name: "web4", Node: "web4", Sync: "syncing", Balancer: "in"},
	}
	if diff := cmp.Diff(wantMembers, g.Members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}

	obs := rep.Observed()
	for _, a := range []addrs.Address{addrs.ScanServer("WinNT01"), addrs.Node("web3"), addrs.Node("web4")} {
		if !obs.Down[a] {
			t.Errorf("%s not observed down: %v", a, obs.Down)
		}
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
	if obs := rep.Observed(); !obs.Down[objsv] {
		t.Errorf("observed down %v; want objsv down", obs.Down)
	}
}
