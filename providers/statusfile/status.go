package statusfile

import "github.com/clusterctl/cluster/transport"

// ListCommand lists every pair of every logical file of a definition with xodstsls
// (`cluster status`); it prints nothing when there is no definition file. It is not
// listScript's "node" mode: status lists what the definition file names, not an interrupted
// apply's staged copy, and checks no files; ParseListing reads both.
func ListCommand(def, install transport.NodePath) transport.Command {
	const list = `[ -e "$2" ] || exit 0
[ -x "$1" ] || exit 127
exec "$1" -d "$2"`
	return transport.Shell(list, install.Join("bin", "xodstsls"), def)
}
