package clusterpro

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/desired")

// linuxMirrorCluster: two nodes, two interconnects, a mirror connect, kernel and user heartbeats,
// a ping NP, and two groups given out of name order (gid follows name order).
func linuxMirrorCluster() *config.Cluster {
	c := &config.Cluster{Name: "db", Platform: config.Linux, Comment: "PostgreSQL mirror",
		Options: config.ClusterOptions{HeartbeatInterval: 3, HeartbeatTimeout: 90}}
	sv1 := &config.ClusterNode{Name: "sv1", Cluster: c, Priority: 0, Interconnects: []string{"192.168.0.11", "192.168.1.11"}, MirrorConnect: "192.168.1.11"}
	sv2 := &config.ClusterNode{Name: "sv2", Cluster: c, Priority: 1, Interconnects: []string{"192.168.0.12", "192.168.1.12"}, MirrorConnect: "192.168.1.12"}
	c.Nodes = []*config.ClusterNode{sv1, sv2}
	c.Heartbeats = []*config.Heartbeat{
		{Name: "lankhb1", Mode: "kernel", Interconnect: 0, Priority: 0},
		{Name: "lanhb2", Mode: "user", Interconnect: 1, Priority: 1},
	}
	c.NetworkPartitions = []*config.NetworkPartition{{Name: "pingnp1", Targets: []string{"192.168.0.254"}, Interval: 5, Timeout: 3}}

	g1 := &config.Group{Name: "failover1", Cluster: c, Comment: "database", Policy: []*config.ClusterNode{sv1, sv2}, AutoStart: true}
	fip := &config.Resource{Kind: config.ResFIP, Name: "fip1", Group: g1, IP: "192.168.0.100"}
	md := &config.Resource{Kind: config.ResMD, Name: "md1", Group: g1, DataPartition: "/dev/sdb2", ClusterPartition: "/dev/sdb1", MountPoint: "/mnt/md1", FS: "ext4"}
	exec := &config.Resource{Kind: config.ResExec, Name: "exec1", Group: g1, Script: &config.Script{Name: "pgsql"}, DependsOn: []*config.Resource{fip, md}, Timeout: 1800}
	g1.Resources = []*config.Resource{fip, md, exec}
	g1.Monitors = []*config.Monitor{
		{Kind: config.MonFIP, Name: "fipw1", Cluster: c, Group: g1, Target: fip},
		{Kind: config.MonMD, Name: "mdw1", Cluster: c, Group: g1, Target: md},
		{Kind: config.MonGeneric, Name: "genw1", Cluster: c, Group: g1, Script: &config.Script{Name: "check"}, Interval: 30, Timeout: 60, Retry: 1,
			Recovery: config.Recovery{Action: "failover", Group: g1, MaxRestarts: 2}},
	}

	g2 := &config.Group{Name: "failover2", Cluster: c, Policy: []*config.ClusterNode{sv2, sv1}, AutoStart: false, Failback: true}
	disk := &config.Resource{Kind: config.ResDisk, Name: "disk1", Group: g2, Device: "/dev/sdc1", MountPoint: "/mnt/disk1", FS: "xfs"}
	g2.Resources = []*config.Resource{disk}
	g2.Monitors = []*config.Monitor{
		{Kind: config.MonDisk, Name: "diskw1", Cluster: c, Group: g2, Target: disk},
		{Kind: config.MonIP, Name: "ipw1", Cluster: c, Group: g2, Targets: []string{"192.168.0.1", "192.168.0.2"}, Recovery: config.Recovery{Action: "restart"}},
	}
	c.Groups = []*config.Group{g2, g1}
	return c
}

// windowsIISCluster: two nodes, mirror disk on drive letters, virtual IP, registry sync,
// a service and an exec; userw declared explicitly; a Japanese comment in an ASCII file.
func windowsIISCluster() *config.Cluster {
	c := &config.Cluster{Name: "web", Platform: config.Windows, Comment: "IIS 本番"}
	sv1 := &config.ClusterNode{Name: "server1", Cluster: c, Priority: 0, Interconnects: []string{"10.1.1.11", "192.168.1.11"}, MirrorConnect: "192.168.1.11"}
	sv2 := &config.ClusterNode{Name: "server2", Cluster: c, Priority: 1, Interconnects: []string{"10.1.1.12", "192.168.1.12"}, MirrorConnect: "192.168.1.12"}
	c.Nodes = []*config.ClusterNode{sv1, sv2}
	c.Heartbeats = []*config.Heartbeat{
		{Name: "lankhb1", Mode: "kernel", Interconnect: 0, Priority: 0},
		{Name: "lankhb2", Mode: "kernel", Interconnect: 1, Priority: 1},
	}
	c.NetworkPartitions = []*config.NetworkPartition{{Name: "pingnp1", Targets: []string{"10.1.1.1"}}}
	c.Monitors = []*config.Monitor{{Kind: config.MonUser, Name: "userw", Cluster: c, Interval: 3}}

	g := &config.Group{Name: "iis", Cluster: c, Comment: "IIS", Policy: []*config.ClusterNode{sv1, sv2}, AutoStart: true}
	vip := &config.Resource{Kind: config.ResVIP, Name: "vip1", Group: g, IP: "10.1.1.100", Netmask: "255.255.255.0"}
	md := &config.Resource{Kind: config.ResMD, Name: "md1", Group: g, DataPartition: "E:", ClusterPartition: `X:\`}
	reg := &config.Resource{Kind: config.ResRegSync, Name: "reg1", Group: g, RegistryKeys: []string{`HKLM\SOFTWARE\NEC\ExpressMail`, `HKLM\SOFTWARE\Other`}}
	svc := &config.Resource{Kind: config.ResService, Name: "w3svc", Group: g, ServiceName: "W3SVC"}
	exec := &config.Resource{Kind: config.ResExec, Name: "iis", Group: g, Script: &config.Script{Name: "iis"}, DependsOn: []*config.Resource{vip, md, reg}}
	g.Resources = []*config.Resource{vip, md, reg, svc, exec}
	g.Monitors = []*config.Monitor{
		{Kind: config.MonService, Name: "w3", Cluster: c, Group: g, Target: svc, Recovery: config.Recovery{Action: "stop_group", Group: g}},
		{Kind: config.MonMD, Name: "mdw1", Cluster: c, Group: g, Target: md},
	}
	c.Groups = []*config.Group{g}
	return c
}

// minimalCluster: no groups, no partitions, defaults everywhere.
func minimalCluster() *config.Cluster {
	c := &config.Cluster{Name: "min"}
	c.Nodes = []*config.ClusterNode{
		{Name: "a", Cluster: c, Priority: 0, Interconnects: []string{"10.0.0.1"}},
		{Name: "b", Cluster: c, Priority: 1, Interconnects: []string{"10.0.0.2"}},
	}
	c.Heartbeats = []*config.Heartbeat{{Name: "lankhb1", Interconnect: 0}}
	return c
}

func TestDesiredConfGolden(t *testing.T) {
	tests := map[string]struct {
		cluster      func() *config.Cluster
		objectNumber int
	}{
		// 4 + 2 servers + 2 groups + 4 resources + 6 monitors (userw added) + 2 × (2 hb + 1 np)
		"linux-md-exec": {cluster: linuxMirrorCluster, objectNumber: 25}, // with the implicit mdnw1
		// 4 + 2 + 1 + 5 resources + 3 monitors + 2 × (2 hb + 1 np)
		"windows-md-exec": {cluster: windowsIISCluster, objectNumber: 22}, // with the implicit mdnw1
		// 4 + 2 + 0 + 0 + 1 (userw) + 2 × 1 hb
		"linux-minimal": {cluster: minimalCluster, objectNumber: 9},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			doc, err := DesiredConf(tt.cluster())
			if err != nil {
				t.Fatal(err)
			}
			got, err := clpconf.Encode(doc)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "desired", name+".xml")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("rendered clp.conf differs from %s (-want +got):\n%s", golden, cmp.Diff(string(want), string(got)))
			}

			back, err := clpconf.Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			if diffs := clpconf.Diff(doc, back); len(diffs) != 0 {
				t.Errorf("DesiredConf -> Encode -> Parse differs: %v", diffs)
			}
			if n, ok := back.StoredObjectNumber(); !ok || n != tt.objectNumber || doc.ObjectNumber() != tt.objectNumber {
				t.Errorf("objectnumber stored %d (%v), computed %d, want %d", n, ok, doc.ObjectNumber(), tt.objectNumber)
			}

			again, err := DesiredConf(tt.cluster())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(doc, again); diff != "" {
				t.Errorf("DesiredConf is not deterministic:\n%s", diff)
			}
		})
	}
}

// The typed view of the rendered file says what the configuration says.
func TestDesiredConfReadsBack(t *testing.T) {
	doc, err := DesiredConf(linuxMirrorCluster())
	if err != nil {
		t.Fatal(err)
	}
	groups, err := doc.Groups()
	if err != nil {
		t.Fatal(err)
	}
	want := []clpconf.Group{
		// Every server in priority order is the vendor's default: no <policy> is written.
		{Name: "failover1", Comment: "database", GID: 0, AutoStart: true,
			Resources: []string{"fip@fip1", "md@md1", "exec@exec1"}},
		{Name: "failover2", GID: 1, AutoFailback: true,
			Policy:    []clpconf.Policy{{Server: "sv2", Order: 0}, {Server: "sv1", Order: 1}},
			Resources: []string{"disk@disk1"}},
	}
	if diff := cmp.Diff(want, groups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}

	monitors := map[string]clpconf.Monitor{}
	for _, m := range doc.Monitors() {
		monitors[m.Name] = m
	}
	wantMon := map[string]clpconf.Monitor{
		"userw": {Type: "userw", Name: "userw", Relation: clpconf.LocalServer()},
		"fipw1": {Type: "fipw", Name: "fipw1", Target: "fip1", Relation: clpconf.Relation{Type: "rsc", Name: "fip1"}},
		// Linux mirror monitors recover the local server, as the WebUI writes them; the mdnw the
		// WebUI adds for every mirror disk is added when none is declared.
		"mdw1": {Type: "mdw", Name: "mdw1", Relation: clpconf.LocalServer(),
			Params: []clpconf.Param{{Path: "parameters/object", Value: "md1"}}},
		"mdnw1": {Type: "mdnw", Name: "mdnw1", Relation: clpconf.LocalServer(),
			Params: []clpconf.Param{{Path: "parameters/object", Value: "md1"}}},
		"genw1": {Type: "genw", Name: "genw1", Relation: clpconf.Relation{Type: "grp", Name: "failover1"},
			Params: []clpconf.Param{
				{Path: "parameters/path", Value: "genw.sh"},
				{Path: "polling/interval", Value: "30"},
				{Path: "polling/timeout", Value: "60"},
				{Path: "polling/reconfirmation", Value: "1"},
				{Path: "emergency/threshold/restart", Value: "2"},
				{Path: "emergency/threshold/fo", Value: "1"},
				{Path: "emergency/action", Value: "1"},
			}},
		"diskw1": {Type: "diskw", Name: "diskw1", Target: "disk1", Relation: clpconf.Relation{Type: "rsc", Name: "disk1"},
			Params: []clpconf.Param{{Path: "parameters/object", Value: "/dev/sdc1"}}},
		"ipw1": {Type: "ipw", Name: "ipw1", Relation: clpconf.Relation{Type: "grp", Name: "failover2"},
			Params: []clpconf.Param{
				{Path: "parameters/list[0]/ip", Value: "192.168.0.1"},
				{Path: "parameters/list[1]/ip", Value: "192.168.0.2"},
				{Path: "emergency/threshold/restart", Value: "1"},
				{Path: "emergency/threshold/fo", Value: "0"},
				{Path: "emergency/action", Value: "1"},
			}},
	}
	if diff := cmp.Diff(wantMon, monitors); diff != "" {
		t.Errorf("monitors (-want +got):\n%s", diff)
	}

	var exec clpconf.Resource
	for _, r := range doc.Resources() {
		if r.Name == "exec1" {
			exec = r
		}
	}
	wantExec := clpconf.Resource{Type: "exec", Name: "exec1", Depends: []string{"fip1", "md1"}, Params: []clpconf.Param{
		{Path: "parameters/act/path", Value: "start.sh"},
		{Path: "parameters/deact/path", Value: "stop.sh"},
		// The script's own timeout, and the resource's: that plus the vendor's 180 s.
		{Path: "parameters/timeout/start", Value: "1800"},
		{Path: "parameters/timeout/stop", Value: "1800"},
		{Path: "act/timeout", Value: "1980"},
		{Path: "deact/timeout", Value: "1980"},
	}}
	if diff := cmp.Diff(wantExec, exec); diff != "" {
		t.Errorf("exec1 (-want +got):\n%s", diff)
	}
}

func TestDesiredConfErrors(t *testing.T) {
	tests := map[string]struct {
		mutate func(c *config.Cluster)
		want   string
	}{
		"unknown platform":     {func(c *config.Cluster) { c.Platform = "aix" }, "unknown platform"},
		"heartbeat mode":       {func(c *config.Cluster) { c.Heartbeats[0].Mode = "disk" }, "unknown heartbeat mode"},
		"missing interconnect": {func(c *config.Cluster) { c.Heartbeats[1].Interconnect = 2 }, "interconnect 2 does not exist on node sv1"},
		"md without mirror":    {func(c *config.Cluster) { c.Nodes[1].MirrorConnect = "" }, "mirror_connect on every node of its group's policy; sv2"},
		"exec without script":  {func(c *config.Cluster) { c.Groups[1].Resources[2].Script = nil }, "needs a script"},
		"recovery action":      {func(c *config.Cluster) { c.Groups[0].Monitors[1].Recovery.Action = "reboot" }, `unknown recovery action "reboot"`},
		"foreign policy node": {func(c *config.Cluster) {
			c.Groups[0].Policy = append(c.Groups[0].Policy, &config.ClusterNode{Name: "x"})
		}, "policy names x"},
		"np without targets": {func(c *config.Cluster) { c.NetworkPartitions[0].Targets = nil }, "needs at least one target"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c := linuxMirrorCluster()
			tt.mutate(c)
			_, err := DesiredConf(c)
			if err == nil {
				t.Fatal("DesiredConf succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
	if _, err := DesiredConf(nil); err == nil {
		t.Error("DesiredConf(nil) succeeded")
	}
}
