package statusfile

import "github.com/clusterctl/cluster/transport"

// The status-file commands of table 5-1 (seed 003), the only ones a public source names. Every
// argument the tool passes them is built in this file, so that an option found in the product's
// manual is fixed once. docs/statusfile.md lists the sources.
//
//   - xodstsinit 「ステータスファイルの作成と初期化」: creates one physical file; the A and the B file
//     are each created with it (manual 2.3.4(1)(a), OSEN0019). Its options are in no public source
//     found. "-f PATH" is UNCONFIRMED: it follows xodstsopn, whose manual page names a physical
//     file with -f.
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

// initCommand creates and initialises one physical status file (UNCONFIRMED options, above).
func initCommand(install transport.NodePath, ntfs string) transport.Command {
	return transport.Cmd(install.Join("bin", string(Init)), "-f", nodePath(ntfs))
}

// OpenCommand opens both files of a logical file by its name (xodstsopn -n, OSEN0155). The
// plan never runs it; the plan's notes and the docs quote it for the operator.
func OpenCommand(install transport.NodePath, logical string) transport.Command {
	return transport.Cmd(install.Join("bin", string(Open)), "-n", logical)
}
