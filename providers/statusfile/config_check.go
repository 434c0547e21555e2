package statusfile

import (
	"fmt"

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

// configDiagnostics checks one definition file's status files: one install directory, and
// paths the definition file can hold.
func (s *service) configDiagnostics() []planner.Diagnostic {
	var diags []planner.Diagnostic
	if s.conflict != nil {
		diags = append(diags, planner.Diagnostic{Severity: planner.SeverityError,
			Summary: "One definition file, two install directories", Addr: s.conflict.Addr.String(),
			Detail: fmt.Sprintf("%s and %s both use the definition file %s but name different install_dir values. "+
				"The logical files of one definition file belong to one object server: give them the same install_dir.",
				s.files[0].Addr, s.conflict.Addr, s.def)})
	}
	return append(diags, checkPaths(s.want, s.declared)...)
}
