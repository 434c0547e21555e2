package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// On a management node reached with cmd or powershell the site commands must be absolute
// paths of .exe programs, and a group with such a node needs Windows drive paths; each
// refusal points at the attribute (line and column) and says how to fix it.
func TestServerGroupOnWindowsNodes(t *testing.T) {
	const good = `C:\\Site\\wsmgr-sync.exe`
	for name, tc := range map[string]struct {
		mgmtShell, memberShell string
		settings, system       string
		sync                   string
		want                   []string // "summary line:column"
	}{
		"cmd node, .exe programs and drive paths": {mgmtShell: "cmd", memberShell: "cmd", settings: `C:\\WSMGR\\config`, system: `C:\\Windows\\Temp`, sync: good},
		"upper-case EXE":                     {mgmtShell: "cmd", memberShell: "cmd", settings: `C:\\WSMGR\\config`, system: `C:\\Windows\\Temp`, sync: `D:\\S\\SYNC.EXE`},
		"posix nodes take POSIX programs":    {mgmtShell: "posix", memberShell: "posix", settings: "/opt/wsmgr/config", system: "/var/tmp", sync: "/usr/local/sbin/wsmgr-sync"},
		"posix node on Windows paths (MSYS)": {mgmtShell: "posix", memberShell: "posix", settings: `C:\\WSMGR\\config`, system: `C:\\Windows\\Temp`, sync: good},
		"a POSIX program on a cmd node":      {mgmtShell: "cmd", memberShell: "cmd", settings: `C:\\WSMGR\\config`, system: `C:\\Windows\\Temp`, sync: "/usr/local/sbin/wsmgr-sync", want: []string{"Site command is not a Windows program 18:24"}},
		"a batch file on a powershell node":  {mgmtShell: "powershell", memberShell: "cmd", settings: `C:\\WSMGR\\config`, system: `C:\\Windows\\Temp`, sync: `C:\\Site\\sync.bat`, want: []string{"Site command is not a Windows program 18:24"}},
		"a program name on PATH":             {mgmtShell: "cmd", memberShell: "cmd", settings: `C:\\WSMGR\\config`, system: `C:\\Windows\\Temp`, sync: "wsmgr-sync.exe", want: []string{"Site command is not a Windows program 18:24"}},
		"forward slashes":                    {mgmtShell: "cmd", memberShell: "cmd", settings: `C:\\WSMGR\\config`, system: `C:\\Windows\\Temp`, sync: "C:/Site/wsmgr-sync.exe", want: []string{"Site command is not a Windows program 18:24"}},
		"POSIX dirs with a cmd member":       {mgmtShell: "posix", memberShell: "cmd", settings: "/opt/wsmgr/config", system: "/var/tmp", sync: "/usr/local/sbin/wsmgr-sync", want: []string{"Not a Windows path 16:24", "Not a Windows path 17:24"}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeDir(t, map[string]string{"main.hcl": fmt.Sprintf(`node "web1" {
  address = "10.0.1.21"
  ssh {
    shell = %q
  }
}
node "web2" {
  address = "10.0.1.22"
  ssh {
    shell = %q
  }
}
server_group "web" {
  management         = node.web1
  # the group's directories and commands
  settings_dir       = "%s"
  system_dir         = "%s"
  sync_command       = ["%s", "{node}"]
  sync_check_command = ["%s", "{node}"]
  member "m1" { node = node.web2 }
}
ssh { code_page = 932 } # a Japanese Windows; last, so that the lines above keep their numbers
`, tc.mgmtShell, tc.memberShell, tc.settings, tc.system, tc.sync, strings.ReplaceAll(good, "sync", "state"))})
			_, diags := Load(dir, LoadOptions{})
			var got []string
			for _, d := range diags {
				at := ""
				if d.Subject != nil {
					at = fmt.Sprintf(" %d:%d", d.Subject.Start.Line, d.Subject.Start.Column)
					if !strings.HasSuffix(d.Subject.Filename, "main.hcl") {
						t.Errorf("%s: in %s, want main.hcl", d.Summary, d.Subject.Filename)
					}
				}
				got = append(got, d.Summary+at)
				if !strings.Contains(d.Detail, "e.g.") {
					t.Errorf("%s: no fix hint: %s", d.Summary, d.Detail)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}
