package simulate

import (
	"strings"
	"testing"
)

// serving renders who carries the load after every step: "WinNT01,WinNT02 | WinNT02 | STOPPED".
func serving(r ScenarioReport) string {
	var out []string
	for _, s := range append([]Snapshot{r.Start}, snaps(r)...) {
		h := s.ScanHosts[0]
		v := strings.Join(h.Serving, ",")
		if h.Mode == ScanStopped {
			v = "STOPPED"
		}
		if h.Mode == ScanStandby {
			v = "standby:" + v
		}
		out = append(out, v)
	}
	return strings.Join(out, " | ")
}

// The cases of seed 000, 4.8 (3)-(5).
func TestSeedServerScanCases(t *testing.T) {
	tests := []struct {
		name    string
		servers []string
		events  string
		want    string
	}{
		{"(3) single server: it does every check", []string{"WinNT01"},
			"fail WinNT02x", ""},
		{"(3) single server fails: the Server-Scan service stops", []string{"WinNT01"},
			"fail WinNT01", "WinNT01 | STOPPED"},
		{"(4) no standby: load spread over every normal server", []string{"WinNT01", "WinNT02", "WinNT03"},
			"fail WinNT02", "WinNT01,WinNT02,WinNT03 | WinNT01,WinNT03"},
		{"(4) no standby: n servers fail, the rest carry on", []string{"WinNT01", "WinNT02", "WinNT03"},
			"fail WinNT01,WinNT02", "WinNT01,WinNT02,WinNT03 | WinNT03"},
		{"(4) no standby: none left, the service stops", []string{"WinNT01", "WinNT02"},
			"fail WinNT01; fail WinNT02", "WinNT01,WinNT02 | WinNT02 | STOPPED"},
		{"(4) a reattached server rejoins the load spreading", []string{"WinNT01", "WinNT02"},
			"fail WinNT01; recover WinNT01", "WinNT01,WinNT02 | WinNT02 | WinNT01,WinNT02"},
		{"(5) standby idle while a normal server is connected", []string{"WinNT01", "WinNT02", "WinNT03/standby", "WinNT04/standby"},
			"fail WinNT01", "WinNT01,WinNT02 | WinNT02"},
		{"(5) every normal server down: the standby servers share the load", []string{"WinNT01", "WinNT02", "WinNT03/standby", "WinNT04/standby"},
			"fail WinNT01; fail WinNT02", "WinNT01,WinNT02 | WinNT02 | standby:WinNT03,WinNT04"},
		{"(5) a reattached normal server takes over again", []string{"WinNT01", "WinNT02", "WinNT03/standby", "WinNT04/standby"},
			"fail WinNT01,WinNT02; recover WinNT02", "WinNT01,WinNT02 | standby:WinNT03,WinNT04 | WinNT02"},
		{"(5) no standby left either: the service stops", []string{"WinNT01", "WinNT02", "WinNT03/standby", "WinNT04/standby"},
			"fail WinNT01,WinNT02; fail WinNT03; fail WinNT04", "WinNT01,WinNT02 | standby:WinNT03,WinNT04 | standby:WinNT04 | STOPPED"},
		{"the Server-Scan host itself down: the service stops", []string{"WinNT01", "WinNT02"},
			"fail mailsv", "WinNT01,WinNT02 | STOPPED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder()
			b.scan("mail", tt.servers...)
			ev := steps(tt.events)
			rep, err := Run(b.cfg, Options{Scenarios: []Scenario{{Events: ev}}})
			if tt.want == "" { // an unknown name is refused
				if err == nil {
					t.Fatal("an unknown scan server was accepted")
				}
				rep, err = Run(b.cfg, Options{Scenarios: []Scenario{{}}})
				if err != nil || serving(rep.Scenarios[0]) != "WinNT01" {
					t.Fatalf("start: %v %v", err, rep)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := serving(rep.Scenarios[0]); got != tt.want {
				t.Errorf("load:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestScanChangesNarrate(t *testing.T) {
	b := newBuilder()
	b.scan("mail", "WinNT01", "WinNT02", "WinNT03/standby")
	rep := runOne(t, b.cfg, "fail WinNT01; fail WinNT02; recover WinNT01; fail WinNT01,WinNT03")
	var got []string
	for _, s := range rep.Scenarios[0].Steps {
		for _, c := range s.Changes {
			got = append(got, string(c.Kind)+": "+c.Summary+" ["+strings.Join(c.Details, "; ")+"]")
		}
	}
	want := []string{
		"load: load spread over WinNT02 [files WinNT01 was checking move to WinNT02]",
		"load: every normal server is INACT: the standby servers WinNT03 take the load [files WinNT02 was checking move to WinNT03]",
		"load: normal server WinNT01 is reattached and takes the load again [standby servers WinNT03 finish the files they are checking, then wait again]",
		"down: no scan server is connected: the Server-Scan service stops []",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if idle := rep.Scenarios[0].Start.ScanHosts[0].Idle; len(idle) != 1 || idle[0] != "WinNT03" {
		t.Errorf("idle standby at the start: %v", idle)
	}
}
