package serverscan

import (
	"fmt"

	"github.com/clusterctl/cluster/planner"
)

// renderDesired renders the settings file the declared scan servers need, in vkhoststat order.
// It depends on the configuration alone; a value the file cannot carry is an error diagnostic.
func (u *unit) renderDesired() ([]Entry, []byte, *planner.Diagnostic) {
	desired := inStatOrder(u.desiredEntries())
	rendered, err := RenderSettings(desired)
	if err != nil {
		d := errorAt(u.s.Addr, "Scan server not writable to the settings",
			fmt.Sprintf("%v. The settings file separates fields with whitespace: change the value in the configuration.", err))
		return nil, nil, &d
	}
	return desired, rendered, nil
}

// ConfigDiagnostics returns the errors Plan reports from the configuration alone, whatever the
// host holds; `cluster validate` reports each of them first, located (hcl/config).
func (u *unit) ConfigDiagnostics() []planner.Diagnostic {
	if _, _, bad := u.renderDesired(); bad != nil {
		return []planner.Diagnostic{*bad}
	}
	return nil
}
