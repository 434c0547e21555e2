package statusfile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// absent is the exit status of the read script when the file does not exist.
const absent = 3

// Observe commands per service, in the order their results come back.
const (
	obsDef = iota
	obsFiles
	obsPerService
)

// readScript prints a file, or exits with status absent when there is none.
const readScript = `[ -e "$1" ] || exit 3
exec cat -- "$1"`

// sizeScript prints, per argument, one line: the file's size in bytes, "-" when nothing is
// there, or "notfile" when something else than a regular file is.
const sizeScript = `for f do
	if [ -f "$f" ]; then wc -c <"$f" | tr -d ' '
	elif [ -e "$f" ]; then echo notfile
	else echo -
	fi
done`

// ObserveOps reads, for each status_file block, its definition file and what is at the
// A and B paths of each declared logical file, all in the node's single session. (They are
// POSIX-only commands still: a Windows dialect refuses them.)
func (u *unit) ObserveOps(addrs.Address) []transport.Op {
	var ops []transport.Op
	for _, s := range u.services {
		for _, c := range s.observeCommands() {
			ops = append(ops, c)
		}
	}
	return ops
}

func (s *service) observeCommands() []transport.Command {
	var paths []any
	for _, l := range s.want.Logicals {
		paths = append(paths, nodePath(l.A), nodePath(l.B))
	}
	return []transport.Command{transport.Shell(readScript, s.def), transport.Shell(sizeScript, paths...)}
}

// observed is what one service's commands reported.
type observed struct {
	def    []byte // the definition file's bytes, never parsed (its syntax is unknown)
	hasDef bool
	// files is what is at each declared logical file's A and B paths, by logical file name.
	files map[string]LogicalState
	// fingerprint identifies everything read, to refuse stale saved plans.
	fingerprint string
}

// errIncomplete: a status read came back with fewer results than commands.
var errIncomplete = errors.New("incomplete answer from the node")

// notFile is the size recorded for a path that holds something else than a regular file.
const notFile = -2

// decodeService turns one service's results into what it observed.
func (s *service) decode(res []transport.Outcome) (*observed, error) {
	o := &observed{files: map[string]LogicalState{}}
	h := sha256.New()
	for _, r := range res {
		fmt.Fprintf(h, "%d\x00%d\x00", r.ExitCode, len(r.Stdout))
		h.Write(r.Stdout)
	}
	o.fingerprint = hex.EncodeToString(h.Sum(nil))
	switch r := res[obsDef]; {
	case r.ExitCode == absent:
	case !r.OK():
		return nil, fmt.Errorf("cannot read the definition file (status %d): %s", r.ExitCode, transport.FirstLine(r.Stderr))
	default:
		o.def, o.hasDef = r.Stdout, true
	}
	sizes, err := parseSizes(res[obsFiles].Result, 2*len(s.want.Logicals))
	if err != nil {
		return nil, err
	}
	for i, l := range s.want.Logicals {
		o.files[l.Name] = LogicalState{Logical: l, State: Unknown, ASize: sizes[2*i], BSize: sizes[2*i+1]}
	}
	return o, nil
}

// parseSizes reads sizeScript's lines: want of them.
func parseSizes(r transport.Result, want int) ([]int64, error) {
	if !r.OK() {
		return nil, fmt.Errorf("cannot look at the status files (status %d): %s", r.ExitCode, transport.FirstLine(r.Stderr))
	}
	lines := strings.Fields(string(r.Stdout))
	if len(lines) != want {
		return nil, fmt.Errorf("looking at the status files gave %d answers for %d files", len(lines), want)
	}
	out := make([]int64, want)
	for i, l := range lines {
		switch l {
		case "-":
			out[i] = -1
		case "notfile":
			out[i] = notFile
		default:
			n, err := strconv.ParseInt(l, 10, 64)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("looking at the status files: %q is not a size", l)
			}
			out[i] = n
		}
	}
	return out, nil
}
