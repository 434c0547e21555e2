package views

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// TestDiagnosticTextMatchesHCL renders the same diagnostics with hcl's own text writer and
// with ours: the layout users (and scripts reading stderr) know must not change.
func TestDiagnosticTextMatchesHCL(t *testing.T) {
	for _, src := range []string{
		"group \"iis\" {\n  cluster = cluster.wbe\n  policy  = [\n    1,\n    2,\n  ]\n}\n\nscript \"s\" {\n  start = \"x\"\n}\n",
		"group \"iis\" {\r\n  cluster = cluster.wbe\r\n  policy = [1,\r\n 2]\r\n}\r\nscript \"s\" {\r\n  start = \"日本語\"\r\n}",
	} {
		f, diags := hclsyntax.ParseConfig([]byte(src), "main.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		files := map[string]*hcl.File{"main.hcl": f}
		body := f.Body.(*hclsyntax.Body)
		group, script := body.Blocks[0], body.Blocks[1]
		clusterAttr := group.Body.Attributes["cluster"]
		startAttr := script.Body.Attributes["start"]
		rng := func(s, e int) *hcl.Range {
			return &hcl.Range{Filename: "main.hcl", Start: posAt(src, s), End: posAt(src, e)}
		}
		end := len(src)
		ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"cluster": cty.ObjectVal(map[string]cty.Value{"wbe": cty.StringVal("x")})}}
		all := hcl.Diagnostics{
			{Severity: hcl.DiagError, Summary: "One attribute", Detail: "A detail long enough to be wrapped at a narrow width, word by word.", Subject: clusterAttr.Expr.Range().Ptr()},
			{Severity: hcl.DiagWarning, Summary: "With context", Detail: "d", Subject: clusterAttr.Expr.Range().Ptr(), Context: group.Range().Ptr()},
			{Severity: hcl.DiagError, Summary: "Multi-line", Subject: group.Body.Attributes["policy"].Range().Ptr()},
			{Severity: hcl.DiagError, Summary: "Empty range", Subject: rng(3, 3)},
			{Severity: hcl.DiagError, Summary: "End of file", Subject: rng(end, end)},
			{Severity: hcl.DiagError, Summary: "Across lines", Subject: rng(5, 40)},
			{Severity: hcl.DiagError, Summary: "Non-ASCII", Subject: startAttr.Expr.Range().Ptr()},
			{Severity: hcl.DiagError, Summary: "Between blocks", Subject: rng(group.Range().End.Byte, group.Range().End.Byte+1)},
			{Severity: hcl.DiagError, Summary: "No source", Subject: &hcl.Range{Filename: "other.hcl", Start: hcl.Pos{Line: 3, Column: 1}}},
			{Severity: hcl.DiagError, Summary: "Expression", Subject: clusterAttr.Expr.Range().Ptr(), Expression: clusterAttr.Expr, EvalContext: ctx},
			{Severity: hcl.DiagWarning, Summary: "No subject", Detail: "only words"},
		}
		for _, colour := range []bool{false, true} {
			for _, width := range []uint{0, 30} {
				// hcl's layout, with the column our header adds after the line ("on main.hcl
				// line 2, column 13").
				var want, got, one bytes.Buffer
				hw := hcl.NewDiagnosticTextWriter(&one, files, width, colour)
				for _, d := range all {
					one.Reset()
					if err := hw.WriteDiagnostic(d); err != nil {
						t.Fatal(err)
					}
					out := one.Bytes()
					if d.Subject != nil {
						at := fmt.Sprintf("  on %s line %d", d.Subject.Filename, d.Subject.Start.Line)
						out = bytes.Replace(out, []byte(at), []byte(fmt.Sprintf("%s, column %d", at, d.Subject.Start.Column)), 1)
					}
					want.Write(out)
				}
				if err := WriteDiagnostics(&got, files, all, colour, width); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want.String(), got.String()); diff != "" {
					t.Errorf("colour=%v width=%d: output differs from hcl's (-hcl +ours):\n%s", colour, width, diff)
				}
			}
		}
	}
}

// posAt is the hcl position of byte offset off in src (columns counted in bytes, which is
// enough here: the writers use byte offsets only).
func posAt(src string, off int) hcl.Pos {
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndex(src[:off], "\n")
	return hcl.Pos{Line: line, Column: col, Byte: off}
}

// largeDiagnostics is a file of n groups with one error each, in the layout of a large
// configuration (issue 18: 744 errors in 1,000 groups took 44.7 s).
func largeDiagnostics(tb testing.TB, n int) (map[string]*hcl.File, hcl.Diagnostics) {
	tb.Helper()
	var b strings.Builder
	for g := 0; g < n; g++ {
		fmt.Fprintf(&b, "group \"g%d\" {\n  cluster = cluster.c1\n  resource \"fip\" \"fip%d\" {\n    ip = \"10.0.%d.300\"\n  }\n  resource \"exec\" \"exec%d\" {\n    script = script.app\n  }\n}\n", g, g, g%250, g)
	}
	f, diags := hclsyntax.ParseConfig([]byte(b.String()), "main.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	var out hcl.Diagnostics
	for _, blk := range f.Body.(*hclsyntax.Body).Blocks {
		ip := blk.Body.Blocks[0].Body.Attributes["ip"]
		out = append(out, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid IP address", Detail: "ip must be an IPv4 or IPv6 address.", Subject: ip.Expr.Range().Ptr()})
	}
	return map[string]*hcl.File{"main.hcl": f}, out
}

// BenchmarkWriteDiagnostics prints the cost of writing 100, 1,000 and 4,000 diagnostics in a
// file that grows with them: the time per diagnostic must stay flat (linear total).
func BenchmarkWriteDiagnostics(b *testing.B) {
	for _, n := range []int{100, 1000, 4000} {
		b.Run(fmt.Sprintf("errors=%d", n), func(b *testing.B) {
			files, diags := largeDiagnostics(b, n)
			var out bytes.Buffer
			start := time.Now()
			runs := 0
			for b.Loop() {
				out.Reset()
				if err := WriteDiagnostics(&out, files, diags, false, 100); err != nil {
					b.Fatal(err)
				}
				runs++
			}
			per := time.Since(start) / time.Duration(runs)
			b.ReportMetric(float64(per.Nanoseconds())/float64(n), "ns/diagnostic")
			b.Logf("%d errors written in %v", n, per)
		})
	}
}
