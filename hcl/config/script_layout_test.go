package config

import "testing"

// The script layout's paths parse back to their owners.
func TestScriptOwner(t *testing.T) {
	for _, p := range []Platform{Linux, Windows} {
		start, stop := ExecScriptPaths("g", "exec1", p)
		for _, path := range []string{start, stop} {
			if g, n, mon, ok := ScriptOwner(path); g != "g" || n != "exec1" || mon || !ok {
				t.Errorf("ScriptOwner(%q) = %q, %q, %v, %v", path, g, n, mon, ok)
			}
		}
		if g, n, mon, ok := ScriptOwner(MonitorScriptPath("genw1", p)); g != "" || n != "genw1" || !mon || !ok {
			t.Errorf("ScriptOwner(%q) = %q, %q, %v, %v", MonitorScriptPath("genw1", p), g, n, mon, ok)
		}
	}
	for _, path := range []string{"scripts/g/exec1/helper.sh", "scripts/monitor.s/m/preaction.sh", "scripts/g/exec1/sub/start.sh", "clp.conf"} {
		if _, _, _, ok := ScriptOwner(path); ok {
			t.Errorf("ScriptOwner(%q) is ok; want no owner", path)
		}
	}
}
