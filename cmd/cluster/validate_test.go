package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/views"
)

func runCmd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	g := &globals{noColor: true}
	var cmd = newValidateCmd(g)
	if args[0] == "fmt" {
		cmd = newFmtCmd(g)
	}
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true // as under the root command
	cmd.SetArgs(args[1:])
	err := cmd.Execute()
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
	default:
		t.Fatalf("%v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

func TestValidateCommand(t *testing.T) {
	out, _, code := runCmd(t, "validate", "../../testdata/valid/services")
	if code != 0 || !strings.Contains(out, "Success! The configuration is valid.") {
		t.Errorf("valid: code %d, output %q", code, out)
	}

	_, errOut, code := runCmd(t, "validate", "../../testdata/invalid/dependency_cycle")
	if code != 1 || !strings.Contains(errOut, "Error: Resource dependency cycle") || !strings.Contains(errOut, "depends_on = [exec.exec1]") {
		t.Errorf("invalid: code %d, stderr %q", code, errOut)
	}

	// --json: a stream of JSON lines, version first and validate_summary last.
	out, _, code = runCmd(t, "validate", "--json", "../../testdata/invalid/empty_policy")
	type line struct {
		Type       string                `json:"type"`
		Level      string                `json:"@level"`
		UI         string                `json:"ui"`
		Diagnostic *views.JSONDiagnostic `json:"diagnostic"`
		Valid      *bool                 `json:"valid"`
		ErrorCount int                   `json:"error_count"`
	}
	var lines []line
	for l := range strings.Lines(out) {
		var m line
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("--json: line %q is not JSON: %v", l, err)
		}
		lines = append(lines, m)
	}
	if code != 1 || len(lines) != 3 {
		t.Fatalf("--json: code %d, %d lines, want 1 and 3:\n%s", code, len(lines), out)
	}
	if v := lines[0]; v.Type != "version" || v.UI != views.JSONUIVersion {
		t.Errorf("first line %+v, want the version", v)
	}
	if d := lines[1]; d.Type != "diagnostic" || d.Level != "error" || d.Diagnostic.Summary != "Empty policy" || d.Diagnostic.Range.Start.Line != 17 {
		t.Errorf("second line %+v, want the Empty policy diagnostic", d)
	}
	if s := lines[2]; s.Type != "validate_summary" || s.Valid == nil || *s.Valid || s.ErrorCount != 1 {
		t.Errorf("last line %+v, want an invalid validate_summary", s)
	}

	_, errOut, code = runCmd(t, "validate", "--var", "nope=1", "../../testdata/valid/services")
	if code != 1 || !strings.Contains(errOut, "Value for undeclared variable") {
		t.Errorf("--var: code %d, stderr %q", code, errOut)
	}
}

func TestFmtCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.hcl")
	if err := os.WriteFile(path, []byte("cluster \"web\" {\nplatform=\"linux\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCmd(t, "fmt", "--check", "--diff", dir)
	if code != 1 || !strings.Contains(out, path) || !strings.Contains(out, "+  platform = \"linux\"") {
		t.Errorf("--check --diff: code %d, output %q", code, out)
	}
	out, _, code = runCmd(t, "fmt", dir)
	if code != 0 || strings.TrimSpace(out) != path {
		t.Errorf("fmt: code %d, output %q", code, out)
	}
	if _, _, code = runCmd(t, "fmt", "--check", dir); code != 0 {
		t.Errorf("--check after fmt: code %d", code)
	}
}

// validate, like terraform validate, needs no variable values: the example without its
// defaults is valid, with a warning naming the checks that waited; plan still needs them.
func TestValidateWithoutVariableValues(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"cluster.hcl", "connection.hcl"} {
		b, err := os.ReadFile(filepath.Join("../../examples/linux-mirror-exec", name))
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		if name == "connection.hcl" {
			start := strings.Index(src, "  default = {")
			end := strings.Index(src[start:], "\n  }\n") + start + len("\n  }\n")
			src = src[:start] + src[end:]
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := runCmd(t, "validate", dir)
	if code != 0 || !strings.Contains(out, "Success!") {
		t.Fatalf("validate without var.hosts: code %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"Warning: Checks waiting for values", "No value was given for var.hosts", "cluster.cluster.node.sv1 address"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	_, errOut, code = runRoot(t, nil, "plan", dir)
	if code != 1 || !strings.Contains(errOut, "Missing required variable") {
		t.Errorf("plan without var.hosts: code %d, stderr:\n%s", code, errOut)
	}
}
