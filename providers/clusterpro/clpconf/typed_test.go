package clpconf

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTypedAccessorsOnWindowsReference(t *testing.T) {
	_, doc := readReference(t, "windows-2nodes-mirror.clp.conf")

	if doc.ClusterName() != "cluster" || doc.ClusterComment() != "" {
		t.Errorf("cluster = %q/%q", doc.ClusterName(), doc.ClusterComment())
	}
	if diff := cmp.Diff(All{Charset: "ASCII", Encode: "SJIS", ServerOS: "windows"}, doc.All()); diff != "" {
		t.Errorf("All (-want +got):\n%s", diff)
	}

	servers, err := doc.Servers()
	if err != nil {
		t.Fatal(err)
	}
	wantServer1 := Server{Name: "server1", Priority: 0, Devices: []Device{
		{ID: 0, Type: "lan", Info: "10.1.1.11"},
		{ID: 401, Type: "mdc", Info: "10.1.1.11", MDCInfo: "10.1.1.11"},
		{ID: 1, Type: "lan", Info: "192.168.1.11"},
		{ID: 400, Type: "mdc", Info: "192.168.1.11", MDCInfo: "192.168.1.11"},
		{ID: 10200, Type: "ping", Info: "1"},
	}}
	if len(servers) != 2 {
		t.Fatalf("got %d servers", len(servers))
	}
	if diff := cmp.Diff(wantServer1, servers[0]); diff != "" {
		t.Errorf("server1 (-want +got):\n%s", diff)
	}

	hbs, err := doc.Heartbeats()
	if err != nil {
		t.Fatal(err)
	}
	wantHB := []Heartbeat{{Type: "lankhb", Name: "lankhb1", Priority: 0, Device: 0}, {Type: "lankhb", Name: "lankhb2", Priority: 1, Device: 1}}
	if diff := cmp.Diff(wantHB, hbs); diff != "" {
		t.Errorf("heartbeats (-want +got):\n%s", diff)
	}

	nps, err := doc.PingNPs()
	if err != nil {
		t.Fatal(err)
	}
	wantNP := []PingNP{{Name: "pingnp1", Priority: 0, Device: 10200, Targets: []string{"10.1.1.1"}}}
	if diff := cmp.Diff(wantNP, nps); diff != "" {
		t.Errorf("pingnp (-want +got):\n%s", diff)
	}

	groups, err := doc.Groups()
	if err != nil {
		t.Fatal(err)
	}
	wantGroups := []Group{{Name: "failover", GID: NoGID, Resources: []string{"fip@fip", "md@md"}, AutoStart: true}}
	if diff := cmp.Diff(wantGroups, groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}

	res := doc.Resources()
	if len(res) != 2 || res[0].Type != "fip" || res[1].Type != "md" {
		t.Fatalf("resources = %+v", res)
	}
	if ip, _ := ParamValue(res[0].Params, "parameters/ip"); ip != "10.1.1.21" {
		t.Errorf("fip ip = %q", ip)
	}
	for path, want := range map[string]string{
		"parameters/netdev[1]/device":             "401",
		"parameters/volumemountpoint":             "E",
		"server[server2]/parameters/cpvolumeguid": "bf90eaf9-7e65-4fdf-8dcd-bd10461be308",
	} {
		if got, ok := ParamValue(res[1].Params, path); !ok || got != want {
			t.Errorf("md %s = %q, %v; want %q", path, got, ok, want)
		}
	}

	mons := doc.Monitors()
	wantFipw := Monitor{Type: "fipw", Name: "fipw1", Target: "fip", Relation: Relation{Type: "rsc", Name: "fip"}}
	if diff := cmp.Diff(wantFipw, mons[1]); diff != "" {
		t.Errorf("fipw1 (-want +got):\n%s", diff)
	}
	if mons[0].Relation != LocalServer() {
		t.Errorf("userw relation = %+v", mons[0].Relation)
	}
}

func TestTypedGenwOnLinuxReference(t *testing.T) {
	_, doc := readReference(t, "linux-md-exec-current.clp.conf")
	mons := doc.Monitors()
	genw := mons[len(mons)-1]
	want := Monitor{
		Type: "genw", Name: "genw", Relation: Relation{Type: "grp", Name: "failover1"},
		Params: []Param{
			{Path: "polling/interval", Value: "10"},
			{Path: "parameters/path", Value: "genw.sh"},
			{Path: "emergency/preaction/path", Value: "preaction.sh"},
			{Path: "emergency/threshold/restart", Value: "0"},
		},
	}
	if diff := cmp.Diff(want, genw); diff != "" {
		t.Errorf("genw (-want +got):\n%s", diff)
	}
	groups, err := doc.Groups()
	if err != nil {
		t.Fatal(err)
	}
	if groups[1].GID != 1 || groups[1].Name != "failover2" {
		t.Errorf("group 2 = %+v", groups[1])
	}
}

// Everything a builder writes, the accessors read back unchanged.
func TestBuildersReadBack(t *testing.T) {
	doc := New("EUC-JP", Style{})
	doc.SetCluster("web", "IIS 本番")
	doc.SetAll(All{Charset: "EUC-JP", Encode: "SJIS", ServerOS: "linux"})
	servers := []Server{
		{Name: "sv1", Priority: 0, Devices: []Device{{ID: 0, Type: "lan", Info: "10.0.0.1"}, {ID: 400, Type: "mdc", Info: "10.0.1.1", MDCInfo: "10.0.1.1"}, {ID: 10200, Type: "ping", Info: "1"}}},
		{Name: "sv2", Priority: 1, Devices: []Device{{ID: 0, Type: "lan", Info: "10.0.0.2"}}},
	}
	for _, s := range servers {
		doc.AddServer(s)
	}
	hbs := []Heartbeat{{Type: "lankhb", Name: "hb1", Device: 0}, {Type: "lanhb", Name: "hb2", Priority: 1, Device: 1}}
	for _, h := range hbs {
		doc.AddHeartbeat(h)
	}
	nps := []PingNP{{Name: "np1", Device: 10200, Targets: []string{"10.0.0.254", "10.0.0.253"}, Interval: 5, Timeout: 3}}
	doc.AddPingNP(nps[0])
	groups := []Group{{Name: "g1", GID: 0, Comment: "c", Policy: []Policy{{Server: "sv2", Order: 1}, {Server: "sv1", Order: 0}}, Resources: []string{"fip@fip1"}, AutoStart: true, AutoFailback: true}}
	doc.AddGroup(groups[0])
	resources := []Resource{{Type: "fip", Name: "fip1", Params: []Param{{Path: "parameters/ip", Value: "10.0.0.100"}}, Depends: []string{"disk1"}}}
	doc.AddResource(resources[0])
	monitors := []Monitor{
		{Type: "userw", Name: "userw", Relation: LocalServer()},
		{Type: "fipw", Name: "fipw1", Target: "fip1", Relation: Relation{Type: "rsc", Name: "fip1"}, Params: []Param{{Path: "polling/interval", Value: "30"}}},
	}
	for _, m := range monitors {
		doc.AddMonitor(m)
	}

	// Types are declared once, before the objects.
	var names []string
	for _, c := range doc.Root.Child("heartbeat").Children {
		names = append(names, c.Name+"["+c.Key()+"]")
	}
	if diff := cmp.Diff([]string{"types[lankhb]", "types[lanhb]", "lankhb[hb1]", "lanhb[hb2]"}, names); diff != "" {
		t.Errorf("heartbeat section order (-want +got):\n%s", diff)
	}

	encoded, err := Encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(encoded)
	if err != nil {
		t.Fatal(err)
	}
	gotServers, err := back.Servers()
	if err != nil {
		t.Fatal(err)
	}
	gotHBs, err := back.Heartbeats()
	if err != nil {
		t.Fatal(err)
	}
	gotNPs, err := back.PingNPs()
	if err != nil {
		t.Fatal(err)
	}
	gotGroups, err := back.Groups()
	if err != nil {
		t.Fatal(err)
	}
	for what, pair := range map[string][2]any{
		"cluster":   {"web/IIS 本番", back.ClusterName() + "/" + back.ClusterComment()},
		"servers":   {servers, gotServers},
		"heartbeat": {hbs, gotHBs},
		"pingnp":    {nps, gotNPs},
		"groups":    {groups, gotGroups},
		"resources": {resources, back.Resources()},
		"monitors":  {monitors, back.Monitors()},
	} {
		if diff := cmp.Diff(pair[0], pair[1]); diff != "" {
			t.Errorf("%s (-built +read):\n%s", what, diff)
		}
	}
	if got := gotGroups[0].Servers(); !cmp.Equal(got, []string{"sv1", "sv2"}) {
		t.Errorf("policy order = %v", got)
	}
	// 4 + 2 servers + 1 group + 1 resource + 2 monitors + 2 × (2 hb + 1 np)
	if n, _ := back.StoredObjectNumber(); n != 16 {
		t.Errorf("objectnumber = %d, want 16", n)
	}
}
