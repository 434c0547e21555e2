package config

import (
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// The path forms a node reached with a Windows shell (cmd, powershell) takes: files travel over
// SFTP by drive path, and each command is one program started by its absolute path
// (docs/windows.md). A .exe, not a .bat or .cmd: cmd.exe parses a batch file's arguments again
// (the ^ and % rules), which the tool's quoting does not undo.

// windowsDrivePath reports an absolute drive path with backslashes, X:\dir, in the form the
// SFTP transport carries (transport.CheckWindowsDrivePath: no "/", ".", ".." or empty
// element): what validates is what the node can be sent.
func windowsDrivePath(p string) bool { return transport.CheckWindowsDrivePath(p) == nil }

// windowsProgram reports an absolute drive path to an .exe: what a Windows-dialect node starts.
func windowsProgram(p string) bool {
	return windowsDrivePath(p) && len(p) > 7 && strings.EqualFold(p[len(p)-4:], ".exe") && p[len(p)-5] != '\\'
}
