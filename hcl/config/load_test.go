package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// writeDir writes files (name -> content) into a new temporary directory.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func mustLoad(t *testing.T, dir string, opts LoadOptions) *Config {
	t.Helper()
	loaded, diags := Load(dir, opts)
	if diags.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", describe(diags))
	}
	return loaded.Config
}

func summaries(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Summary)
	}
	return out
}

const regionVar = `
variable "region" {
  type    = string
  default = "default"
}
variable "count" {
  type    = number
  default = 1
}
`

func TestVariablePrecedence(t *testing.T) {
	tests := map[string]struct {
		files   map[string]string
		opts    LoadOptions
		want    string
		wantNum int64
	}{
		"default": {
			want: "default", wantNum: 1,
		},
		"environment beats default": {
			opts: LoadOptions{Environ: []string{"CLUSTER_VAR_region=env", "CLUSTER_VAR_count=2", "UNRELATED=x"}},
			want: "env", wantNum: 2,
		},
		"auto vars file beats environment": {
			files: map[string]string{"a.auto.vars.hcl": `region = "auto"`},
			opts:  LoadOptions{Environ: []string{"CLUSTER_VAR_region=env"}},
			want:  "auto", wantNum: 1,
		},
		"auto vars files apply in lexical order": {
			files: map[string]string{"a.auto.vars.hcl": `region = "a"`, "b.auto.vars.hcl": `region = "b"`},
			want:  "b", wantNum: 1,
		},
		"var file beats auto vars": {
			files: map[string]string{"a.auto.vars.hcl": `region = "auto"`, "prod.vars.hcl": "region = \"file\"\ncount = 3"},
			opts:  LoadOptions{VarFiles: []string{"prod.vars.hcl"}},
			want:  "file", wantNum: 3,
		},
		"plain vars file is not auto-loaded": {
			files: map[string]string{"prod.vars.hcl": `region = "file"`},
			want:  "default", wantNum: 1,
		},
		"--var beats var file, last --var wins": {
			files: map[string]string{"prod.vars.hcl": `region = "file"`},
			opts:  LoadOptions{VarFiles: []string{"prod.vars.hcl"}, Vars: []string{"region=cli1", "region=cli2", "count=4"}},
			want:  "cli2", wantNum: 4,
		},
		"--var string keeps equals signs and is not parsed": {
			opts: LoadOptions{Vars: []string{"region=a=b [x]"}},
			want: "a=b [x]", wantNum: 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"main.hcl": regionVar}
			for k, v := range tc.files {
				files[k] = v
			}
			dir := writeDir(t, files)
			for i, f := range tc.opts.VarFiles {
				tc.opts.VarFiles[i] = filepath.Join(dir, f)
			}
			cfg := mustLoad(t, dir, tc.opts)
			if got := cfg.Variables["region"].Value.AsString(); got != tc.want {
				t.Errorf("region = %q, want %q", got, tc.want)
			}
			n, _ := cfg.Variables["count"].Value.AsBigFloat().Int64()
			if n != tc.wantNum {
				t.Errorf("count = %d, want %d", n, tc.wantNum)
			}
		})
	}
}

func TestVariableTypes(t *testing.T) {
	const decl = `
variable "hosts" {
  type = map(object({ address = string, port = optional(number, 22) }))
}
variable "anything" {
  default = 1
}
`
	dir := writeDir(t, map[string]string{"main.hcl": decl})
	cfg := mustLoad(t, dir, LoadOptions{Vars: []string{`hosts={ sv1 = { address = "10.0.0.1" } }`, "anything=text"}})
	hosts := cfg.Variables["hosts"].Value
	port := hosts.Index(cty.StringVal("sv1")).GetAttr("port")
	if !port.RawEquals(cty.NumberIntVal(22)) {
		t.Errorf("optional default not applied: port = %#v", port)
	}
	if got := cfg.Variables["anything"].Value; !got.RawEquals(cty.StringVal("text")) {
		t.Errorf("untyped --var = %#v, want the string", got)
	}

	tests := map[string]struct {
		opts LoadOptions
		want []string
	}{
		"not an expression": {
			opts: LoadOptions{Vars: []string{"hosts={ sv1 = "}},
			want: []string{"Invalid value for variable"},
		},
		"wrong type": {
			opts: LoadOptions{Vars: []string{`hosts=["a"]`}},
			want: []string{"Invalid value for variable"},
		},
		"missing": {
			want: []string{"Missing required variable"},
		},
		"undeclared --var": {
			opts: LoadOptions{Vars: []string{`host={}`, `hosts={}`}},
			want: []string{"Value for undeclared variable"},
		},
		"malformed --var": {
			opts: LoadOptions{Vars: []string{"hosts", `hosts={}`}},
			want: []string{"Invalid --var option"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, diags := Load(dir, tc.opts)
			if diff := cmp.Diff(tc.want, summaries(diags)); diff != "" {
				t.Errorf("summaries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUndeclaredVariableInFileIsWarning(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": regionVar, "x.auto.vars.hcl": `regoin = "x"`})
	_, diags := Load(dir, LoadOptions{})
	if diags.HasErrors() || len(diags) != 1 || diags[0].Severity != hcl.DiagWarning {
		t.Fatalf("want one warning, got:\n%s", describe(diags))
	}
	if !strings.Contains(diags[0].Detail, `did you mean "region"?`) {
		t.Errorf("no suggestion in %q", diags[0].Detail)
	}
}

func TestVariableValidation(t *testing.T) {
	const decl = `
variable "nodes" {
  type    = list(string)
  default = ["sv1", "sv2"]
  validation {
    condition     = length(var.nodes) >= 2
    error_message = "A cluster needs at least two nodes."
  }
  validation {
    condition     = alltrue([for n in var.nodes : can(regex("^sv", n))])
    error_message = "unused"
  }
}
`
	dir := writeDir(t, map[string]string{"main.hcl": strings.Replace(decl,
		`alltrue([for n in var.nodes : can(regex("^sv", n))])`, `length([for n in var.nodes : n if substr(n, 0, 2) != "sv"]) == 0`, 1)})
	mustLoad(t, dir, LoadOptions{})

	_, diags := Load(dir, LoadOptions{Vars: []string{`nodes=["sv1"]`}})
	if diff := cmp.Diff([]string{"Invalid value for variable"}, summaries(diags)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(diags[0].Detail, "A cluster needs at least two nodes.") {
		t.Errorf("detail does not start with the error_message: %q", diags[0].Detail)
	}
	_, diags = Load(dir, LoadOptions{Vars: []string{`nodes=["sv1", "db1"]`}})
	if diff := cmp.Diff([]string{"Invalid value for variable"}, summaries(diags)); diff != "" {
		t.Fatalf("second rule (-want +got):\n%s", diff)
	}

	bad := writeDir(t, map[string]string{"main.hcl": regionVar + `
variable "other" {
  default = "x"
  validation {
    condition     = var.region != ""
    error_message = "refers to another variable"
  }
}`})
	_, diags = Load(bad, LoadOptions{})
	if diff := cmp.Diff([]string{"Invalid validation condition"}, summaries(diags)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestLocals(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": regionVar + `
locals {
  c = "${local.b}-c"
}
locals {
  a = upper(var.region)
  b = "${local.a}-b"
}
script "s" {
  start = local.c
  stop  = local.a
}
`})
	cfg := mustLoad(t, dir, LoadOptions{})
	if got := cfg.Scripts["s"].Start; got != "DEFAULT-b-c" {
		t.Errorf("start = %q", got)
	}

	tests := map[string]struct {
		src    string
		want   []string
		detail string
	}{
		"self cycle": {
			src:    "locals {\n  a = local.a\n}\n",
			want:   []string{"Cycle in locals"},
			detail: "local.a -> local.a",
		},
		"two cycles and a bystander": {
			src:  "locals {\n  a = local.b\n  b = local.a\n  c = local.d\n  d = local.c\n  e = local.a\n  f = 1\n}\n",
			want: []string{"Cycle in locals", "Cycle in locals"},
		},
		"evaluation error is reported once": {
			src:  "locals {\n  a = 1 + \"x\"\n  b = local.a\n}\n",
			want: []string{"Invalid operand"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"main.hcl": tc.src})
			_, diags := Load(dir, LoadOptions{})
			if diff := cmp.Diff(tc.want, summaries(diags)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tc.detail != "" && !strings.Contains(diags[0].Detail, tc.detail) {
				t.Errorf("detail %q lacks %q", diags[0].Detail, tc.detail)
			}
		})
	}
}

func TestFileFunctions(t *testing.T) {
	dir := writeDir(t, map[string]string{
		"main.hcl": `
script "s" {
  start = templatefile("tpl/start.tftpl", { name = "app", ports = [80, 443] })
  stop  = file("tpl/stop.sh")
}
`,
		"tpl/start.tftpl": "start ${name}%{ for p in ports } :${p}%{ endfor }\n",
		"tpl/stop.sh":     "stop\n",
	})
	cfg := mustLoad(t, dir, LoadOptions{})
	s := cfg.Scripts["s"]
	if diff := cmp.Diff([]string{"start app :80 :443\n", "stop\n"}, []string{s.Start, s.Stop}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDidYouMean(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": `
cluster "web" {
  node "sv1" {
    address = "10.0.0.1"
  }
}
group "iis" {
  cluster = cluster.wbe
  policy  = [cluster.web.node.sv2]
  resource "fip" "fip1" {
    ip = "10.0.0.100"
  }
  resource "exec" "e" {
    script     = script.iis
    depends_on = [fip.fpi1]
  }
}
script "iis" {
  start = "a"
  stop  = "b"
}
`})
	_, diags := Load(dir, LoadOptions{})
	var details []string
	for _, d := range diags {
		details = append(details, d.Detail)
	}
	for _, want := range []string{
		"There is no cluster.wbe in this configuration. Did you mean cluster.web?",
		"There is no cluster.web.node.sv2 in this configuration. Did you mean cluster.web.node.sv1?",
		"There is no fip.fpi1 in this configuration. Did you mean fip.fip1?",
	} {
		found := false
		for _, d := range details {
			found = found || strings.HasPrefix(d, want)
		}
		if !found {
			t.Errorf("no detail starting %q in:\n%s", want, describe(diags))
		}
	}
}

func TestSuggest(t *testing.T) {
	tests := map[string]struct {
		name       string
		candidates []string
		want       string
	}{
		"typo":          {"hots", []string{"hosts", "ssh_user"}, "hosts"},
		"closest wins":  {"sv11", []string{"sv1", "sv111", "sv2"}, "sv1"},
		"too far":       {"database", []string{"hosts"}, ""},
		"short names":   {"b", []string{"a"}, ""},
		"no candidates": {"x", nil, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := suggest(tc.name, tc.candidates); got != tc.want {
				t.Errorf("suggest(%q) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestAddressesAndOrdering(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": `
cluster "web" {
  node "c" {
    address = "10.0.0.3"
  }
  node "a" {
    address  = "10.0.0.1"
    priority = 5
  }
  node "b" {
    address = "10.0.0.2"
  }
}
group "z" {
  cluster = cluster.web
  policy  = [cluster.web.node.a]
  resource "fip" "f" {
    ip = "10.0.0.100"
  }
  monitor "fipw" "m" { target = fip.f }
}
group "y" {
  cluster = cluster.web
  policy  = [cluster.web.node.b]
}
node "scan" {
  address = "10.0.1.1"
}
server_scan "mail" {
  node = node.scan
}
scan_server "s1" {
  server_scan = server_scan.mail
  connector   = "10.0.2.1"
  service     = "vkscan"
  port        = 20001
  role        = "standby"
}
scan_server "s2" {
  server_scan = server_scan.mail
  connector   = "10.0.2.2"
  service     = "vkscan"
  port        = 20001
}
scan_server "s3" {
  server_scan = server_scan.mail
  connector   = "10.0.2.3"
  service     = "vkscan"
  port        = 20001
}
`})
	cfg := mustLoad(t, dir, LoadOptions{})
	web := cfg.Clusters["web"]
	var got []string
	for _, n := range web.Nodes {
		got = append(got, n.Addr.String())
	}
	for _, g := range web.Groups {
		got = append(got, g.Addr.String())
	}
	g := cfg.Groups["z"]
	got = append(got, g.Resources[0].Addr.String(), g.Monitors[0].Addr.String())
	for _, s := range cfg.ServerScans["mail"].Servers {
		got = append(got, s.Addr.String())
	}
	want := []string{
		"cluster.web.node.c", "cluster.web.node.b", "cluster.web.node.a", // priority 0 (c), 2 (b), 5 (a)
		"group.y", "group.z",
		"group.z.fip.f", "cluster.web.monitor.m",
		"scan_server.s2", "scan_server.s3", "scan_server.s1", // normal first, then standby
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if a, err := addrs.Parse("cluster.web.node.a"); err != nil || a != web.Nodes[2].Addr {
		t.Errorf("address does not round-trip through addrs.Parse: %v %v", a, err)
	}
	m := g.Monitors[0]
	// No recovery target written: left unset, so the renderer applies the vendor's default.
	if m.Cluster != web || m.Target != g.Resources[0] || m.Recovery.Group != nil {
		t.Errorf("monitor links: cluster=%v target=%v recovery=%v", m.Cluster, m.Target, m.Recovery.Group)
	}
	if cfg.Nodes["scan"].Endpoint.Port != 0 {
		t.Errorf("unset node port = %d, want 0 (left to ~/.ssh/config, then 22)", cfg.Nodes["scan"].Endpoint.Port)
	}
}

func TestFingerprint(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": regionVar})
	a := mustLoad(t, dir, LoadOptions{}).Fingerprint
	if b := mustLoad(t, dir, LoadOptions{}).Fingerprint; a != b {
		t.Errorf("fingerprint not stable: %s != %s", a, b)
	}
	if c := mustLoad(t, dir, LoadOptions{Vars: []string{"region=x"}}).Fingerprint; c == a {
		t.Error("fingerprint ignores variable values")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(regionVar+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d := mustLoad(t, dir, LoadOptions{}).Fingerprint; d == a {
		t.Error("fingerprint ignores file content")
	}
}

func TestLoadDirectoryProblems(t *testing.T) {
	tests := map[string]struct {
		dir  string
		want []string
	}{
		"missing directory": {dir: filepath.Join(t.TempDir(), "nope"), want: []string{"Cannot read configuration directory"}},
		"only variable files": {
			dir:  writeDir(t, map[string]string{"a.vars.hcl": "x = 1", "b.auto.vars.hcl": "y = 1"}),
			want: []string{"No configuration files"},
		},
		"syntax error": {
			dir:  writeDir(t, map[string]string{"main.hcl": "cluster \"web\" {"}),
			want: []string{"Unclosed configuration block"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			loaded, diags := Load(tc.dir, LoadOptions{})
			if diff := cmp.Diff(tc.want, summaries(diags)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if loaded == nil || loaded.Config != nil {
				t.Errorf("Loaded = %+v, want non-nil without Config", loaded)
			}
		})
	}
}

// A saved plan's values come back through another variable file: the same values must give the
// same fingerprint, whichever file or flag carried them.
func TestFingerprintIgnoresHowValuesArrive(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": regionVar})
	viaFlag := mustLoad(t, dir, LoadOptions{Vars: []string{"region=x"}}).Fingerprint
	varFile := filepath.Join(t.TempDir(), "other.vars.hcl")
	if err := os.WriteFile(varFile, []byte("# saved\nregion = \"x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if viaFile := mustLoad(t, dir, LoadOptions{VarFiles: []string{varFile}}).Fingerprint; viaFile != viaFlag {
		t.Errorf("same value, different fingerprint: --var %s, --var-file %s", viaFlag, viaFile)
	}
}

// TestASCIIIdentifierAgreesWithHCL: the fast path accepts only names hcl accepts.
func TestASCIIIdentifierAgreesWithHCL(t *testing.T) {
	for _, name := range []string{"", "a", "_", "-a", "1a", "a1", "a-b_c", "web.1", "a b", "ä", "a\x00", "Z9-", "a/b"} {
		if asciiIdentifier(name) && !hclsyntax.ValidIdentifier(name) {
			t.Errorf("asciiIdentifier(%q) = true, hcl refuses it", name)
		}
	}
	for _, name := range []string{"a", "_", "a1", "a-b_c", "Z9-"} {
		if !asciiIdentifier(name) {
			t.Errorf("asciiIdentifier(%q) = false, want true", name)
		}
	}
}
