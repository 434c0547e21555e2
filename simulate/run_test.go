package simulate

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/config"
)

func loadExample(t *testing.T, name string) *config.Config {
	t.Helper()
	l, diags := config.Load(filepath.Join("..", "examples", name), config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("loading %s: %s", name, diags.Error())
	}
	return l.Config
}

// violations renders "scenario#step service" for each violation.
func violations(r *Report) string {
	var out []string
	for _, v := range r.Violations {
		out = append(out, v.Scenario+"#"+string(rune('0'+v.Step))+" "+v.Service.String())
	}
	return strings.Join(out, "; ")
}

// The examples of the seeds, loaded from disk: "any single node may fail" holds for every
// service that has a standby, and fails for those that have none.
func TestEachSingleNodeOnTheExamples(t *testing.T) {
	tests := []struct {
		example string
		expect  []string
		want    string // violations
	}{
		{"iis-single-standby-4nodes", []string{"iis"}, ""},
		{"iis-single-standby-2of4", []string{"group.iis"}, ""},
		{"iis-mutual-standby", []string{"iis1", "iis2"}, ""},
		{"server-scan-standby", []string{"server_scan.mail"}, "mailsv fail#1 server_scan.mail"},
		{"server-scan-single", []string{"mail"}, "mailsv fail#1 server_scan.mail; WinNT01 fail#1 server_scan.mail"},
		{"wsmgr-server-group", []string{"web"}, ""},
		{"groupmax-status-files", []string{"sts"}, "objsv fail#1 status_file.sts"},
	}
	for _, tt := range tests {
		t.Run(tt.example, func(t *testing.T) {
			cfg := loadExample(t, tt.example)
			rep, err := Run(cfg, Options{Scenarios: SingleFailures(cfg), Expect: tt.expect})
			if err != nil {
				t.Fatal(err)
			}
			if got := violations(rep); got != tt.want {
				t.Errorf("violations:\n got %s\nwant %s", got, tt.want)
			}
			if rep.OK() != (tt.want == "") {
				t.Errorf("OK() = %t", rep.OK())
			}
		})
	}
}

func TestSingleFailuresNameEveryMachineAndScanServer(t *testing.T) {
	cfg := loadExample(t, "server-scan-standby")
	var names []string
	for _, s := range SingleFailures(cfg) {
		names = append(names, s.Name)
	}
	if got, want := strings.Join(names, ", "), "mailsv fail, WinNT01 fail, WinNT02 fail, WinNT03 fail, WinNT04 fail"; got != want {
		t.Errorf("scenarios: %s, want %s", got, want)
	}
}

func TestExpectationsAreCheckedAfterEveryStep(t *testing.T) {
	b := newBuilder()
	c := b.cluster("web", "sv1", "sv2")
	b.group(c, "iis", false, "sv1", "sv2")
	rep := runOne(t, b.cfg, "fail sv1,sv2; recover sv2", "iis")
	if got := violations(rep); got != "sv1, sv2 fail, then sv2 recover#1 group.iis" {
		t.Errorf("violations: %s", got)
	}
	if len(rep.Scenarios[0].Down) != 0 {
		t.Errorf("down at the end: %v (iis restarted on sv2)", rep.Scenarios[0].Down)
	}
}

func TestNamesAreResolvedOrRefused(t *testing.T) {
	b := newBuilder()
	c := b.cluster("web", "sv1", "sv2")
	b.group(c, "iis", false, "sv1", "sv2")
	b.scan("mail", "WinNT01")
	b.statusFile("sts1", 2)
	b.cluster("db", "sv1", "dbsv")
	b.node("sts1") // a machine named like a status file
	tests := []struct {
		events, expect, err string
	}{
		{"fail sv9", "", `"sv9" names no node, scan server or status file of the configuration (known: dbsv, mailsv, objsv, sts1, sv1, sv2, WinNT01, sts1)`},
		{"fail sts1", "", `"sts1" is ambiguous: it names node.sts1, status_file.sts1; give the address`},
		{"fail sv1:A", "", `"sv1:A": only a status file takes a side (:A or :B)`},
		{"fail status_file.sts1:C", "", `the side after ':' must be A or B`},
		{"fail cluster.web.node.sv3", "", "cluster.web.node.sv3 is not declared in the configuration"},
		{"fail group.iis", "", "group.iis is not declared"},
		{"fail sv1", "nothing", `--expect-available: "nothing" names no failover group`},
		{"fail sv1", "cluster.web", "--expect-available: cluster.web is not a service"},
		{"fail sv1", "", ""},
		{"fail status_file.sts1:b", "", ""},
	}
	for _, tt := range tests {
		ev := steps(tt.events)
		var expect []string
		if tt.expect != "" {
			expect = []string{tt.expect}
		}
		rep, err := Run(b.cfg, Options{Scenarios: []Scenario{{Events: ev}}, Expect: expect})
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.events, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s / %s: error %v, want %q", tt.events, tt.expect, err, tt.err)
		case tt.events == "fail sv1" && tt.err == "":
			// A bare machine name fails that machine in every cluster.
			if got := len(rep.Scenarios[0].Steps[0].Targets); got != 2 {
				t.Errorf("sv1 resolved to %v", rep.Scenarios[0].Steps[0].Targets)
			}
		}
	}
}
