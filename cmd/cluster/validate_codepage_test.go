package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// codePageConfig writes a status file on a top-level node that defaults to cmd and sets no
// code_page. The node is unreachable on purpose (no identity file): plan stops at it, after
// the load's diagnostics.
func codePageConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := `node "objsv" {
  address = "127.0.0.1"
  port    = 1
}
status_file "sts" {
  node        = node.objsv
  install_dir = "D:\\HiOBJ"
  logical_file "sts1" {
    a_file = "D:\\HiOBJ\\sts\\sts1a"
    b_file = "E:\\HiOBJ\\sts\\sts1b"
  }
}
ssh {
  identity_files   = ["missing-key"]
  agent            = false
  known_hosts_file = "known_hosts"
  connect_timeout  = "2s"
}
`
	for name, content := range map[string]string{"main.hcl": src, "known_hosts": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// validate accepts a Windows top-level node without code_page (exit 0) and warns at the node,
// with its file, line and column, in text and in JSON; plan shows the same warning before it
// reads the node.
func TestValidateWarnsAboutMissingCodePage(t *testing.T) {
	dir := codePageConfig(t)
	file := filepath.Join(dir, "main.hcl")

	out, errOut, code := runCmd(t, "validate", dir)
	if code != 0 || !strings.Contains(out, "Success! The configuration is valid, but there were some validation warnings") {
		t.Fatalf("validate: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"Warning: Windows node without code_page",
		"on " + file + " line 1, column 1, in node \"objsv\":",
		"code_page = 932",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("validate's stderr lacks %q:\n%s", want, errOut)
		}
	}

	out, _, code = runCmd(t, "validate", "--json", dir)
	if code != 0 {
		t.Fatalf("validate --json: exit %d:\n%s", code, out)
	}
	type diagnostic struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Range    struct {
			Filename string `json:"filename"`
			Start    struct{ Line, Column int }
		} `json:"range"`
	}
	var diags []diagnostic
	valid := false
	for l := range strings.Lines(out) {
		var m struct {
			Type       string      `json:"type"`
			Diagnostic *diagnostic `json:"diagnostic"`
			Valid      *bool       `json:"valid"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("validate --json: line %q: %v", l, err)
		}
		if m.Diagnostic != nil {
			diags = append(diags, *m.Diagnostic)
		}
		if m.Type == "validate_summary" && m.Valid != nil {
			valid = *m.Valid
		}
	}
	if len(diags) != 1 || diags[0].Severity != "warning" || diags[0].Summary != "Windows node without code_page" ||
		diags[0].Range.Filename != file || diags[0].Range.Start.Line != 1 || diags[0].Range.Start.Column != 1 || !valid {
		t.Errorf("validate --json: want one warning at %s:1:1 and valid, got %+v, valid %v:\n%s", file, diags, valid, out)
	}

	_, errOut, _ = runRoot(t, nil, "plan", dir)
	warning := strings.Index(errOut, "Warning: Windows node without code_page")
	if warning < 0 || warning > strings.Index(errOut, "Observing") {
		t.Errorf("plan does not warn before it reads the node:\n%s", errOut)
	}
	out, _, _ = runRoot(t, nil, "plan", "--json", dir)
	if !strings.Contains(out, `"severity":"warning","summary":"Windows node without code_page"`) {
		t.Errorf("plan --json has no code page warning:\n%s", out)
	}
}
