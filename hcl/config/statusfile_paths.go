package config

import (
	"strings"
	"unicode"

	"github.com/clusterctl/cluster/transport"
)

// DefaultStatusFileInstallDir is where the object server is installed when install_dir is not
// set (the lab's layout; a real server's %XODDIR% is site-specific). Validation needs it to tell
// which status files share a definition file.
const DefaultStatusFileInstallDir = "/opt/HiOBJ"

// StatusFileDefinition is where sf's status service definition is on its node, and the
// directory its xodsts* commands are installed in. The definition defaults to
// %XODDIR%\conf\sts (Groupmax Object Server Version 6 システム管理者ガイド 2.3.4(1)(b),
// itpfdoc.hitachi.co.jp/manuals/3020/30203b5640/OSEN0019.HTM). Validation, plan and status all
// use it, so they agree on which status files share a definition file.
func StatusFileDefinition(sf *StatusFile) (def, install transport.NodePath) {
	install = transport.NodePath(sf.InstallDir)
	if install == "" {
		install = DefaultStatusFileInstallDir
	}
	def = transport.NodePath(sf.DefinitionFile)
	if def == "" {
		def = install.Join("conf", "sts")
	}
	return def, install
}

// maxLogicalFiles is how many logical files a status service definition names: 「ステータスファイルは,
// ステータスサービス定義でA系,B系それぞれ7個まで指定できます」 (seed 003).
const maxLogicalFiles = 7

// maxLogicalNameBytes: xodstsopn -n takes 「1〜8バイトの<識別子>」 (OSEN0155).
const maxLogicalNameBytes = 8

// LogicalFileNameUsable reports whether name is a logical file name xodstsopn -n accepts: an
// identifier of 1 to 8 bytes. The manual does not define <識別子> on that page; this takes the
// conservative reading: an ASCII letter, then ASCII letters and digits.
func LogicalFileNameUsable(name string) bool {
	if len(name) == 0 || len(name) > maxLogicalNameBytes || !isASCIILetter(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		if !isASCIILetter(name[i]) && (name[i] < '0' || name[i] > '9') {
			return false
		}
	}
	return true
}

func isASCIILetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// StatusFilePathUsable reports whether p can name a status file: a path from a drive letter
// (「ドライブ名から始まるパス名(絶対パス名)」, xodstsopn -f, OSEN0155; the files are on NTFS, seed 003),
// without blanks or control characters (the syntax-free check of a definition text,
// CheckDefinitionText, takes a blank as the end of a path) and without "." or ".." components.
func StatusFilePathUsable(p string) bool {
	if len(p) < 4 || !isASCIILetter(p[0]) || p[1] != ':' || p[2] != '\\' {
		return false
	}
	if strings.ContainsFunc(p, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' }) {
		return false
	}
	for _, part := range strings.Split(p[3:], `\`) {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}
