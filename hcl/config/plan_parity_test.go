package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro"
	"github.com/clusterctl/cluster/providers/servergroup"
	"github.com/clusterctl/cluster/providers/serverscan"
	"github.com/clusterctl/cluster/providers/statusfile"
)

// Validate must catch everything plan would refuse from the configuration alone, and say where:
// plan reports such an error without a location, after connecting to nodes. These tests run
// both sides on the same configurations.

// configChecker is a unit whose Plan also reports errors that depend on the configuration alone
// (status files, scan servers); they are part of the plan side.
type configChecker interface {
	ConfigDiagnostics() []planner.Diagnostic
}

// planRejects runs what plan runs before observing any node: every provider's Units, and the
// configuration-only checks of each unit. It returns why plan refuses cfg, or "" when it does
// not. A panic (a configuration with load errors can hold nil references) is reported as such.
func planRejects(cfg *config.Config) (reason string, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			reason, panicked = fmt.Sprint(r), true
		}
	}()
	providers := []planner.Provider{clusterpro.Provider{}, statusfile.Provider{}, serverscan.Provider{}, servergroup.Provider{}}
	for _, p := range providers {
		units, err := p.Units(cfg)
		if err != nil {
			return p.Name() + ": " + err.Error(), false
		}
		for _, u := range units {
			c, ok := u.(configChecker)
			if !ok {
				continue
			}
			for _, d := range c.ConfigDiagnostics() {
				if d.Severity == planner.SeverityError {
					return p.Name() + ": " + d.Summary + ": " + d.Detail, false
				}
			}
		}
	}
	return "", false
}

// planExpectation is expect.txt of an invalid case: summary, line, file, and "plan: reject"
// for a case that plan refuses too.
type planExpectation struct {
	summary, file string
	line          int
	planRejects   bool
}

func readPlanExpectation(t *testing.T, path string) planExpectation {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := planExpectation{file: "main.hcl"}
	for _, ln := range strings.Split(string(data), "\n") {
		key, val, _ := strings.Cut(ln, ":")
		val = strings.TrimSpace(val)
		switch key {
		case "summary":
			e.summary = val
		case "line":
			e.line, _ = strconv.Atoi(val)
		case "file":
			e.file = val
		case "plan":
			e.planRejects = val == "reject"
		}
	}
	return e
}

// The cases of testdata/invalid marked "plan: reject" are configurations that plan refuses:
// each must be refused by plan (so the marking stays true) and by validate, with the expected
// diagnostic at its file and line.
func TestValidateCatchesWhatPlanRejects(t *testing.T) {
	const dir = "../../testdata/invalid"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, e := range entries {
		caseDir := filepath.Join(dir, e.Name())
		want := readPlanExpectation(t, filepath.Join(caseDir, "expect.txt"))
		t.Run(e.Name(), func(t *testing.T) {
			loaded, diags := config.Load(caseDir, config.LoadOptions{})
			if loaded.Config == nil {
				if want.planRejects {
					t.Fatalf("marked plan: reject, but loading stopped before building a configuration:\n%s", diags.Error())
				}
				return
			}
			reason, panicked := planRejects(loaded.Config)
			if want.planRejects {
				marked++
				if reason == "" || panicked {
					t.Fatalf("marked plan: reject, but plan accepts it (panicked: %v %s)", panicked, reason)
				}
				if !hasDiagnostic(diags, want.summary, want.file, want.line) {
					t.Fatalf("plan refuses it (%s), but validate does not report %q at %s:%d; got:\n%s",
						reason, want.summary, want.file, want.line, describe(diags))
				}
			}
			if reason != "" && !panicked && !hasLocatedError(diags) {
				t.Errorf("plan refuses it (%s), but validate reports no located error", reason)
			}
		})
	}
	if marked < 15 {
		t.Errorf("only %d cases are marked plan: reject; every plan-side error needs one", marked)
	}
}

// Every valid configuration and every example is accepted by plan's configuration checks as it
// is by validate: validate is not stricter than plan about what plan can render.
func TestPlanAcceptsWhatValidateAccepts(t *testing.T) {
	var dirs []string
	for _, pattern := range []string{"../../testdata/valid/*", "../../examples/*"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, m...)
	}
	for _, d := range dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			continue
		}
		if hcl, _ := filepath.Glob(filepath.Join(d, "*.hcl")); len(hcl) == 0 {
			continue // not a configuration (examples/ci holds pipelines)
		}
		t.Run(filepath.Base(d), func(t *testing.T) {
			loaded, diags := config.Load(d, config.LoadOptions{})
			if diags.HasErrors() {
				t.Fatalf("validate refuses it:\n%s", describe(diags))
			}
			if reason, _ := planRejects(loaded.Config); reason != "" {
				t.Errorf("validate accepts it, plan refuses it: %s", reason)
			}
		})
	}
}

func hasDiagnostic(diags hcl.Diagnostics, summary, file string, line int) bool {
	for _, d := range diags {
		if d.Summary == summary && d.Subject != nil && d.Subject.Start.Line == line && filepath.Base(d.Subject.Filename) == file {
			return true
		}
	}
	return false
}

func hasLocatedError(diags hcl.Diagnostics) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Subject != nil && d.Subject.Filename != "" && d.Subject.Start.Line > 0 {
			return true
		}
	}
	return false
}

func describe(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		fmt.Fprintf(&b, "  line %d: %s: %s\n", line, d.Summary, d.Detail)
	}
	return b.String()
}
