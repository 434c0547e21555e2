package views

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
)

func TestPlanMarkdownGolden(t *testing.T) {
	var out bytes.Buffer
	renderPlan(t, NewPlanMarkdown(&out), representativePlan())
	checkGolden(t, "plan.md", out.Bytes())
	got := out.String()
	if !strings.HasPrefix(got, "**Plan:** 2 to add, 2 to change, 2 to destroy\n") {
		t.Errorf("the summary is not the first line:\n%s", got)
	}
	if strings.Contains(got, secret) || strings.Contains(got, "old-pw") {
		t.Error("a sensitive value reached the Markdown")
	}
	// One per unit: cluster.web (three objects), server_group.web, and status_file.old, whose
	// change carries no unit (a plan file from before units) and so stands alone.
	if n, m := strings.Count(got, "<details>"), strings.Count(got, "</details>"); n != 3 || m != n {
		t.Errorf("%d <details> and %d </details>, want 3 of each (the hidden no-op has none)", n, m)
	}
	for _, summary := range []string{
		"<details><summary><code>cluster.web</code>: 1 to add, 2 to change, drift on 1 node</summary>",
		"<details><summary><code>server_group.web</code>: 1 to add, 1 to destroy</summary>",
		"#### `+ group.iis` will be created",
	} {
		if !strings.Contains(got, summary) {
			t.Errorf("missing %q", summary)
		}
	}
}

func TestPlanMarkdownSummaries(t *testing.T) {
	tests := map[string]struct {
		plan  *planner.Plan
		first string
	}{
		"no changes": {&planner.Plan{}, "**No changes.** Your clusters match the configuration."},
		"errored": {&planner.Plan{Errored: true, Diagnostics: []planner.Diagnostic{{Severity: "error", Summary: "Node unreachable", Addr: "cluster.web.node.sv2"}}},
			"**Planning failed.** The changes below are incomplete and cannot be applied."},
		"targets": {&planner.Plan{Targets: []string{"cluster.web"}, Changes: []planner.Change{{Addr: addrs.Cluster("web"), Action: planner.Create}}},
			"**Plan:** 1 to add, 0 to change, 0 to destroy"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			renderPlan(t, NewPlanMarkdown(&out), tc.plan)
			first, _, _ := strings.Cut(out.String(), "\n")
			if first != tc.first {
				t.Errorf("first line %q, want %q\n%s", first, tc.first, out.String())
			}
			for _, d := range tc.plan.Diagnostics {
				if !strings.Contains(out.String(), "> **Error:** "+d.Summary) {
					t.Errorf("diagnostic %q missing:\n%s", d.Summary, out.String())
				}
			}
			if len(tc.plan.Targets) > 0 && !strings.Contains(out.String(), "Only `cluster.web` was planned") {
				t.Errorf("targets not noted:\n%s", out.String())
			}
		})
	}
}

// TestPlanMarkdownFenceCannotBeClosed checks that a script holding a code fence cannot end the
// diff block early, and that prose cannot inject HTML.
func TestPlanMarkdownFenceCannotBeClosed(t *testing.T) {
	p := &planner.Plan{Changes: []planner.Change{{
		Addr:   addrs.Resource("iis", "exec", "exec1"),
		Action: planner.Update,
		Reason: "<script>alert(1)</script>",
		Texts:  []planner.TextDiff{{Path: "/s.sh", Before: "echo\n", After: "echo ```\n````\n"}},
	}}}
	var out bytes.Buffer
	renderPlan(t, NewPlanMarkdown(&out), p)
	got := out.String()
	if !strings.Contains(got, "`````diff\n") || !strings.Contains(got, "\n`````\n") {
		t.Errorf("the fence is not longer than the content's backticks:\n%s", got)
	}
	if strings.Contains(got, "<script>") {
		t.Errorf("HTML from the plan reached the Markdown:\n%s", got)
	}
}

func TestInlineCode(t *testing.T) {
	for in, want := range map[string]string{
		"plain":    "`plain`",
		"a`b":      "`` a`b ``",
		"a``b`":    "``` a``b` ```",
		"$(x) > y": "`$(x) > y`",
	} {
		if got := inlineCode(in); got != want {
			t.Errorf("inlineCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPlanMarkdownTooLongLeavesOutDiffs checks that a plan too long for a comment keeps its
// summary and one block per object, without the diffs.
func TestPlanMarkdownTooLongLeavesOutDiffs(t *testing.T) {
	p := representativePlan()
	var full bytes.Buffer
	renderPlan(t, &planMarkdown{w: &full, limit: MarkdownLimit}, p)
	var short bytes.Buffer
	renderPlan(t, &planMarkdown{w: &short, limit: full.Len() - 1}, p)
	got := short.String()
	if strings.Contains(got, "```diff") || !strings.Contains(got, "The diffs are left out") ||
		!strings.HasPrefix(got, "**Plan:** 2 to add, 2 to change, 2 to destroy\n") ||
		strings.Count(got, "<details>") != strings.Count(full.String(), "<details>") {
		t.Errorf("shortened plan:\n%s", got)
	}
	if !strings.Contains(full.String(), "```diff") {
		t.Error("the full plan has no diff")
	}
}
