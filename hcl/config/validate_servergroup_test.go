package config

import (
	"fmt"
	"testing"
)

// system_dir, where the tool creates its run lock, may not be settings_dir or lie inside it;
// paths compare cleaned, Windows ones case-insensitively and with either separator.
func TestSystemDirOutsideSettingsDir(t *testing.T) {
	for _, tc := range []struct {
		settings, system string
		refused          bool
	}{
		{"/opt/wsmgr/config", "/var/tmp", false},
		{"/opt/wsmgr/config", "/opt/wsmgr/config", true},
		{"/opt/wsmgr/config", "/opt/wsmgr/config/", true},
		{"/opt/wsmgr/config", "/opt/wsmgr/config/tmp", true},
		{"/opt/wsmgr/config", "/opt/wsmgr/x/../config/tmp", true},
		{"/opt/wsmgr/config", "/opt/wsmgr/configs", false},
		{"/opt/wsmgr/config", "/opt/wsmgr", false},        // the install directory, beside the settings
		{"/opt/wsmgr/config", "/opt/WSMGR/config", false}, // POSIX paths are case-sensitive
		{`C:\WSMGR\config`, `c:/wsmgr/CONFIG`, true},
		{`C:\WSMGR\config`, `C:\WSMGR\Config\lock`, true},
		{`C:\WSMGR\config`, `C:\Windows\Temp`, false},
		{"/", "/var/tmp", true},
	} {
		t.Run(tc.settings+" "+tc.system, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"main.hcl": fmt.Sprintf(`
node "web1" { address = "10.0.1.21" }
node "web2" { address = "10.0.1.22" }
server_group "web" {
  management         = node.web1
  settings_dir       = %q
  system_dir         = %q
  sync_command       = ["/usr/local/sbin/wsmgr-sync", "{node}"]
  sync_check_command = ["/usr/local/sbin/wsmgr-sync-state", "{node}"]
  member "m1" { node = node.web2 }
}
ssh { shell = "posix" } # POSIX site commands; the Windows path rules are TestServerGroupOnWindowsNodes's
`, tc.settings, tc.system)})
			_, diags := Load(dir, LoadOptions{})
			refused := false
			for _, d := range diags {
				if d.Summary == "system_dir inside settings_dir" {
					refused = true
					if d.Subject == nil || d.Subject.Start.Line != 7 {
						t.Errorf("diagnostic not at system_dir (line 7): %v", d.Subject)
					}
				}
			}
			if !tc.refused && diags.HasErrors() {
				t.Errorf("a valid server group is refused: %v", diags)
			}
			if refused != tc.refused {
				t.Errorf("refused = %t, want %t (diagnostics: %v)", refused, tc.refused, diags)
			}
		})
	}
}
