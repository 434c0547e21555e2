package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// unknown_content marks the parts of a literal script that are not known: accepted with a
// warning naming them (plan and apply refuse them, in the provider); a part both given and
// unknown, or a part that does not exist, is an error.
func TestUnknownScriptContent(t *testing.T) {
	tests := map[string]struct {
		script  string
		sev     hcl.DiagnosticSeverity
		summary string
		unknown []string
	}{
		"both parts unknown": {
			script:  `script "app" { unknown_content = ["start", "stop"] }`,
			sev:     hcl.DiagWarning,
			summary: "Script content not known",
			unknown: []string{"start", "stop"},
		},
		"stop unknown, start given": {
			script:  `script "app" { start = "echo start" ` + "\n" + ` unknown_content = ["stop"] }`,
			sev:     hcl.DiagWarning,
			summary: "Script content not known",
			unknown: []string{"stop"},
		},
		"start given and unknown": {
			script:  `script "app" { start = "echo start" ` + "\n" + ` unknown_content = ["start", "stop"] }`,
			sev:     hcl.DiagError,
			summary: "Content both given and unknown",
		},
		"no such part": {
			script:  `script "app" { unknown_content = ["restart"] }`,
			sev:     hcl.DiagError,
			summary: "Invalid value",
		},
		"only stop unknown, no start": {
			script:  `script "app" { unknown_content = ["stop"] }`,
			sev:     hcl.DiagError,
			summary: "Incomplete script",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"main.hcl": windowsCluster + strings.ReplaceAll(strings.ReplaceAll(tc.script, "{ ", "{\n"), " }", "\n}") + "\n"})
			loaded, diags := Load(dir, LoadOptions{})
			d := findDiag(diags, tc.sev, tc.summary)
			if d == nil {
				t.Fatalf("no %v %q among:\n%v", tc.sev, tc.summary, diags)
			}
			if tc.sev == hcl.DiagWarning {
				if diags.HasErrors() {
					t.Fatalf("errors: %v", diags.Errs())
				}
				s := loaded.Config.Scripts["app"]
				if diff := cmp.Diff(tc.unknown, s.UnknownContent); diff != "" {
					t.Errorf("UnknownContent (-want +got):\n%s", diff)
				}
				if !s.Literal() {
					t.Error("a script with unknown content is not literal: it would be generated")
				}
				for _, p := range tc.unknown {
					if !strings.Contains(d.Detail, p) {
						t.Errorf("the warning does not name %s: %s", p, d.Detail)
					}
				}
			}
		})
	}
}
