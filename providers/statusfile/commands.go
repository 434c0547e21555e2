package statusfile

import (
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// The status-file commands of table 5-1 (seed 003), the only ones a public source names.
// docs/statusfile.md lists the sources.
//
//   - xodstsinit 「ステータスファイルの作成と初期化」: creates one physical file; the A and the B file
//     are each created with it (manual 2.3.4(1)(a), OSEN0019). Its options are in no public source
//     found, so the tool has none of its own: it runs the site's init_command, placeholders
//     replaced (config.StatusFileInitArgs), and only for a file that does not exist.
//   - xodstsopn -n 論理ファイル名 | -f 物理ファイル名 (manual page OSEN0155): confirmed. The tool
//     does not run it (see doc.go).
//   - xodstscls, xodstsrm, xodstsswp: options in no public source found; the tool never runs them.

// Verb is a status-file command.
type Verb string

const (
	Init   Verb = "xodstsinit"
	Open   Verb = "xodstsopn"
	Close  Verb = "xodstscls"
	Remove Verb = "xodstsrm"
	Swap   Verb = "xodstsswp"
)

// initCommand is the site's init_command for one side of a logical file, as one program with
// its arguments. An absolute program (/opt/..., D:\...) is a node path: a POSIX node finds it
// under its root (D:\HiOBJ\bin\xodstsinit.exe as /d/HiOBJ/bin/xodstsinit.exe), a cmd or
// powershell node starts it by that path (validation requires an absolute .exe there); anything
// else is looked up on PATH, by a POSIX shell only. Every argument is quoted for the node's
// dialect when sent.
func initCommand(argv []string, l Logical, side string) transport.Command {
	file := l.A
	if side == "B" {
		file = l.B
	}
	args := config.StatusFileInitArgs(argv, file, l.Name, side)
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = a
	}
	if p := args[0]; strings.HasPrefix(p, "/") || len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') {
		out[0] = transport.NodePath(p)
	}
	return transport.Cmd(out...)
}

// OpenCommand opens both files of a logical file by its name (xodstsopn -n, OSEN0155). The
// plan never runs it; the plan's notes and the docs quote it for the operator.
func OpenCommand(install transport.NodePath, logical string) transport.Command {
	return transport.Cmd(install.Join("bin", string(Open)), "-n", logical)
}
