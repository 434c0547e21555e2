package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func fleetDir() string { return filepath.Join("..", "..", "examples", "fleet") }

func TestOutputPrintsEveryOutput(t *testing.T) {
	stdout, stderr, code := runRoot(t, nil, "output", "--dir", fleetDir(), "virtual_ips")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "{\n  fukuoka = \"10.3.0.100\"\n  nagoya  = \"10.2.0.100\"\n  osaka   = \"10.1.0.100\"\n}\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("output virtual_ips (-want +got):\n%s", diff)
	}
	stdout, _, code = runRoot(t, nil, "output", "--dir", fleetDir(), "--json", "--var", `hosts={osaka1={address="a",port=1},osaka2={address="b",port=1},nagoya1={address="c",port=1},nagoya2={address="d",port=1},fukuoka1={address="e",port=1},fukuoka2={address="f",port=1}}`)
	if code != 0 || !strings.Contains(stdout, `"virtual_ips": {`) || !strings.Contains(stdout, `"sensitive": false`) {
		t.Errorf("output --json: exit %d\n%s", code, stdout)
	}
	_, stderr, code = runRoot(t, nil, "output", "--dir", fleetDir(), "vips")
	if code != 1 || !strings.Contains(stderr, `no output "vips"`) || !strings.Contains(stderr, "clusters, virtual_ips") {
		t.Errorf("unknown output: exit %d, %s", code, stderr)
	}
}

func TestOutputHidesSensitive(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.hcl"), `
variable "password" {
  type      = string
  default   = "hunter2"
  sensitive = true
}
output "password" {
  value     = var.password
  sensitive = true
}
`)
	for _, args := range [][]string{{"output", "--dir", dir}, {"output", "--dir", dir, "password"}, {"output", "--dir", dir, "--json"}, {"output", "--dir", dir, "--json", "password"}} {
		stdout, stderr, code := runRoot(t, nil, args...)
		if code != 0 || strings.Contains(stdout+stderr, "hunter2") || !strings.Contains(stdout, "sensitive") {
			t.Errorf("%v: exit %d, stdout %q", args, code, stdout)
		}
	}
}

func TestConsoleEvaluatesLines(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.hcl"), `
variable "password" {
  type      = string
  default   = "hunter2"
  sensitive = true
}
locals {
  branches = ["osaka", "nagoya"]
}
`)
	in := strings.NewReader("upper(local.branches[0])\n\n# a comment\nvar.password\nlocal.nope\n[for b in local.branches : strlen(b)]\n")
	stdout, stderr, code := runRoot(t, in, "console", "--dir", dir)
	want := "\"OSAKA\"\n(sensitive)\n[5, 6]\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("console (-want +got):\n%s", diff)
	}
	if code != 1 || !strings.Contains(stderr, "local.nope") && !strings.Contains(stderr, `"nope"`) {
		t.Errorf("a failed line: exit %d, stderr %q", code, stderr)
	}
}

func TestGraphDrawsDependencies(t *testing.T) {
	stdout, stderr, code := runRoot(t, nil, "graph", "--dir", filepath.Join("..", "..", "examples", "iis-mutual-standby"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"digraph cluster {",
		`"group.iis1.exec.iis1" -> "group.iis1.vip.vip1" [label = "depends_on"];`,
		`"group.iis1.exec.iis1" -> "script.iis_mutual" [label = "script"];`,
		`"group.iis2" -> "cluster.web.node.sv2" [label = "policy"];`,
		`"group.iis1" -> "cluster.web" [label = "in"];`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("graph lacks %s\n%s", want, stdout)
		}
	}
	again, _, _ := runRoot(t, nil, "graph", "--dir", filepath.Join("..", "..", "examples", "iis-mutual-standby"))
	if again != stdout {
		t.Error("graph is not deterministic")
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
