package views

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/clusterctl/cluster/planner"
)

// PlanView renders a plan: `cluster plan`, `cluster show PLANFILE` and the plan apply shows
// before asking for approval. The human and JSON implementations render the same model.
type PlanView interface {
	Plan(p *planner.Plan) error
}

// NewPlanHuman returns the Terraform-style text rendering of plans, coloured unless colour is
// false (--no-color, NO_COLOR, or w is not a terminal: the caller decides).
func NewPlanHuman(w io.Writer, colour bool) PlanView {
	return &planHuman{w: w, pal: ansiPalette{on: colour}}
}

type planHuman struct {
	w   io.Writer
	pal ansiPalette
}

// Plan writes the whole rendering in one Write, so a failing writer is reported once and
// concurrent output cannot interleave with it.
func (v *planHuman) Plan(p *planner.Plan) error {
	var b bytes.Buffer
	shown := shownChanges(p)
	if len(shown) > 0 {
		v.legend(&b, shown)
		fmt.Fprintf(&b, "cluster will perform the following actions:\n")
		for i := range shown {
			b.WriteByte('\n')
			v.change(&b, &shown[i])
		}
		b.WriteByte('\n')
	}
	if len(p.Targets) > 0 {
		fmt.Fprintf(&b, "%s only %s %s planned (--target); changes elsewhere are not shown.\n\n",
			v.pal.bold("Note:"), strings.Join(p.Targets, ", "), plural(len(p.Targets), "was", "were"))
	}
	return v.finish(&b, p)
}

// shownChanges are the changes worth a block: every action, and no-ops only when they carry
// drift the reader should know about.
func shownChanges(p *planner.Plan) []planner.Change {
	var out []planner.Change
	for _, c := range p.Changes {
		if c.Action != planner.NoOp || len(c.Drift) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// legend explains the symbols the plan uses, and only those.
func (v *planHuman) legend(b *bytes.Buffer, changes []planner.Change) {
	used := map[planner.Action]bool{}
	for _, c := range changes {
		used[c.Action] = true
	}
	words := map[planner.Action]string{
		planner.Create:  "create",
		planner.Update:  "update in-place",
		planner.Replace: "destroy and then create replacement",
		planner.Delete:  "destroy",
	}
	b.WriteString("Actions are shown with these symbols:\n")
	for _, a := range planner.Actions() {
		if used[a] && words[a] != "" {
			fmt.Fprintf(b, "  %s %s\n", v.pal.action(a, fmt.Sprintf("%-3s", a.Symbol())), words[a])
		}
	}
	b.WriteByte('\n')
}

func (v *planHuman) change(b *bytes.Buffer, c *planner.Change) {
	addr := c.Addr.String()
	fmt.Fprintf(b, "%s\n", v.pal.bold(fmt.Sprintf("  # %s %s", addr, c.Action.Verb())))
	if c.Reason != "" {
		fmt.Fprintf(b, "  # (%s)\n", c.Reason)
	}
	fmt.Fprintf(b, "%s %s {\n", v.pal.action(c.Action, fmt.Sprintf("%3s", c.Action.Symbol())), addr)

	sections := []func(*bytes.Buffer, *planner.Change) bool{v.attributes, v.texts, v.drift, v.operations}
	var section bytes.Buffer
	wrote := false
	for _, render := range sections {
		section.Reset()
		if !render(&section, c) {
			continue
		}
		if wrote {
			b.WriteByte('\n')
		}
		b.Write(section.Bytes())
		wrote = true
	}
	b.WriteString("    }\n")
}

// attributes writes "~ name = before -> after" lines with the = signs aligned, and reports
// whether it wrote anything. Unchanged attributes are counted, not listed.
func (v *planHuman) attributes(b *bytes.Buffer, c *planner.Change) bool {
	var shown []planner.AttrChange
	width := 0
	for _, a := range c.Attrs {
		// A redacted sensitive pair always compares equal, so it is never hidden.
		if !a.Before.Sensitive && !a.After.Sensitive && a.Before.Equal(a.After) {
			continue
		}
		shown = append(shown, a)
		width = max(width, len(a.Name))
	}
	for _, a := range shown {
		var sym, value string
		switch {
		case a.Before.IsNull() && !a.Before.Sensitive:
			sym, value = "+", a.After.String()
		case a.After.IsNull() && !a.After.Sensitive:
			sym, value = "-", a.Before.String()+" -> null"
		case a.Before.Sensitive && a.After.Sensitive:
			sym, value = "~", "(sensitive)"
		default:
			sym, value = "~", a.Before.String()+" -> "+a.After.String()
		}
		fmt.Fprintf(b, "      %s %-*s = %s\n", v.pal.symbol(sym), width, a.Name, value)
	}
	if unchanged := len(c.Attrs) - len(shown); unchanged > 0 {
		fmt.Fprintf(b, "        # (%d unchanged %s hidden)\n", unchanged, plural(unchanged, "attribute", "attributes"))
	}
	return len(c.Attrs) > 0
}

// texts writes each changed file as a unified diff under a "~ file PATH" line.
func (v *planHuman) texts(b *bytes.Buffer, c *planner.Change) bool {
	v.textDiffs(b, c.Texts, "      ")
	return len(c.Texts) > 0
}

// textDiffs writes files as unified diffs, each line indented by indent.
func (v *planHuman) textDiffs(b *bytes.Buffer, texts []planner.TextDiff, indent string) {
	for i, t := range texts {
		if i > 0 {
			b.WriteByte('\n')
		}
		sym := "~"
		switch {
		case t.Before == "" && !t.Sensitive:
			sym = "+"
		case t.After == "" && !t.Sensitive:
			sym = "-"
		}
		if t.Sensitive {
			fmt.Fprintf(b, "%s%s file %s = (sensitive content)\n", indent, v.pal.symbol(sym), t.Path)
			continue
		}
		fmt.Fprintf(b, "%s%s file %s\n", indent, v.pal.symbol(sym), t.Path)
		for _, l := range textDiff(t) {
			if l.kind == diffHeaderLine {
				continue // the "file PATH" line above says it
			}
			fmt.Fprintf(b, "%s    %s\n", indent, v.pal.diffLine(l))
		}
	}
}

func (v *planHuman) drift(b *bytes.Buffer, c *planner.Change) bool {
	for _, d := range c.Drift {
		fmt.Fprintf(b, "      %s node %s differs: %s\n", v.pal.yellow("!"), d.Node, d.Summary)
		for _, detail := range d.Details {
			fmt.Fprintf(b, "          %s\n", detail)
		}
		v.textDiffs(b, d.Texts, "          ")
	}
	return len(c.Drift) > 0
}

func (v *planHuman) operations(b *bytes.Buffer, c *planner.Change) bool {
	if len(c.Operations) == 0 {
		return false
	}
	b.WriteString("      # apply will run, in order:\n")
	for i, o := range c.Operations {
		fmt.Fprintf(b, "      %d. [%s] %s", i+1, o.Node, o.Step)
		if o.Command != "" {
			fmt.Fprintf(b, "  (%s)", o.Command)
		}
		b.WriteByte('\n')
	}
	return true
}

// finish ends a plan's text with its summary line and diagnostics, and writes it out.
func (v *planHuman) finish(b *bytes.Buffer, p *planner.Plan) error {
	v.summary(b, p)
	for _, d := range p.Diagnostics {
		b.WriteByte('\n')
		v.diagnostic(b, d)
	}
	if _, err := v.w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the plan: %w", err)
	}
	return nil
}

func (v *planHuman) summary(b *bytes.Buffer, p *planner.Plan) {
	switch {
	case p.Errored:
		fmt.Fprintf(b, "%s The changes above are incomplete and cannot be applied.\n", v.pal.boldRed("Planning failed."))
	case !p.HasChanges():
		fmt.Fprintf(b, "%s Your clusters match the configuration.\n", v.pal.boldGreen("No changes."))
	default:
		add, change, destroy := p.Counts()
		fmt.Fprintf(b, "%s %d to add, %d to change, %d to destroy.\n", v.pal.bold("Plan:"), add, change, destroy)
	}
}

// diagnostic writes a warning or error found while planning:
//
//	Warning: summary
//
//	  on group.iis:
//	  detail
func (v *planHuman) diagnostic(b *bytes.Buffer, d planner.Diagnostic) {
	if d.Severity == planner.SeverityError {
		fmt.Fprintf(b, "%s %s\n", v.pal.boldRed("Error:"), d.Summary)
	} else {
		fmt.Fprintf(b, "%s %s\n", v.pal.boldYellow("Warning:"), d.Summary)
	}
	if d.Addr == "" && d.Detail == "" {
		return
	}
	b.WriteByte('\n')
	if d.Addr != "" {
		fmt.Fprintf(b, "  on %s:\n", d.Addr)
	}
	for line := range strings.Lines(d.Detail) {
		fmt.Fprintf(b, "  %s\n", strings.TrimRight(line, "\n"))
	}
}

// WritePlanDiagnostics writes the errors and warnings found while planning, each after an empty
// line and as the text plan shows them, in one Write: commands put them on stderr while the plan
// goes to stdout.
func WritePlanDiagnostics(w io.Writer, diags []planner.Diagnostic, colour bool) error {
	if len(diags) == 0 {
		return nil
	}
	v := planHuman{pal: ansiPalette{on: colour}}
	var b bytes.Buffer
	for _, d := range diags {
		b.WriteByte('\n')
		v.diagnostic(&b, d)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing the plan's diagnostics: %w", err)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ansiPalette colours text with ANSI escapes when on, and leaves it alone when off.
type ansiPalette struct{ on bool }

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

func (p ansiPalette) paint(codes, s string) string {
	if !p.on || s == "" {
		return s
	}
	return codes + s + ansiReset
}

func (p ansiPalette) bold(s string) string       { return p.paint(ansiBold, s) }
func (p ansiPalette) red(s string) string        { return p.paint(ansiRed, s) }
func (p ansiPalette) green(s string) string      { return p.paint(ansiGreen, s) }
func (p ansiPalette) yellow(s string) string     { return p.paint(ansiYellow, s) }
func (p ansiPalette) boldRed(s string) string    { return p.paint(ansiBold+ansiRed, s) }
func (p ansiPalette) boldGreen(s string) string  { return p.paint(ansiBold+ansiGreen, s) }
func (p ansiPalette) boldYellow(s string) string { return p.paint(ansiBold+ansiYellow, s) }

// symbol colours an attribute or file marker: + green, ~ yellow, - red.
func (p ansiPalette) symbol(s string) string {
	switch strings.TrimSpace(s) {
	case "+":
		return p.green(s)
	case "~":
		return p.yellow(s)
	case "-":
		return p.red(s)
	}
	return s
}

// action colours an action's symbol, given already padded; a replace shows its - red and its +
// green.
func (p ansiPalette) action(a planner.Action, padded string) string {
	if a == planner.Replace {
		return strings.Replace(strings.Replace(padded, "-", p.red("-"), 1), "+", p.green("+"), 1)
	}
	return p.symbol(padded)
}

func (p ansiPalette) diffLine(l diffLine) string {
	switch l.kind {
	case diffHeaderLine:
		return p.bold(l.text)
	case diffHunkLine:
		return p.paint(ansiCyan, l.text)
	case diffAddedLine:
		return p.green(l.text)
	case diffRemovedLine:
		return p.red(l.text)
	}
	return l.text
}
