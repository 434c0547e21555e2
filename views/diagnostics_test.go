package views

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func testDiagnostics(t *testing.T) (map[string]*hcl.File, hcl.Diagnostics) {
	t.Helper()
	src := "group \"iis\" {\n  cluster = cluster.wbe\n}\n"
	f, diags := hclsyntax.ParseConfig([]byte(src), "main.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	subject := hcl.Range{
		Filename: "main.hcl",
		Start:    hcl.Pos{Line: 2, Column: 13, Byte: 26},
		End:      hcl.Pos{Line: 2, Column: 24, Byte: 37},
	}
	return map[string]*hcl.File{"main.hcl": f}, hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "Reference to undeclared object", Detail: "There is no cluster.wbe in this configuration. Did you mean cluster.web?", Subject: &subject},
		{Severity: hcl.DiagWarning, Summary: "Value for undeclared variable", Detail: "No variable \"x\" is declared."},
	}
}

func TestWriteDiagnosticsShowsSnippet(t *testing.T) {
	files, diags := testDiagnostics(t)
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, files, diags, false, 0); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Error: Reference to undeclared object",
		"on main.hcl line 2, column 13, in group \"iis\":",
		"cluster = cluster.wbe",
		"Did you mean cluster.web?",
		"Warning: Value for undeclared variable",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("colour codes with color=false:\n%q", out)
	}
}

func TestWriteDiagnosticsColour(t *testing.T) {
	files, diags := testDiagnostics(t)
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, files, diags, true, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[") {
		t.Errorf("no colour codes with color=true:\n%q", b.String())
	}
}

func TestDiagnosticsJSON(t *testing.T) {
	_, diags := testDiagnostics(t)
	got, err := json.Marshal(DiagnosticsJSON(diags))
	if err != nil {
		t.Fatal(err)
	}
	var v []any
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatal(err)
	}
	want := []any{
		map[string]any{
			"severity": "error",
			"summary":  "Reference to undeclared object",
			"detail":   "There is no cluster.wbe in this configuration. Did you mean cluster.web?",
			"range": map[string]any{
				"filename": "main.hcl",
				"start":    map[string]any{"line": float64(2), "column": float64(13), "byte": float64(26)},
				"end":      map[string]any{"line": float64(2), "column": float64(24), "byte": float64(37)},
			},
		},
		map[string]any{
			"severity": "warning",
			"summary":  "Value for undeclared variable",
			"detail":   "No variable \"x\" is declared.",
		},
	}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	if got, _ := json.Marshal(DiagnosticsJSON(nil)); string(got) != "[]" {
		t.Errorf("no diagnostics: %s, want []", got)
	}
}
