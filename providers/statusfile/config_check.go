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
		for _, l := range s.want.Logicals {
			for _, f := range []string{l.A, l.B} {
				if !config.StatusFilePathUsable(f) {
					out = append(out, planner.Diagnostic{Severity: planner.SeverityError, Summary: "Status file path not usable",
						Addr: s.sf.Addr.String(), Detail: fmt.Sprintf("%q: status files are named by drive paths without blanks.", f)})
				}
			}
		}
	}
	return out
}
