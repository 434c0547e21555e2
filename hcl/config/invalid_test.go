package config

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// invalidDir holds one directory per invalid configuration: main.hcl (and any other files) and
// expect.txt, whose lines "summary: S", "line: N" and optionally "file: F" name a diagnostic
// the load must report.
const invalidDir = "../../testdata/invalid"

type expectation struct {
	summary string
	line    int
	file    string
}

func readExpectation(t *testing.T, path string) expectation {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e := expectation{file: "main.hcl"}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch key {
		case "summary":
			e.summary = val
		case "line":
			if e.line, err = strconv.Atoi(val); err != nil {
				t.Fatalf("%s: line: %v", path, err)
			}
		case "file":
			e.file = val
		}
	}
	if e.summary == "" || e.line == 0 {
		t.Fatalf("%s: needs summary: and line:", path)
	}
	return e
}

func TestInvalidConfigurations(t *testing.T) {
	entries, err := os.ReadDir(invalidDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 45 {
		t.Errorf("only %d invalid cases; the suite needs at least 45", len(entries))
	}
	for _, e := range entries {
		dir := filepath.Join(invalidDir, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			want := readExpectation(t, filepath.Join(dir, "expect.txt"))
			_, diags := Load(dir, LoadOptions{})
			if !diags.HasErrors() {
				t.Fatalf("loaded without errors; want %q at line %d", want.summary, want.line)
			}
			for _, d := range diags {
				if d.Summary == want.summary && d.Subject != nil &&
					d.Subject.Start.Line == want.line && filepath.Base(d.Subject.Filename) == want.file {
					if d.Detail == "" {
						t.Errorf("diagnostic %q has no detail", d.Summary)
					}
					return
				}
			}
			t.Errorf("no %q at %s:%d; got:\n%s", want.summary, want.file, want.line, describe(diags))
		})
	}
}

func describe(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		line := 0
		if d.Subject != nil {
			line = d.Subject.Start.Line
		}
		b.WriteString("  line " + strconv.Itoa(line) + ": " + d.Summary + ": " + d.Detail + "\n")
	}
	return b.String()
}
