package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// jsonStatus is the part of `status --json` the tests read.
type jsonStatus struct {
	Clusters []struct {
		Address  string `json:"address"`
		ViewFrom string `json:"view_from"`
		Nodes    []struct {
			Name, State, Status, Error string
		} `json:"nodes"`
		Groups []struct {
			Name, Address, Status, Current string
		} `json:"groups"`
	} `json:"clusters"`
	ServerScans []struct {
		Servers []struct{ Name, Role, Status string } `json:"servers"`
	} `json:"server_scans"`
	StatusFiles []struct {
		Address  string `json:"address"`
		Defined  bool   `json:"defined"`
		Logicals []struct {
			Name, A, B, State string
			ASize             int64 `json:"a_size"`
			BSize             int64 `json:"b_size"`
		} `json:"logical_files"`
	} `json:"status_files"`
	ServerGroups []struct {
		ManagementUp bool `json:"management_up"`
		Members      []struct {
			Name      string
			Reachable bool
			InSync    bool `json:"in_sync"`
			Balancer  string
		} `json:"members"`
	} `json:"server_groups"`
	Unreachable []struct{ Node, Error string } `json:"unreachable"`
}

func (n *nodes) statusJSON(dir string, code int) jsonStatus {
	n.t.Helper()
	r := n.run("status", "--json", "--connect-timeout", "2s", "--var-file", n.varFile, dir).must(n.t, code, "status --json")
	var s jsonStatus
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		n.t.Fatalf("status --json output: %v\n%s", err, r.stdout)
	}
	return s
}

func TestStatusAndLiveSimulationOfAMutualStandbyCluster(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	ex := filepath.Join("examples", "iis-mutual-standby")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")

	r := n.run("status", "--var-file", n.varFile, ex).must(t, 0, "status")
	for _, want := range []string{"cluster.web (groups as sv1 sees them)", "group.iis1           Online on sv1", "group.iis2           Online on sv2"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, r.stdout)
		}
	}

	// SV1 goes down: its sshd stops and its peers see it inactive.
	if err := labdir.SetFault(n.roots["sv1"], labdir.NodeDown, ""); err != nil {
		t.Fatal(err)
	}
	n.ssh.Stop(0)
	s := n.statusJSON(ex, 1)
	c := s.Clusters[0]
	if c.ViewFrom != "sv2" || c.Nodes[0].Error == "" || c.Nodes[0].Status != "Offline" || c.Nodes[1].State != "running" {
		t.Errorf("cluster after SV1 went down: %+v", c)
	}
	if len(s.Unreachable) != 1 || s.Unreachable[0].Node != "cluster.web.node.sv1" {
		t.Errorf("unreachable: %+v", s.Unreachable)
	}

	// From the live state, SV2 is the last server of both policies: losing it stops both
	// groups (exit 2); losing SV3, outside both policies, changes nothing.
	r = n.run("simulate", "--connect-timeout", "2s", "--var-file", n.varFile, ex, "--fail", "sv2", "--expect-available", "iis1").must(t, 2, "simulate sv2 from the live state")
	for _, want := range []string{"down                   cluster.web.node.sv1", "Pending from the observed state", "fails over from sv1 to sv2", "Expectation failed: group.iis1"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("live simulation lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "Warning: cluster.web.node.sv1 could not be read, so the simulation starts with it down") {
		t.Errorf("no warning about the unread node:\n%s", r.stderr)
	}
	n.run("simulate", "--connect-timeout", "2s", "--var-file", n.varFile, ex, "--fail", "sv3", "--expect-available", "iis1", "--expect-available", "iis2").must(t, 0, "simulate sv3")
	// Offline, the same question ignores the nodes: SV1 is up there.
	n.run("simulate", "--offline", ex, "--fail", "sv2", "--expect-available", "iis1").must(t, 0, "offline")
}

func TestStatusOfScanServersStatusFilesAndServerGroups(t *testing.T) {
	n := sgSetup(t)
	sg := posixExample(t, sgExample)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, sg).must(t, 0, "apply server group")
	s := n.statusJSON(sg, 0)
	if g := s.ServerGroups[0]; !g.ManagementUp || len(g.Members) != 3 || !g.Members[0].InSync || g.Members[0].Balancer != "in" || !g.Members[0].Reachable {
		t.Errorf("server group: %+v", g)
	}
	n.ssh.Stop(2) // web3
	s = n.statusJSON(sg, 1)
	if m := s.ServerGroups[0].Members[1]; m.Name != "web3" || m.Reachable {
		t.Errorf("web3 after its sshd stopped: %+v", m)
	}
	r := n.run("simulate", "--connect-timeout", "2s", "--var-file", n.varFile, sg, "--fail", "web2").must(t, 0, "simulate from the live state")
	if !strings.Contains(r.stdout, "in the balancer: web1, web2, web4; detached web3") {
		t.Errorf("live simulation does not start with web3 out:\n%s", r.stdout)
	}

	m := startNodes(t, "mailsv", "objsv")
	scan := filepath.Join("examples", "server-scan-standby")
	sts := posixExample(t, stsExample)
	scanSetUp(t, m, "mailsv", "WinNT01", "WinNT02", "WinNT03", "WinNT04")
	m.run("apply", "--auto-approve", "--var-file", m.varFile, sts).must(t, 0, "apply status files")
	if err := labdir.SetFault(m.roots["mailsv"], labdir.ScanInact, "WinNT01"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(m.path("objsv", "e/HiOBJ/sts/sts3b")); err != nil {
		t.Fatal(err)
	}
	s = m.statusJSON(scan, 0)
	var got []string
	for _, sv := range s.ServerScans[0].Servers {
		got = append(got, sv.Name+"="+sv.Status)
	}
	if strings.Join(got, " ") != "WinNT01=INACT WinNT02=ACT WinNT03=ACT WinNT04=ACT" {
		t.Errorf("vkhoststat: %s", got)
	}
	s = m.statusJSON(sts, 0)
	got = nil
	for _, l := range s.StatusFiles[0].Logicals {
		got = append(got, fmt.Sprintf("%s=%s/%d/%d", l.Name, l.State, l.ASize, l.BSize))
	}
	if f := s.StatusFiles[0]; f.Address != "status_file.sts" || !f.Defined ||
		strings.Join(got, " ") != "sts1=unknown/4096/4096 sts2=unknown/4096/4096 sts3=unknown/4096/-1" {
		t.Errorf("status files after sts3's B file was deleted: %+v %v", f, got)
	}

	// Live: WinNT02 is the last normal server. Status files start as after a normal start
	// (their state cannot be read): sts1 current, sts2 and sts3 spare.
	r = m.run("simulate", "--var-file", m.varFile, scan, "--fail", "WinNT02").must(t, 0, "simulate scan")
	if !strings.Contains(r.stdout, "every normal server is INACT: the standby servers WinNT03, WinNT04 take the load") {
		t.Errorf("live scan simulation:\n%s", r.stdout)
	}
	r = m.run("simulate", "--var-file", m.varFile, sts, "--fail", "sts", "--fail", "sts", "--fail", "sts", "--expect-available", "sts").must(t, 2, "simulate sts")
	if !strings.Contains(r.stdout, "swaps from sts2 to the spare sts3") || !strings.Contains(r.stdout, "no current logical file is left") {
		t.Errorf("live status-file simulation:\n%s", r.stdout)
	}
}
