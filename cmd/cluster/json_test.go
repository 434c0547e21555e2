package main

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
)

type line struct {
	Type       string `json:"type"`
	Level      string `json:"@level"`
	Message    string `json:"@message"`
	Diagnostic *struct {
		Severity, Summary string
		Range             *struct{ Filename string }
	} `json:"diagnostic"`
	Changes *struct{ Operation string } `json:"changes"`
	Errored bool                        `json:"errored"`
	Outcome *struct {
		Status string
		Error  *string
	} `json:"outcome"`
}

func streamLines(t *testing.T, out string) []line {
	t.Helper()
	var lines []line
	for l := range strings.Lines(out) {
		var m line
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func typesOf(lines []line) string {
	var ts []string
	for _, l := range lines {
		ts = append(ts, l.Type)
	}
	return strings.Join(ts, " ")
}

// A run that stops before it has a plan still streams: version, the error, the summary.
func TestJSONStreamOfEarlyFailures(t *testing.T) {
	out, errOut, code := runRoot(t, nil, "plan", "--json", "../../testdata/invalid/empty_policy")
	lines := streamLines(t, out)
	if code != 1 || errOut != "" || typesOf(lines) != "version diagnostic change_summary" {
		t.Fatalf("plan --json of an invalid configuration: exit %d, stderr %q, types %s", code, errOut, typesOf(lines))
	}
	if d := lines[1].Diagnostic; d.Summary != "Empty policy" || d.Range == nil || !strings.HasSuffix(d.Range.Filename, "main.hcl") {
		t.Errorf("diagnostic %+v", d)
	}
	if s := lines[2]; !s.Errored || s.Changes.Operation != "plan" || s.Level != "error" {
		t.Errorf("summary %+v", s)
	}

	out, errOut, code = runRoot(t, nil, "apply", "--json", "../../testdata/valid/services")
	lines = streamLines(t, out)
	if code != 1 || errOut != "" || typesOf(lines) != "version diagnostic change_summary" {
		t.Fatalf("apply --json without --auto-approve: exit %d, stderr %q, types %s", code, errOut, typesOf(lines))
	}
	if s := lines[2]; s.Changes != nil || s.Outcome == nil || s.Outcome.Status != "failed" || !strings.Contains(*s.Outcome.Error, "--auto-approve") {
		t.Errorf("summary %+v", s)
	}
}

func savedPlan(t *testing.T) string {
	t.Helper()
	p := &planner.Plan{
		FormatVersion: planner.FormatVersion,
		CreatedAt:     time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
		ConfigDir:     "web",
		Observed:      map[string]string{"cluster.web.node.sv1": "aa01"},
		Changes: []planner.Change{{
			Addr:   addrs.Cluster("web"),
			Action: planner.Update,
			Attrs:  []planner.AttrChange{{Name: "comment", Before: planner.String("a"), After: planner.String("b")}},
		}},
	}
	file := filepath.Join(t.TempDir(), "web.plan")
	if err := planner.WritePlanFile(file, p); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestShowFormats(t *testing.T) {
	file := savedPlan(t)
	out, _, code := runRoot(t, nil, "show", "--format", "markdown", file)
	if code != 0 || !strings.HasPrefix(out, "**Plan:** 0 to add, 1 to change, 0 to destroy\n") || !strings.Contains(out, "+ comment = \"b\"") {
		t.Errorf("--format markdown: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"--json"}, {"--format", "json"}, {"--json", "--format", "json"}} {
		out, _, code = runRoot(t, nil, append(append([]string{"show"}, args...), file)...)
		var doc struct {
			FormatVersion string            `json:"format_version"`
			Observed      map[string]string `json:"observed"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 0 || doc.FormatVersion != "1.0" ||
			doc.Observed["cluster.web.node.sv1"] != "sha256:aa01" {
			t.Errorf("show %v: exit %d, %v\n%s", args, code, err, out)
		}
	}
	for _, args := range [][]string{{"--format", "yaml"}, {"--json", "--format", "markdown"}} {
		if _, errOut, code := runRoot(t, nil, append(append([]string{"show"}, args...), file)...); code != 1 || !strings.Contains(errOut, "--format") {
			t.Errorf("show %v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

func TestCheckSavedPlan(t *testing.T) {
	change := planner.Change{Addr: addrs.Cluster("web"), Action: planner.Update,
		Attrs: []planner.AttrChange{{Name: "comment", Before: planner.String("a"), After: planner.String("b")}}}
	saved := &planner.Plan{Changes: []planner.Change{change}}

	// Applied already: the fresh plan has nothing left to do.
	err := checkSavedPlan(saved, &planner.Plan{Changes: []planner.Change{{Addr: addrs.Cluster("web"), Action: planner.NoOp}}})
	if !errors.Is(err, planner.ErrStalePlan) || !strings.Contains(err.Error(), "Saved plan is stale") || !strings.Contains(err.Error(), "applied already") {
		t.Errorf("applied plan: %v", err)
	}
	// Something else changed meanwhile.
	other := change
	other.Attrs = []planner.AttrChange{{Name: "comment", Before: planner.String("x"), After: planner.String("b")}}
	if err := checkSavedPlan(saved, &planner.Plan{Changes: []planner.Change{other}}); !errors.Is(err, planner.ErrStalePlan) ||
		!strings.Contains(err.Error(), "changed since this plan was made") {
		t.Errorf("changed nodes: %v", err)
	}
	// The same changes: go ahead (apply checks again under the lock).
	if err := checkSavedPlan(saved, &planner.Plan{Changes: []planner.Change{change}}); err != nil {
		t.Errorf("same plan: %v", err)
	}
	// Nothing saved, nothing now: "No changes" is right.
	if err := checkSavedPlan(&planner.Plan{}, &planner.Plan{}); err != nil {
		t.Errorf("empty plans: %v", err)
	}
	// A fresh plan with errors is shown, not called stale.
	if err := checkSavedPlan(saved, &planner.Plan{Errored: true}); err != nil {
		t.Errorf("errored fresh plan: %v", err)
	}
}
