package config

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// writeTree writes files (slash paths relative to a new directory) and returns the directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const branchModule = `
variable "name" {
  type = string
}
variable "password" {
  type      = string
  default   = "s3cret"
  sensitive = true
}
cluster "c" {
  name     = var.name
  platform = var.name == "bad" ? "solaris" : "linux"
  node "sv1" {
    address       = "10.0.0.${var.name == "a" ? 11 : 12}"
    interconnects = ["192.168.0.${var.name == "a" ? 11 : 12}"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}
output "name" {
  value = var.name
}
output "password" {
  value     = var.password
  sensitive = true
}
`

func TestModuleDiagnosticNamesTheCall(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.hcl":   "module \"branch\" {\n  source   = \"./m\"\n  for_each = toset([\"a\", \"bad\"])\n  name     = each.key\n}\n",
		"m/main.hcl": branchModule,
	})
	_, diags := Load(dir, LoadOptions{})
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+": "+d.Detail[strings.LastIndex(d.Detail, "(In "):])
	}
	want := []string{`Invalid value: (In module.branch["bad"], called at ` + filepath.Join(dir, "main.hcl") + `:1,1-16.)`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestModuleOutputsAndEvaluate(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.hcl": `
module "branch" {
  source   = "./m"
  for_each = toset(["a", "b"])
  name     = each.key
}
output "names" {
  value = [for k, b in module.branch : b.name]
}
`,
		"m/main.hcl": branchModule,
	})
	loaded, diags := Load(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("diagnostics:\n%s", describe(diags))
	}
	cfg := loaded.Config
	if got := cfg.Outputs["names"].Value; !got.RawEquals(cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})) {
		t.Errorf("output names = %#v", got)
	}
	v, d := cfg.Evaluate(`module.branch["b"].name`)
	if d.HasErrors() || v != cty.StringVal("b") {
		t.Errorf("Evaluate name = %#v, %v", v, d)
	}
	v, d = cfg.Evaluate(`module.branch["a"].password`)
	if d.HasErrors() || !IsSensitive(v) {
		t.Errorf("a sensitive module output must stay sensitive: %#v, %v", v, d)
	}
	b := cfg.Clusters[`module.branch["b"].cluster.c`]
	if b == nil || b.Name != "b" || b.Nodes[0].Addr.String() != `module.branch["b"].cluster.c.node.sv1` {
		t.Fatalf("cluster of instance b: %+v (keys %v)", b, sortedKeys(cfg.Clusters))
	}
	if MapKey(b.Addr) != `module.branch["b"].cluster.c` || MapKey(addrs.Group(addrs.StringKey("web", "hr"))) != `web["hr"]` {
		t.Error("MapKey")
	}
	if !strings.Contains(strings.Join(cfg.Secrets, ","), "s3cret") {
		t.Error("a module's sensitive variable must be a secret of the configuration")
	}
}

// A mistake in a repeated block is reported once, not once per instance.
func TestRepeatedBlockReportsOnce(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.hcl": `
cluster "web" {
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  heartbeat "hb1" {
    interconnect = 0
  }
}
group "g" {
  for_each   = toset(["a", "b", "c"])
  name       = each.key
  cluster    = cluster.web
  policy     = [cluster.web.node.sv1]
  auto_start = "sometimes"
}
`})
	_, diags := Load(dir, LoadOptions{})
	if len(diags) != 1 {
		t.Errorf("want 1 diagnostic, got:\n%s", describe(diags))
	}
}

// The fingerprint a saved plan checks covers module files: editing one is a changed
// configuration.
func TestFingerprintCoversModules(t *testing.T) {
	files := map[string]string{
		"main.hcl":   "module \"branch\" {\n  source = \"./m\"\n  name   = \"a\"\n}\n",
		"m/main.hcl": branchModule,
	}
	dir := writeTree(t, files)
	first, diags := Load(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("diagnostics:\n%s", describe(diags))
	}
	if err := os.WriteFile(filepath.Join(dir, "m", "main.hcl"), []byte(strings.Replace(branchModule, `"linux"`, `"windows"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	second, _ := Load(dir, LoadOptions{})
	if first.Config.Fingerprint == second.Config.Fingerprint {
		t.Error("editing a module file left the fingerprint unchanged")
	}
}

// validate (unknown variables) waits for a for_each whose value it does not know.
func TestUnknownForEachWaits(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.hcl": `
variable "names" {
  type = set(string)
}
script "s" {
  for_each = var.names
  start    = "echo ${each.key}"
  stop     = "echo stop"
}
`})
	_, diags := Load(dir, LoadOptions{UnknownVariables: true})
	if diags.HasErrors() || len(diags) != 1 || !strings.Contains(diags[0].Detail, "for_each") {
		t.Errorf("want one warning naming for_each, got:\n%s", describe(diags))
	}
}

// A saved plan records the module files under the directory too, so that a stale plan names
// the module file that changed; variable files and hidden directories are left out.
func TestFileHashesCoverModuleFiles(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"main.hcl":                    "module \"b\" {\n  source = \"./modules/b\"\n}\n",
		"modules/b/main.hcl":          "output \"x\" {\n  value = 1\n}\n",
		"modules/b/prod.vars.hcl":     "x = 1\n",
		".lab/lab.vars.hcl":           "hosts = {}\n",
		".hidden/other.hcl":           "locals {}\n",
		"scripts/g/exec/start.sh":     "#!/bin/sh\n",
		"modules/b/nested/inner.hcl":  "locals {}\n",
		"modules/b/nested/notes.txt":  "not configuration\n",
		"modules/b/nested/.stash.hcl": "locals {}\n",
	})
	got, err := FileHashes(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	if diff := cmp.Diff([]string{"main.hcl", "modules/b/main.hcl", "modules/b/nested/inner.hcl"}, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}
