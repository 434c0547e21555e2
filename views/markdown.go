package views

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/clusterctl/cluster/planner"
)

// NewPlanMarkdown returns the rendering of plans as a pull-request comment (GitHub, GitLab and
// Gitea flavoured Markdown): the summary line first, then one collapsed <details> block per
// cluster (per unit: a cluster, a scan host, a node's status files, a server group) with its
// counts in the summary, holding each object that changes or drifted: its changes in a ```diff
// fence and the steps apply will run. Then the plan's errors and warnings. Sensitive values
// show as (sensitive).
//
// A body longer than MarkdownLimit is rendered again without the diff blocks, so that it still
// fits in a comment; it then says where to read the full plan.
func NewPlanMarkdown(w io.Writer) PlanView { return &planMarkdown{w: w, limit: MarkdownLimit} }

// MarkdownLimit is the longest Markdown plan, in bytes, rendered with its diffs: GitHub refuses
// a comment over 65,536 characters, and GitLab notes have a limit of 1,000,000.
const MarkdownLimit = 60000

type planMarkdown struct {
	w     io.Writer
	limit int
}

func (v *planMarkdown) Plan(plan *planner.Plan) error {
	p := plan.Redacted()
	b := renderMarkdown(&p, true)
	if b.Len() > v.limit {
		b = renderMarkdown(&p, false)
	}
	if _, err := v.w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the plan: %w", err)
	}
	return nil
}

// renderMarkdown renders the redacted plan p, with or without the diff of each object.
func renderMarkdown(p *planner.Plan, diffs bool) *bytes.Buffer {
	var b bytes.Buffer
	add, change, destroy := p.Counts()
	switch {
	case p.Errored:
		b.WriteString("**Planning failed.** The changes below are incomplete and cannot be applied.\n")
	case !p.HasChanges():
		b.WriteString("**No changes.** Your clusters match the configuration.\n")
	default:
		fmt.Fprintf(&b, "**Plan:** %d to add, %d to change, %d to destroy\n", add, change, destroy)
	}
	if len(p.Targets) > 0 {
		fmt.Fprintf(&b, "\nOnly %s %s planned (`--target`); changes elsewhere are not shown.\n",
			codeList(p.Targets), plural(len(p.Targets), "was", "were"))
	}
	if !diffs {
		b.WriteString("\nThe diffs are left out: with them this comment would be too long. " +
			"Read the whole plan with `cluster show PLANFILE`.\n")
	}
	for _, u := range byUnit(shownChanges(p)) {
		b.WriteByte('\n')
		mdUnit(&b, u, diffs)
	}
	if len(p.Diagnostics) > 0 {
		b.WriteByte('\n')
	}
	for _, d := range p.Diagnostics {
		word := "Warning:"
		if d.Severity == planner.SeverityError {
			word = "Error:"
		}
		fmt.Fprintf(&b, "> **%s** %s", word, mdEscape(d.Summary))
		if d.Addr != "" {
			fmt.Fprintf(&b, " (`%s`)", d.Addr)
		}
		b.WriteString("\n")
		for line := range strings.Lines(d.Detail) {
			fmt.Fprintf(&b, ">\n> %s\n", mdEscape(strings.TrimRight(line, "\n")))
		}
		b.WriteString("\n")
	}
	out := bytes.NewBuffer(bytes.TrimRight(b.Bytes(), "\n"))
	out.WriteByte('\n')
	return out
}

// unitChanges are the shown changes of one unit.
type unitChanges struct {
	unit    string
	changes []planner.Change
}

// byUnit groups changes by unit, units in the order they first appear. A change without a unit
// (from a plan file older than units) is a group of its own, named by its address.
func byUnit(changes []planner.Change) []unitChanges {
	var out []unitChanges
	at := map[string]int{}
	for _, c := range changes {
		name := c.Addr.String()
		if !c.Unit.IsZero() {
			name = c.Unit.String()
		}
		i, ok := at[name]
		if !ok {
			i = len(out)
			at[name] = i
			out = append(out, unitChanges{unit: name})
		}
		out[i].changes = append(out[i].changes, c)
	}
	return out
}

// mdUnit writes one unit's block: a <details> whose summary names the unit and counts its
// changes, holding each object's changes.
func mdUnit(b *bytes.Buffer, u unitChanges, diffs bool) {
	var counts []string
	add, change, destroy := planner.CountChanges(u.changes)
	for _, c := range []struct {
		n    int
		verb string
	}{{add, "to add"}, {change, "to change"}, {destroy, "to destroy"}} {
		if c.n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", c.n, c.verb))
		}
	}
	drifted := map[string]bool{}
	for _, c := range u.changes {
		for _, d := range c.Drift {
			drifted[d.Node] = true
		}
	}
	if len(drifted) > 0 {
		counts = append(counts, fmt.Sprintf("drift on %d %s", len(drifted), plural(len(drifted), "node", "nodes")))
	}
	fmt.Fprintf(b, "<details><summary><code>%s</code>: %s</summary>\n\n", html.EscapeString(u.unit), html.EscapeString(strings.Join(counts, ", ")))
	for i := range u.changes {
		mdChange(b, &u.changes[i], diffs) // ends with a blank line
	}
	b.WriteString("</details>\n")
}

// mdChange writes one object's section: a heading naming the object and the action, its diff
// (unless !diffs) and the steps apply will run.
func mdChange(b *bytes.Buffer, c *planner.Change, diffs bool) {
	what := c.Action.Verb()
	if c.Action == planner.NoOp {
		what = fmt.Sprintf("has drifted on %d %s", len(c.Drift), plural(len(c.Drift), "node", "nodes"))
	}
	fmt.Fprintf(b, "#### %s %s\n\n", inlineCode(c.Action.Symbol()+" "+c.Addr.String()), mdEscape(what))
	if c.Reason != "" {
		fmt.Fprintf(b, "Why: %s\n\n", mdEscape(c.Reason))
	}
	// Without diffs nothing of the block is shown, so it is not built (file diffs cost).
	if diffs {
		if d := mdDiff(c); d != "" {
			fence := codeFence(d)
			fmt.Fprintf(b, "%sdiff\n%s%s\n\n", fence, d, fence)
		}
	}
	if len(c.Operations) > 0 {
		b.WriteString("Apply will run, in order:\n\n")
		for i, o := range c.Operations {
			fmt.Fprintf(b, "%d. %s: %s", i+1, inlineCode(o.Node), mdEscape(o.Step))
			if o.Command != "" {
				fmt.Fprintf(b, " — %s", inlineCode(o.Command))
			}
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
}

// mdDiff is c's attributes, files and drift as the lines of a diff block.
func mdDiff(c *planner.Change) string {
	var d strings.Builder
	for _, a := range c.Attrs {
		mdAttr(&d, a)
	}
	mdTexts(&d, c.Texts, "")
	for _, dr := range c.Drift {
		fmt.Fprintf(&d, "! node %s differs: %s\n", dr.Node, dr.Summary)
		for _, detail := range dr.Details {
			fmt.Fprintf(&d, "!   %s\n", detail)
		}
		mdTexts(&d, dr.Texts, "!   ")
	}
	return d.String()
}

// mdAttr writes an attribute as diff lines: "-" the observed value, "+" the configured one.
// Unchanged attributes are left out, as in the human view.
func mdAttr(d *strings.Builder, a planner.AttrChange) {
	sensitive := a.Before.Sensitive || a.After.Sensitive
	if !sensitive && a.Before.Equal(a.After) {
		return
	}
	if sensitive {
		fmt.Fprintf(d, "~ %s = (sensitive)\n", a.Name)
		return
	}
	if !a.Before.IsNull() {
		fmt.Fprintf(d, "- %s = %s\n", a.Name, a.Before)
	}
	if !a.After.IsNull() {
		fmt.Fprintf(d, "+ %s = %s\n", a.Name, a.After)
	}
}

// mdTexts writes files as unified diffs; a sensitive file shows no content. prefix marks lines
// that must not read as additions or removals (drift).
func mdTexts(d *strings.Builder, texts []planner.TextDiff, prefix string) {
	for _, t := range texts {
		if t.Sensitive {
			fmt.Fprintf(d, "%s~ file %s = (sensitive content)\n", prefix, t.Path)
			continue
		}
		for _, l := range textDiff(t) {
			d.WriteString(prefix + l.text + "\n")
		}
	}
}

// codeFence returns a backtick fence longer than any run of backticks in s, so s cannot end it.
func codeFence(s string) string {
	return strings.Repeat("`", max(3, longestBacktickRun(s)+1))
}

// inlineCode puts s in a code span that its own backticks cannot close.
func inlineCode(s string) string {
	n := longestBacktickRun(s)
	if n == 0 {
		return "`" + s + "`"
	}
	fence := strings.Repeat("`", n+1)
	return fence + " " + s + " " + fence
}

func longestBacktickRun(s string) int {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

func codeList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = inlineCode(s)
	}
	return strings.Join(q, ", ")
}

// mdEscape keeps prose from being read as Markdown or HTML.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "[", `\[`, "]", `\]`, "|", `\|`)

func mdEscape(s string) string { return mdEscaper.Replace(s) }
