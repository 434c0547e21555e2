package config

import "strings"

// On a node reached through Microsoft's OpenSSH without a POSIX shell (shell = "cmd" or
// "powershell") every command is one program named by its absolute Windows path, started
// through the node's shell without a pty (docs/windows.md): so a server group whose
// management node is such a node needs its site commands (all run there) as absolute paths of
// .exe programs, and a group with any such node needs settings_dir and system_dir as Windows
// drive paths, since the tool reads and locks them over SFTP (/C:/... paths). A .exe, not a
// .bat or .cmd: cmd.exe parses a batch file's arguments again (the ^ and % rules), which the
// tool's quoting does not undo.

// windowsSiteExample is what a site command could look like on a cmd node, for the fix hint.
const windowsSiteExample = `["C:\\Program Files\\Site\\wsmgr-sync.exe", "{node}"]`

func (l *loader) validateServerGroupWindows(sg *ServerGroup) {
	if mgmt := sg.Management; mgmt != nil && windowsShell(mgmt.Endpoint.SSH) {
		for _, c := range sg.siteCommands() {
			if len(c.argv) == 0 || c.argv[0] == "" || windowsProgram(c.argv[0]) {
				continue
			}
			l.errorf(l.where(sg, c.attr, sg.DeclRange), "Site command is not a Windows program",
				"%s of %s runs on the management node %s, whose shell is %q: there every command is one program named "+
					"by its absolute Windows path, and it must be an .exe (a .bat or .cmd would be parsed again by cmd.exe), "+
					"not %q. Give the program's full path, e.g. %s = %s (in HCL, each backslash written twice).",
				c.attr, sg.Addr, mgmt.Addr, mgmt.Endpoint.SSH.Shell, c.argv[0], c.attr, windowsSiteExample)
		}
	}
	node := sg.Management
	for _, m := range sg.Members {
		if node != nil && windowsShell(node.Endpoint.SSH) {
			break
		}
		node = m.Node
	}
	if node == nil || !windowsShell(node.Endpoint.SSH) {
		return
	}
	for _, d := range []struct{ attr, value, example string }{
		{"settings_dir", sg.SettingsDir, `C:\\Program Files\\WSMGR\\config`},
		{"system_dir", sg.SystemDir, `C:\\Windows\\Temp`},
	} {
		if d.value == "" || windowsDrivePath(d.value) {
			continue
		}
		l.errorf(l.where(sg, d.attr, sg.DeclRange), "Not a Windows path",
			"%s %q of %s is read on %s, whose shell is %q: the tool reaches its files over SFTP as Microsoft's OpenSSH "+
				"serves them, by absolute Windows drive paths with backslashes. Write it as such, e.g. %s = %q.",
			d.attr, d.value, sg.Addr, node.Addr, node.Endpoint.SSH.Shell, d.attr, strings.ReplaceAll(d.example, `\\`, `\`))
	}
}
