package funcs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// eval evaluates an HCL expression with the function table of dir.
func eval(t *testing.T, dir, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %q: %s", src, diags)
	}
	return expr.Value(&hcl.EvalContext{Functions: Table(dir)})
}

func TestFunctions(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"hello.txt":        "hello\n",
		"t/greet.tftpl":    "Hello, ${name}!%{ for s in servers } ${s}%{ endfor }",
		"t/port.tftpl":     "${port}",
		"t/nested.tftpl":   "${upper(file(\"hello.txt\"))}",
		"t/undeclared.tpl": "${nope}",
		"latin1.txt":       "\xe9t\xe9",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := map[string]struct {
		expr    string
		want    cty.Value
		wantErr string
	}{
		"format":               {expr: `format("%s-%02d", "sv", 3)`, want: cty.StringVal("sv-03")},
		"join split":           {expr: `join(",", split(" ", "a b c"))`, want: cty.StringVal("a,b,c")},
		"upper lower":          {expr: `"${upper("a")}${lower("B")}"`, want: cty.StringVal("Ab")},
		"replace":              {expr: `replace("a.b.c", ".", "/")`, want: cty.StringVal("a/b/c")},
		"lookup":               {expr: `lookup({ a = "1" }, "b", "dflt")`, want: cty.StringVal("dflt")},
		"length concat":        {expr: `length(concat(["a"], ["b", "c"]))`, want: cty.NumberIntVal(3)},
		"merge keys":           {expr: `join(",", keys(merge({ a = 1 }, { b = 2 })))`, want: cty.StringVal("a,b")},
		"flatten distinct":     {expr: `length(distinct(flatten([["a", "b"], ["a"]])))`, want: cty.NumberIntVal(2)},
		"range":                {expr: `length(range(1, 8))`, want: cty.NumberIntVal(7)},
		"contains":             {expr: `contains(["a", "b"], "b")`, want: cty.True},
		"element":              {expr: `element(["a", "b"], 3)`, want: cty.StringVal("b")},
		"index finds position": {expr: `index(["sv1", "sv2", "sv3"], "sv3")`, want: cty.NumberIntVal(2)},
		"index missing":        {expr: `index(["sv1"], "sv9")`, wantErr: "not found"},
		"slice sort":           {expr: `slice(sort(["c", "a", "b"]), 0, 2)`, want: cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})},
		"min max abs":          {expr: `max(min(3, 5), abs(-2))`, want: cty.NumberIntVal(3)},
		"ceil floor":           {expr: `ceil(1.2) + floor(1.8)`, want: cty.NumberIntVal(3)},
		"coalesce":             {expr: `coalesce(null, "x")`, want: cty.StringVal("x")},
		"json round trip":      {expr: `jsondecode(jsonencode({ a = [1] })).a[0]`, want: cty.NumberIntVal(1)},
		"trimspace chomp":      {expr: `"${trimspace("  a ")}${chomp("b\n")}"`, want: cty.StringVal("ab")},
		"regex":                {expr: `regex("sv([0-9]+)", "sv42")[0]`, want: cty.StringVal("42")},
		"regexall":             {expr: `length(regexall("[0-9]", "a1b2"))`, want: cty.NumberIntVal(2)},
		"substr":               {expr: `substr("cluster", 0, 4)`, want: cty.StringVal("clus")},
		"tostring":             {expr: `tostring(22)`, want: cty.StringVal("22")},
		"tonumber":             {expr: `tonumber("22")`, want: cty.NumberIntVal(22)},
		"tobool":               {expr: `tobool("true")`, want: cty.True},
		"tolist":               {expr: `tolist(["a"])`, want: cty.ListVal([]cty.Value{cty.StringVal("a")})},
		"toset":                {expr: `length(toset(["a", "a"]))`, want: cty.NumberIntVal(1)},
		"tomap":                {expr: `tomap({ a = "1" })`, want: cty.MapVal(map[string]cty.Value{"a": cty.StringVal("1")})},
		"file":                 {expr: `file("hello.txt")`, want: cty.StringVal("hello\n")},
		"file absolute":        {expr: `file("` + filepath.Join(dir, "hello.txt") + `")`, want: cty.StringVal("hello\n")},
		"file missing":         {expr: `file("nope.txt")`, wantErr: "no such file"},
		"file not utf-8":       {expr: `file("latin1.txt")`, wantErr: "not valid UTF-8"},
		"file not regular":     {expr: `file("/dev/zero")`, wantErr: "not a regular file"},
		"file directory":       {expr: `file("t")`, wantErr: "not a regular file"},
		"templatefile": {
			expr: `templatefile("t/greet.tftpl", { name = "ops", servers = ["sv1", "sv2"] })`,
			want: cty.StringVal("Hello, ops! sv1 sv2"),
		},
		"templatefile single interpolation": {expr: `templatefile("t/port.tftpl", { port = 22 })`, want: cty.StringVal("22")},
		"templatefile calls functions":      {expr: `templatefile("t/nested.tftpl", {})`, want: cty.StringVal("HELLO\n")},
		"templatefile undeclared variable":  {expr: `templatefile("t/undeclared.tpl", {})`, wantErr: `vars has no "nope"`},
		"templatefile vars not an object":   {expr: `templatefile("t/port.tftpl", "x")`, wantErr: "object or a map"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, diags := eval(t, dir, tc.expr)
			if tc.wantErr != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.wantErr) {
					t.Fatalf("want error containing %q, got %#v, %v", tc.wantErr, got, diags)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if !got.RawEquals(tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestTemplateCannotCallItself(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "loop.tftpl"), []byte(`${templatefile("loop.tftpl", {})}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags := eval(t, dir, `templatefile("loop.tftpl", {})`)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "templatefile") {
		t.Fatalf("want an unknown-function error, got %v", diags)
	}
}
