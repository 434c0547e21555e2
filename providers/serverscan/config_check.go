package serverscan

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// ConfigDiagnostics returns the errors Plan reports from the configuration alone, whatever the
// host holds; `cluster validate` reports each of them first, located (hcl/config). A service
// name or Scan-Connector host that cannot be one field of a services file could never match
// what the hosts register, so the port checks would compare against nothing.
func (u *unit) ConfigDiagnostics() []planner.Diagnostic {
	var out []planner.Diagnostic
	for _, s := range u.s.Servers {
		for _, f := range []struct{ attr, value string }{{"connector", s.Connector}, {"service", s.Service}} {
			if err := config.SingleField(f.value); err != nil {
				out = append(out, errorAt(s.Addr, "Value not usable as one field",
					fmt.Sprintf("%s of %s %q %v; it must be one blank-separated field, as in a services file: change it in the configuration.",
						f.attr, s.Addr, f.value, err)))
			}
		}
	}
	return out
}
