package views

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/simulate"
)

func simReport(t *testing.T, example string, events []simulate.Event, expect ...string) *simulate.Report {
	t.Helper()
	l, diags := config.Load(filepath.Join("..", "examples", example), config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	rep, err := simulate.Run(l.Config, simulate.Options{
		Scenarios: []simulate.Scenario{{Name: simulate.Describe(events), Events: events}}, Expect: expect})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestSimulateHuman(t *testing.T) {
	rep := simReport(t, "iis-single-standby-2of4", []simulate.Event{
		{Action: simulate.Fail, Names: []string{"sv1"}}, {Action: simulate.Fail, Names: []string{"sv2"}},
	}, "iis")
	var b bytes.Buffer
	if err := NewSimulateHuman(&b, false).Report(rep); err != nil {
		t.Fatal(err)
	}
	want := `Scenario: sv1 fail, then sv2 fail

  Start
    group.iis              on sv1 (policy sv1, sv2)

  Step 1: sv1 fail
    cluster.web            sv1 down (3 of 4 servers up)
                           monitor cluster.web.monitor.userw no longer runs on sv1
    group.iis              fails over from sv1 to sv2

  Step 2: sv2 fail
    cluster.web            sv2 down (2 of 4 servers up)
                           monitor cluster.web.monitor.userw no longer runs on sv2
    group.iis              sv2 is down and no node of its policy (sv1, sv2) is left: the cluster can no longer serve it

  Result: down at the end: group.iis

Expectation failed: group.iis is down in 1 of 1 scenarios:
  - sv1 fail, then sv2 fail, step 2: no node of its policy (sv1, sv2) is up
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := NewSimulateHuman(&b, true).Report(rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ansiRed+"sv2 is down") {
		t.Errorf("a group going down is not red:\n%q", b.String())
	}
}

func TestSimulateJSONListsAreNeverNull(t *testing.T) {
	rep := simReport(t, "server-scan-single", []simulate.Event{{Action: simulate.Fail, Names: []string{"WinNT01"}}})
	var b bytes.Buffer
	if err := NewSimulateJSON(&b).Report(rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "null") {
		t.Errorf("null in the document:\n%s", b.String())
	}
	var doc struct {
		OK        bool `json:"ok"`
		Scenarios []struct {
			Steps []struct {
				Changes []struct{ Kind, Summary string } `json:"changes"`
				State   struct {
					ServerScans []struct {
						Mode  string   `json:"mode"`
						Inact []string `json:"inact"`
					} `json:"server_scans"`
				} `json:"state"`
			} `json:"steps"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	st := doc.Scenarios[0].Steps[0]
	if !doc.OK || st.Changes[0].Kind != "down" || st.State.ServerScans[0].Mode != "stopped" || st.State.ServerScans[0].Inact[0] != "WinNT01" {
		t.Errorf("document: %+v", doc)
	}
}
