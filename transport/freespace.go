package transport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The POSIX dialect measures free space with df -Pk (POSIX.1 df: -P the portable one-line
// format, -k 1024-byte units; the fourth column is the space available to the user). It asks
// about the nearest existing ancestor of each path, since df refuses a missing path. df is
// looked up on PATH, with the node root's bin first when there is a node root: lab and test
// nodes keep there the df that honours their disk-full fault (lab/emulate/df.go). On a real
// node CLUSTER_NODE_ROOT is unset and PATH is left alone.
const freeSpaceScript = `PATH=${CLUSTER_NODE_ROOT:+$CLUSTER_NODE_ROOT/bin:}$PATH
for p do
	while [ ! -e "$p" ] && [ "$p" != / ] && [ "$p" != . ]; do p=$(dirname -- "$p"); done
	set -- "$@" "$p"
	shift
done
exec df -Pk -- "$@"`

func posixFreeSpace(o FreeSpace) Command { return Shell(freeSpaceScript, pathArgs(o.Paths)...) }

// DecodeDf reads `df -Pk` output about n paths: a header, then one row per path, in order,
// whose fourth column is the space available in KiB. It returns bytes per path.
func DecodeDf(out []byte, n int) ([]int64, error) {
	var free []int64
	for i, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if i == 0 {
			continue // the header
		}
		if len(f) < 6 {
			return nil, fmt.Errorf("df: unexpected line %q", line)
		}
		kib, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil || kib < 0 {
			return nil, fmt.Errorf("df: unexpected available column %q", f[3])
		}
		if kib > math.MaxInt64/1024 {
			kib = math.MaxInt64 / 1024
		}
		free = append(free, kib*1024)
	}
	if len(free) != n {
		return nil, fmt.Errorf("df printed %d rows for %d paths", len(free), n)
	}
	return free, nil
}
