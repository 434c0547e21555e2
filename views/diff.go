package views

import (
	"fmt"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/clusterctl/cluster/planner"
)

// diffContext is how many unchanged lines surround each change in a rendered text diff.
const diffContextLines = 3

// diffLineKind tells a renderer how to present one line of a unified diff.
type diffLineKind int

const (
	diffHeaderLine  diffLineKind = iota // --- and +++
	diffHunkLine                        // @@ -l,s +l,s @@
	diffSameLine                        // unchanged line, prefixed with a space
	diffAddedLine                       // +line
	diffRemovedLine                     // -line
	diffNoteLine                        // \ No newline at end of file
)

// diffLine is one line of a unified diff, without its newline, prefix included.
type diffLine struct {
	kind diffLineKind
	text string
}

// unifiedDiff compares two versions of a text file line by line and returns a unified diff with
// diffContextLines lines of context, labelled with the file's path. Equal texts give no lines.
//
// difflib computes the matching; the hunks are rendered here so that a last line without a
// newline is marked the way diff(1) marks it instead of running into the next line.
// Each line of the files is rendered by show; the lines are matched as bytes, so two lines that
// show alike still differ when their bytes do.
func unifiedDiff(path, before, after string, show func(string) string) []diffLine {
	if before == after {
		return nil
	}
	out := []diffLine{
		{diffHeaderLine, "--- " + path + " (observed)"},
		{diffHeaderLine, "+++ " + path + " (desired)"},
	}
	// Lines are shown without their "\r", so a change of line endings alone would show as
	// identical lines removed and added: say what it is instead.
	if strings.ReplaceAll(before, "\r\n", "\n") == strings.ReplaceAll(after, "\r\n", "\n") {
		return append(out, diffLine{diffNoteLine, `\ Only line endings differ (CRLF and LF)`})
	}
	a, b := splitLines(before), splitLines(after)
	m := difflib.NewMatcher(a, b)
	for _, group := range m.GetGroupedOpCodes(diffContextLines) {
		first, last := group[0], group[len(group)-1]
		out = append(out, diffLine{diffHunkLine, fmt.Sprintf("@@ -%s +%s @@", hunkRange(first.I1, last.I2), hunkRange(first.J1, last.J2))})
		for _, op := range group {
			if op.Tag == 'e' {
				out = appendLines(out, diffSameLine, " ", a[op.I1:op.I2], show)
				continue
			}
			if op.Tag == 'r' || op.Tag == 'd' {
				out = appendLines(out, diffRemovedLine, "-", a[op.I1:op.I2], show)
			}
			if op.Tag == 'r' || op.Tag == 'i' {
				out = appendLines(out, diffAddedLine, "+", b[op.J1:op.J2], show)
			}
		}
	}
	return out
}

// textDiff is t's unified diff as people read it: each line decoded from t.Charset
// (lineShower).
func textDiff(t planner.TextDiff) []diffLine {
	return unifiedDiff(t.Path, t.Before, t.After, lineShower(t.Charset))
}

// formatDiff renders diff lines as plain text, one line each, as diff(1) would print them.
func formatDiff(lines []diffLine) string {
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(l.text)
		sb.WriteByte('\n')
	}
	return sb.String()
}

// splitLines splits s into lines that keep their "\n", so that a last line without one differs
// from the same line with one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func appendLines(out []diffLine, kind diffLineKind, prefix string, lines []string, show func(string) string) []diffLine {
	for _, l := range lines {
		text, complete := strings.CutSuffix(l, "\n")
		out = append(out, diffLine{kind, prefix + show(strings.TrimSuffix(text, "\r"))})
		if !complete {
			out = append(out, diffLine{diffNoteLine, `\ No newline at end of file`})
		}
	}
	return out
}

// hunkRange renders the 0-based half-open line range [start, stop) as a hunk header does:
// "3" for one line, "3,4" for several, and "2,0" (the line before) for none.
func hunkRange(start, stop int) string {
	n := stop - start
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}
