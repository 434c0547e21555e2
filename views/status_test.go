package views

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/providers/statusfile"
	"github.com/clusterctl/cluster/status"
)

func TestStatusHuman(t *testing.T) {
	rep := &status.Report{
		Clusters: []status.Cluster{{
			Cluster: addrs.Cluster("web"), ViewFrom: "sv2",
			Nodes: []status.Node{
				{Name: "sv1", State: "unknown", Status: "Offline", Err: "connection refused"},
				{Name: "sv2", State: "running", Status: "Online"},
				{Name: "sv3", State: "suspended", Status: "Online"},
			},
			Groups:   []status.Group{{Name: "iis", Group: addrs.Group("iis"), Status: "Online", Current: "sv2"}, {Name: "old", Status: "Offline"}},
			Monitors: []status.Monitor{{Name: "fipw1", Node: "sv2", Status: "Error"}},
		}},
		ServerScans: []status.ServerScan{{ServerScan: addrs.ServerScan("mail"), Node: "mailsv",
			Servers: []status.ScanServer{{Name: "WinNT01", Role: "normal", Status: "INACT"}, {Name: "WinNT03", Role: "standby"}}}},
		StatusFiles: []status.StatusFile{{StatusFile: addrs.StatusFile("sts"), Node: "objsv",
			Seen: &statusfile.Seen{Defined: true, DefinitionSize: 120, DefinitionSHA256: "ab12",
				Logicals: []statusfile.LogicalState{
					{Logical: statusfile.Logical{Name: "sts1", A: `D:\a1`, B: `E:\b1`}, State: statusfile.Unknown, ASize: 4096, BSize: -1},
					{Logical: statusfile.Logical{Name: "sts2", A: `D:\a2`, B: `E:\b2`}, State: statusfile.Unknown, ASize: -2, BSize: 0}}}},
			{StatusFile: addrs.StatusFile("new"), Node: "objsv", Seen: &statusfile.Seen{}}},
		ServerGroups: []status.ServerGroup{{ServerGroup: addrs.ServerGroup("web"), Management: "web1", ManagementUp: true,
			Members: []status.Member{{Name: "web2", Reachable: true, Sync: "sync finished", InSync: true, Balancer: "in"},
				{Name: "web3", Sync: "sync error or never synced", SyncDetail: "E1203", Balancer: "out"}}}},
		Unreachable: map[addrs.Address]string{addrs.Node("web3"): "timeout", addrs.ClusterNode("web", "sv1"): "connection refused"},
	}
	var b bytes.Buffer
	if err := NewStatusHuman(&b, false).Status(rep); err != nil {
		t.Fatal(err)
	}
	want := `cluster.web (groups as sv2 sees them)
  server  sv1                  cannot be read: connection refused
  server  sv2                  Online, running
  server  sv3                  Online, suspended
  group   group.iis            Online on sv2
  group   old                  Offline
  monitor fipw1                Error on sv2

server_scan.mail on mailsv
  normal   WinNT01              INACT
  standby  WinNT03              not listed by vkhoststat

status_file.sts on objsv
  definition 120 bytes, sha256 ab12
  sts1     state unknown  A D:\a1 (4096 bytes)  B E:\b1 (missing)
  sts2     state unknown  A D:\a2 (not a file)  B E:\b2 (0 bytes)

status_file.new on objsv
  definition absent

server_group.web (management web1)
  member  web2                 sync finished, in the balancer
  member  web3                 sync error or never synced (E1203), out of the balancer, unreachable

Nodes that could not be read:
  cluster.web.node.sv1: connection refused
  node.web3: timeout
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := NewStatusJSON(&b).Status(rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"unreachable": [
    {
      "node": "cluster.web.node.sv1"`) || strings.Contains(b.String(), "null") {
		t.Errorf("JSON:\n%s", b.String())
	}
}
