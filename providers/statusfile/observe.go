package statusfile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// absent is the exit status of the read script when the file does not exist.
const absent = 3

// Observe commands per service, in the order their results come back.
const (
	obsDef = iota
	obsStaged
	obsList
	obsPerService
)

// readScript prints a file, or exits with status absent when there is none.
const readScript = `[ -e "$1" ] || exit 3
exec cat -- "$1"`

// listScript lists every pair with xodstsls, from the staged definition when an interrupted
// apply left one (it names every pair that may exist), else from the definition file.
const listScript = `d="$2"
[ -e "$3" ] && d="$3"
[ -e "$d" ] || exit 0
exec "$1" -d "$d"`

// ObserveCommands reads, for each definition file of the node, the file, its staged copy and
// the xodstsls listing, all in the node's single session.
func (u *unit) ObserveCommands(addrs.Address) []transport.Command {
	var cmds []transport.Command
	for _, s := range u.services {
		cmds = append(cmds,
			transport.Cmd("sh", "-c", readScript, "sh", s.def),
			transport.Cmd("sh", "-c", readScript, "sh", s.staged()),
			transport.Cmd("sh", "-c", listScript, "sh", s.bin("xodstsls"), s.def, s.staged()),
		)
	}
	return cmds
}

// observed is what one definition file's commands reported.
type observed struct {
	def      Definition // the definition file; empty when absent
	hasDef   bool
	staged   Definition // the staged copy an interrupted apply left
	hasStage bool
	// pairs is the listing per logical file, in definition order, from the staged copy when
	// there is one.
	pairs map[string][]PairState
	// fingerprint identifies everything read, to refuse stale saved plans.
	fingerprint string
}

// listed is the definition the listing came from.
func (o *observed) listed() Definition {
	if o.hasStage {
		return o.staged
	}
	return o.def
}

// decodeService turns one service's three results into what it observed.
func decodeService(res []transport.Result) (*observed, error) {
	o := &observed{pairs: map[string][]PairState{}}
	h := sha256.New()
	for _, r := range res {
		fmt.Fprintf(h, "%d\x00%d\x00", r.ExitCode, len(r.Stdout))
		h.Write(r.Stdout)
	}
	o.fingerprint = hex.EncodeToString(h.Sum(nil))
	var err error
	if o.def, o.hasDef, err = decodeDefinition(res[obsDef]); err != nil {
		return nil, fmt.Errorf("definition file: %w", err)
	}
	if o.staged, o.hasStage, err = decodeDefinition(res[obsStaged]); err != nil {
		return nil, fmt.Errorf("staged definition: %w", err)
	}
	list := res[obsList]
	if !list.OK() {
		return nil, fmt.Errorf("xodstsls exited with status %d: %s", list.ExitCode, transport.FirstLine(list.Stderr))
	}
	for i, line := range strings.Split(strings.TrimSpace(string(list.Stdout)), "\n") {
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return nil, fmt.Errorf("xodstsls line %d: want \"LOGICAL A B STATE\", got %q", i+1, line)
		}
		o.pairs[f[0]] = append(o.pairs[f[0]], PairState{Pair: Pair{A: f[1], B: f[2]}, State: State(f[3])})
	}
	// The listing and the definition it came from must agree pair for pair.
	for _, l := range o.listed().Logicals {
		got := o.pairs[l.Name]
		if len(got) != len(l.Pairs) {
			return nil, fmt.Errorf("xodstsls lists %d pairs of %s, the definition %d", len(got), l.Name, len(l.Pairs))
		}
		for i, p := range l.Pairs {
			if got[i].Pair != p {
				return nil, fmt.Errorf("xodstsls lists pair %s of %s where the definition has %s", got[i].Pair, l.Name, p)
			}
		}
	}
	for name := range o.pairs {
		if _, ok := o.listed().Find(name); !ok {
			return nil, fmt.Errorf("xodstsls lists logical file %s, which the definition does not name", name)
		}
	}
	return o, nil
}

func decodeDefinition(r transport.Result) (Definition, bool, error) {
	switch {
	case r.ExitCode == absent:
		return Definition{}, false, nil
	case !r.OK():
		return Definition{}, false, fmt.Errorf("cannot read it (status %d): %s", r.ExitCode, transport.FirstLine(r.Stderr))
	}
	d, err := ParseDefinition(r.Stdout)
	return d, true, err
}
