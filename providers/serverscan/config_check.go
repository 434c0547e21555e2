package serverscan

import "github.com/clusterctl/cluster/planner"

// ConfigDiagnostics returns the errors Plan reports from the configuration alone. The tool
// writes nothing from the scan_server blocks to the host, so there are none: the values are
// checked by the loader (hcl/config).
func (u *unit) ConfigDiagnostics() []planner.Diagnostic { return nil }
