package statusfile

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// ListCommand lists every pair of every logical file of a definition with xodstsls
// (`cluster status`); it prints nothing when there is no definition file.
func ListCommand(def, install transport.NodePath) transport.Command {
	const list = `[ -e "$2" ] || exit 0
[ -x "$1" ] || exit 127
exec "$1" -d "$2"`
	return transport.Shell(list, install.Join("bin", "xodstsls"), def)
}

// ParseListing reads xodstsls output, "LOGICAL A B STATE" per line, into the pairs of each
// logical file in definition order.
func ParseListing(r transport.Result) (map[string][]PairState, error) {
	switch {
	case r.ExitCode == 127:
		return nil, fmt.Errorf("xodstsls is not installed")
	case !r.OK():
		return nil, fmt.Errorf("xodstsls exited with status %d: %s", r.ExitCode, transport.FirstLine(r.Stderr))
	}
	out := map[string][]PairState{}
	for i, line := range strings.Split(string(r.Stdout), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 4 || !State(f[3]).valid() {
			return nil, fmt.Errorf("xodstsls line %d: want \"LOGICAL A B STATE\", got %q", i+1, line)
		}
		out[f[0]] = append(out[f[0]], PairState{Pair: Pair{A: f[1], B: f[2]}, State: State(f[3])})
	}
	return out, nil
}
