package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runOffline runs the binary without any node: simulate --offline reads only the configuration.
func runOffline(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
	cmd.Dir = repoRoot()
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running cluster %v: %v", args, err)
	}
	return r
}

// jsonSimulation is the part of `simulate --json` the tests read.
type jsonSimulation struct {
	FormatVersion string `json:"format_version"`
	OK            bool   `json:"ok"`
	Scenarios     []struct {
		Name  string `json:"name"`
		Steps []struct {
			Changes []struct {
				Service, Kind, From, To string
			} `json:"changes"`
			State struct {
				Groups []struct {
					Address, Node string
					Available     bool
				} `json:"groups"`
				ServerScans []struct {
					Mode    string
					Serving []string
				} `json:"server_scans"`
			} `json:"state"`
		} `json:"steps"`
		Down []string `json:"down"`
	} `json:"scenarios"`
	Violations []struct {
		Scenario, Service string
		Step              int
	} `json:"violations"`
}

func TestSimulateOfflineFailoverFigures(t *testing.T) {
	ex := filepath.Join("examples", iis4)

	// Figure 2: SV1, SV2 and SV3 fail one after the other; SV4 serves.
	r := runOffline(t, "simulate", "--offline", ex, "--fail", "sv1", "--fail", "sv2", "--fail", "sv3", "--expect-available", "iis").must(t, 0, "SV1-3 down")
	for _, want := range []string{
		"Scenario: sv1 fail, then sv2 fail, then sv3 fail",
		"group.iis              fails over from sv1 to sv2",
		"group.iis              fails over from sv3 to sv4",
		"Result: every service is available",
		"Expectation met: group.iis stays available in every scenario (1)",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}

	// All four down: the expectation fails with exit 2, naming the step.
	r = runOffline(t, "simulate", "--offline", ex, "--fail", "sv1,sv2,sv3", "--fail", "sv4", "--expect-available", "group.iis").must(t, 2, "all down")
	if !strings.Contains(r.stdout, "Expectation failed: group.iis is down in 1 of 1 scenarios") ||
		!strings.Contains(r.stdout, "sv1, sv2, sv3 fail, then sv4 fail, step 2: no node of its policy (sv1, sv2, sv3, sv4) is up") {
		t.Errorf("violation not reported:\n%s", r.stdout)
	}

	// Any single node may fail: CI's assertion.
	r = runOffline(t, "simulate", "--offline", "--each-single-node", "--expect-available", "iis", ex, "--json").must(t, 0, "each single node")
	var doc jsonSimulation
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("simulate --json: %v\n%s", err, r.stdout)
	}
	if doc.FormatVersion != "1.0" || !doc.OK || len(doc.Scenarios) != 4 || len(doc.Violations) != 0 {
		t.Errorf("each single node: %+v", doc)
	}
	if s := doc.Scenarios[0]; s.Name != "sv1 fail" || s.Steps[0].State.Groups[0].Node != "sv2" {
		t.Errorf("first scenario: %+v", s)
	}

	// Policy over two of four servers (figures 3-4): losing SV1 and SV2 stops iis although
	// SV3 and SV4 run.
	r = runOffline(t, "simulate", "--offline", "--json", filepath.Join("examples", "iis-single-standby-2of4"),
		"--fail", "sv1", "--fail", "sv2", "--expect-available", "iis").must(t, 2, "2 of 4")
	doc = jsonSimulation{}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OK || len(doc.Violations) != 1 || doc.Violations[0].Step != 2 || doc.Scenarios[0].Down[0] != "group.iis" {
		t.Errorf("2 of 4: %+v", doc)
	}

	// Mutual standby (figures 5-6): SV2 carries both groups after SV1 fails.
	r = runOffline(t, "simulate", "--offline", filepath.Join("examples", "iis-mutual-standby"), "--fail", "sv1").must(t, 0, "mutual")
	if !strings.Contains(r.stdout, "fails over from sv1 to sv2, which now also carries group.iis2") {
		t.Errorf("mutual standby:\n%s", r.stdout)
	}
}

func TestSimulateOfflineScanServersAndErrors(t *testing.T) {
	ex := filepath.Join("examples", "server-scan-standby")
	r := runOffline(t, "simulate", "--offline", "--json", ex, "--fail", "WinNT01,WinNT02", "--recover", "WinNT01").must(t, 0, "standby")
	var doc jsonSimulation
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	steps := doc.Scenarios[0].Steps
	if s := steps[0].State.ServerScans[0]; s.Mode != "standby" || strings.Join(s.Serving, ",") != "WinNT03,WinNT04" {
		t.Errorf("every normal server INACT: %+v", s)
	}
	if s := steps[1].State.ServerScans[0]; s.Mode != "normal" || strings.Join(s.Serving, ",") != "WinNT01" {
		t.Errorf("WinNT01 reattached: %+v", s)
	}

	// The Server-Scan host is a single point of failure: --each-single-node says so.
	r = runOffline(t, "simulate", "--offline", "--each-single-node", "--expect-available", "mail", ex).must(t, 2, "each single node")
	if !strings.Contains(r.stdout, "mailsv fail, step 1: the Server-Scan host is down") {
		t.Errorf("host failure not reported:\n%s", r.stdout)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"simulate", "--offline", ex}, "nothing to simulate"},
		{[]string{"simulate", "--offline", ex, "--fail", "WinNT09"}, `"WinNT09" names no node, scan server or status file`},
		{[]string{"simulate", "--offline", ex, "--fail", "WinNT01", "--expect-available", "nope"}, `--expect-available: "nope" names no failover group`},
		{[]string{"simulate", "--offline", ex, "--fail", ""}, "empty name"},
	} {
		r := runOffline(t, tt.args...).must(t, 1, strings.Join(tt.args, " "))
		if !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: stderr %q, want %q", tt.args, r.stderr, tt.want)
		}
	}
}
