package statusfile

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// ConfigDiagnostics returns the errors Plan reports from the configuration alone, whatever the
// node holds; `cluster validate` reports each of them first, located (hcl/config).
func (u *unit) ConfigDiagnostics() []planner.Diagnostic {
	var out []planner.Diagnostic
	for _, s := range u.services {
		out = append(out, s.configDiagnostics()...)
	}
	return out
}

func (s *service) configDiagnostics() []planner.Diagnostic {
	var out []planner.Diagnostic
	addr := s.sf.Addr.String()
	fail := func(summary, format string, args ...any) {
		out = append(out, planner.Diagnostic{Severity: planner.SeverityError, Summary: summary, Addr: addr, Detail: fmt.Sprintf(format, args...)})
	}
	for _, l := range s.want.Logicals {
		for _, f := range []string{l.A, l.B} {
			if !config.StatusFilePathUsable(f) {
				fail("Status file path not usable", "%q: status files are named by drive paths without blanks.", f)
			}
		}
	}
	if s.sf.InitCommand != nil {
		if p := config.StatusFileInitCommandProblem(s.sf.InitCommand); p != "" {
			fail("Unusable init_command", "init_command %s (docs/statusfile.md).", p)
		}
	}
	if s.managesDefinition() {
		for _, p := range config.CheckDefinitionText(s.sf.DefinitionContent, s.sf.Logicals) {
			summary := "Definition order differs"
			if len(p.Missing) > 0 {
				summary = "Definition does not name a status file"
			}
			fail(summary, "definition_content: %s.", p)
		}
	}
	return out
}
