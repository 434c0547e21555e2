package views

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	wordwrap "github.com/mitchellh/go-wordwrap"
	"github.com/zclconf/go-cty/cty"
)

// diagnosticText writes diagnostics in the layout of hcl's text writer, in time linear in
// their number: hcl's writer scans each file from its first byte, counting grapheme clusters,
// for every diagnostic, so 1,000 errors in a large file took most of a minute (issue 18). Here
// each file's lines are indexed once and a diagnostic looks up only the lines it shows.
type diagnosticText struct {
	w     *bufio.Writer
	files map[string]*hcl.File
	width uint
	color bool
	lines map[string][]sourceLine // per file, built on first use
}

// sourceLine is one line of a source file as bufio.ScanLines cuts it: without its newline
// and without a carriage return before it.
type sourceLine struct{ start, end int }

func writeDiagnosticsText(out io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool, width uint) error {
	t := &diagnosticText{w: bufio.NewWriter(out), files: files, width: width, color: color, lines: map[string][]sourceLine{}}
	for _, d := range diags {
		if d == nil {
			continue
		}
		t.diagnostic(d)
	}
	return t.w.Flush()
}

func (t *diagnosticText) diagnostic(d *hcl.Diagnostic) {
	colour, highlight, reset := "", "", ""
	if t.color {
		switch d.Severity {
		case hcl.DiagError:
			colour = "\x1b[31m"
		case hcl.DiagWarning:
			colour = "\x1b[33m"
		}
		highlight, reset = "\x1b[1;4m", "\x1b[0m"
	}
	severity := "Error"
	if d.Severity == hcl.DiagWarning {
		severity = "Warning"
	}
	fmt.Fprintf(t.w, "%s%s%s: %s\n\n", colour, severity, reset, d.Summary)

	if d.Subject != nil {
		t.snippet(d, highlight, reset)
		t.expressionValues(d)
	}
	if d.Detail != "" {
		detail := d.Detail
		if t.width != 0 {
			detail = wordwrap.WrapString(detail, t.width)
		}
		fmt.Fprintf(t.w, "%s\n\n", detail)
	}
}

// snippet writes "on FILE line N, in BLOCK:" and the source lines of the subject (and its
// context), with the subject highlighted.
func (t *diagnosticText) snippet(d *hcl.Diagnostic, highlight, reset string) {
	snip, marked := *d.Subject, *d.Subject
	if d.Context != nil {
		snip = hcl.RangeOver(snip, *d.Context)
	}
	// An empty range cannot be shown: widen it to one byte, as hcl does.
	if snip.Empty() {
		snip.End.Byte++
	}
	if marked.Empty() {
		marked.End.Byte++
	}
	file := t.files[d.Subject.Filename]
	if file == nil || file.Bytes == nil {
		fmt.Fprintf(t.w, "  on %s line %d, column %d:\n  (source code not available)\n\n", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		return
	}
	where := blockContext(file, d.Subject.Start.Byte)
	if where != "" {
		where = ", in " + where
	}
	fmt.Fprintf(t.w, "  on %s line %d, column %d%s:\n", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, where)

	src := file.Bytes
	lines := t.linesOf(d.Subject.Filename, src)
	// The first line that can overlap: the last one starting at or before the snippet.
	i := sort.Search(len(lines), func(i int) bool { return lines[i].start > snip.Start.Byte })
	if i > 0 {
		i--
	}
	for ; i < len(lines) && lines[i].start <= snip.End.Byte; i++ {
		ln := lines[i]
		if !overlaps(ln.start, ln.end, snip.Start.Byte, snip.End.Byte) {
			continue
		}
		from, to := max(ln.start, marked.Start.Byte), min(ln.end, marked.End.Byte)
		if !overlaps(ln.start, ln.end, marked.Start.Byte, marked.End.Byte) || from >= to {
			fmt.Fprintf(t.w, "%4d: %s\n", i+1, src[ln.start:ln.end])
			continue
		}
		fmt.Fprintf(t.w, "%4d: %s%s%s%s%s\n", i+1, src[ln.start:from], highlight, src[from:to], reset, src[to:ln.end])
	}
	t.w.WriteByte('\n')
}

// overlaps is hcl.Range.Overlaps on byte offsets: neither range is empty, and one contains
// the start or the end of the other.
func overlaps(aStart, aEnd, bStart, bEnd int) bool {
	if aStart >= aEnd || bStart >= bEnd {
		return false
	}
	in := func(o, s, e int) bool { return o >= s && o < e }
	return in(bStart, aStart, aEnd) || in(bEnd, aStart, aEnd) || in(aStart, bStart, bEnd) || in(aEnd, bStart, bEnd)
}

// linesOf indexes src's lines once per file.
func (t *diagnosticText) linesOf(name string, src []byte) []sourceLine {
	if lines, ok := t.lines[name]; ok {
		return lines
	}
	var lines []sourceLine
	for start := 0; start < len(src); {
		end := len(src)
		next := len(src)
		if nl := bytes.IndexByte(src[start:], '\n'); nl >= 0 {
			end, next = start+nl, start+nl+1
		}
		if end > start && src[end-1] == '\r' {
			end--
		}
		lines = append(lines, sourceLine{start, end})
		start = next
	}
	t.lines[name] = lines
	return lines
}

// blockContext names the top-level block holding offset ("group \"iis\""), found by binary
// search over the blocks, which are in source order; other file kinds answer through Nav.
func blockContext(file *hcl.File, offset int) string {
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		if c, ok := file.Nav.(interface{ ContextString(int) string }); ok {
			return c.ContextString(offset)
		}
		return ""
	}
	blocks := body.Blocks
	i := sort.Search(len(blocks), func(i int) bool { return blocks[i].Range().End.Byte > offset })
	if i == len(blocks) || !blocks[i].Range().ContainsOffset(offset) {
		return ""
	}
	b := blocks[i]
	var s strings.Builder
	s.WriteString(b.Type)
	for _, label := range b.Labels {
		fmt.Fprintf(&s, " %q", label)
	}
	return s.String()
}

// expressionValues writes "with var.x as "a"," lines for the variables an expression that
// failed refers to, as hcl does, so that a value from a variable shows where it came from.
func (t *diagnosticText) expressionValues(d *hcl.Diagnostic) {
	if d.Expression == nil || d.EvalContext == nil {
		return
	}
	var stmts []string
	seen := map[string]bool{}
	for _, traversal := range d.Expression.Variables() {
		val, diags := traversal.TraverseAbs(d.EvalContext)
		if diags.HasErrors() {
			continue // reported on its own already
		}
		name := traversalName(traversal)
		if seen[name] {
			continue
		}
		switch {
		case !val.IsKnown(), val.IsMarked():
			continue
		case val.IsNull():
			stmts = append(stmts, name+" set to null")
		default:
			stmts = append(stmts, name+" as "+shortValue(val))
		}
		seen[name] = true
	}
	sort.Strings(stmts)
	for i, s := range stmts {
		lead, end := "     ", ",\n"
		if i == 0 {
			lead = "with "
		}
		if i == len(stmts)-1 {
			end = ".\n\n"
		}
		t.w.WriteString(lead + s + end)
	}
}

func traversalName(tr hcl.Traversal) string {
	var b strings.Builder
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			key := "..."
			if s.Key.Type().IsPrimitiveType() {
				key = shortValue(s.Key)
			}
			b.WriteString("[" + key + "]")
		}
	}
	return b.String()
}

// shortValue describes a value in a few words: scalars as written, collections by size.
func shortValue(v cty.Value) string {
	ty := v.Type()
	switch {
	case v.IsNull():
		return "null"
	case !v.IsKnown():
		return "(not yet known)"
	case ty == cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	case ty == cty.Number:
		return v.AsBigFloat().Text('g', 10)
	case ty == cty.String:
		return fmt.Sprintf("%q", v.AsString())
	case ty.IsCollectionType() || ty.IsTupleType():
		switch n := v.LengthInt(); n {
		case 0:
			return "empty " + ty.FriendlyName()
		case 1:
			return ty.FriendlyName() + " with 1 element"
		default:
			return fmt.Sprintf("%s with %d elements", ty.FriendlyName(), n)
		}
	case ty.IsObjectType():
		attrs := ty.AttributeTypes()
		switch len(attrs) {
		case 0:
			return "object with no attributes"
		case 1:
			for k := range attrs {
				return fmt.Sprintf("object with 1 attribute %q", k)
			}
		}
		return fmt.Sprintf("object with %d attributes", len(attrs))
	default:
		return ty.FriendlyName()
	}
}
