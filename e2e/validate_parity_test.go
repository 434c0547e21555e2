package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// For every invalid configuration that plan refuses from the configuration alone (expect.txt
// says "plan: reject"), the real binary's validate reports it at its file and line, and plan
// stops on the same located diagnostic before connecting to any node.
func TestValidateAndPlanReportPlanSideErrorsLocated(t *testing.T) {
	n := &nodes{t: t, home: t.TempDir()}
	dir := filepath.Join(repoRoot(), "testdata", "invalid")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, e := range entries {
		expect, err := os.ReadFile(filepath.Join(dir, e.Name(), "expect.txt"))
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{"file": "main.hcl"}
		for _, ln := range strings.Split(string(expect), "\n") {
			if k, v, ok := strings.Cut(ln, ":"); ok {
				fields[k] = strings.TrimSpace(v)
			}
		}
		if fields["plan"] != "reject" {
			continue
		}
		cases++
		line, _ := strconv.Atoi(fields["line"])
		caseDir := filepath.Join("testdata", "invalid", e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			r := n.run("validate", "--json", caseDir).must(t, 1, "validate")
			// validate --json is a stream of JSON lines; the diagnostics are the "diagnostic" ones.
			type diagnostic struct {
				Summary string `json:"summary"`
				Detail  string `json:"detail"`
				Range   *struct {
					Filename string `json:"filename"`
					Start    struct{ Line, Column int }
				} `json:"range"`
			}
			var diags []diagnostic
			for _, ln := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
				var msg struct {
					Type       string     `json:"type"`
					Diagnostic diagnostic `json:"diagnostic"`
				}
				if err := json.Unmarshal([]byte(ln), &msg); err != nil {
					t.Fatalf("validate --json line %q: %v", ln, err)
				}
				if msg.Type == "diagnostic" {
					diags = append(diags, msg.Diagnostic)
				}
			}
			found := false
			for _, d := range diags {
				if d.Summary == fields["summary"] && d.Range != nil && d.Range.Start.Line == line &&
					filepath.Base(d.Range.Filename) == fields["file"] && d.Range.Start.Column > 0 && d.Detail != "" {
					found = true
				}
			}
			if !found {
				t.Fatalf("validate does not report %q at %s:%d:\n%s", fields["summary"], fields["file"], line, r.stdout)
			}
			p := n.run("plan", caseDir).must(t, 1, "plan")
			if where := fmt.Sprintf("%s line %d", fields["file"], line); !strings.Contains(p.stderr, where) || !strings.Contains(p.stderr, fields["summary"]) {
				t.Errorf("plan does not stop on %q at %s:\n%s", fields["summary"], where, p.stderr)
			}
		})
	}
	if cases == 0 {
		t.Fatal("no invalid case is marked plan: reject")
	}
}
