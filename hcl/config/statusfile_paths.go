package config

import (
	"strings"
	"unicode"

	"github.com/clusterctl/cluster/transport"
)

// DefaultStatusFileInstallDir is where the object server is installed when install_dir is not
// set. Validation needs it to tell which status files share a definition file.
const DefaultStatusFileInstallDir = "/opt/HiOBJ"

// StatusFileDefinition is where sf's status service definition is on its node, and the
// directory its xodsts* commands are installed in. Validation, plan and status all use it, so
// they agree on which status files share a definition file.
func StatusFileDefinition(sf *StatusFile) (def, install transport.NodePath) {
	install = transport.NodePath(sf.InstallDir)
	if install == "" {
		install = DefaultStatusFileInstallDir
	}
	def = transport.NodePath(sf.DefinitionFile)
	if def == "" {
		def = install.Join("conf", "sts.def")
	}
	return def, install
}

// StatusFilePathUsable reports whether a status service definition can hold path p: absolute
// (in POSIX form, as the definition holds it) and without blanks or control characters, since
// the definition separates its fields by blanks.
func StatusFilePathUsable(p string) bool {
	return strings.HasPrefix(transport.NodePath(p).Posix(), "/") &&
		!strings.ContainsFunc(p, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}
