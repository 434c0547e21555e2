package statusfile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
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
	obsWant
	obsPerService
)

// readScript prints a file, or exits with status absent when there is none.
const readScript = `[ -e "$1" ] || exit 3
exec cat -- "$1"`

// listScript lists every pair with xodstsls, then the files of each open or reserved pair that
// are missing on the node ("missing PATH"): the object server only notices at its next write.
// In mode "node" it lists from the staged definition when an interrupted apply left one (it
// names every pair that may exist), else from the definition file. In mode "want" it lists from
// the declared definition, read from stdin into a temporary file: the states of declared pairs
// that a hand-edited definition file no longer names.
const listScript = `ls=$1 d=$2 staged=$3 mode=$4
if [ "$mode" = want ]; then
	[ -x "$ls" ] || exit 0
	dir="${CLUSTER_NODE_ROOT-}/tmp"
	mkdir -p "$dir"
	d=$(mktemp "$dir/cluster-sts.XXXXXX") || exit 1
	trap 'rm -f "$d"' EXIT
	cat >"$d"
else
	[ -e "$staged" ] && d=$staged
	[ -e "$d" ] || exit 0
fi
out=$("$ls" -d "$d")
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 0 ] || exit "$rc"
printf '%s\n' "$out" | while read -r logical a b state; do
	case $state in current|spare|reserved) ;; *) continue ;; esac
	for f in "$a" "$b"; do
		[ -e "${CLUSTER_NODE_ROOT-}$f" ] || echo "missing $f"
	done
done`

// ObserveCommands reads, for each definition file of the node, the file, its staged copy, the
// xodstsls listing and the listing of the declared pairs, all in the node's single session.
func (u *unit) ObserveCommands(addrs.Address) []transport.Command {
	var cmds []transport.Command
	for _, s := range u.services {
		ls := s.bin("xodstsls")
		cmds = append(cmds,
			transport.Shell(readScript, s.def),
			transport.Shell(readScript, s.staged()),
			transport.Shell(listScript, ls, s.def, s.staged(), "node"),
			transport.Shell(listScript, ls, s.def, s.staged(), "want").WithStdin(s.want.Render()),
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
	o := &observed{}
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
	listed, missing, err := ParseListing(res[obsList])
	if err != nil {
		return nil, err
	}
	o.pairs = listed
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
	declared, missingDeclared, err := ParseListing(res[obsWant])
	if err != nil {
		return nil, fmt.Errorf("listing the declared pairs: %w", err)
	}
	o.addUndefined(declared)
	for f := range missingDeclared {
		missing[f] = true
	}
	for name, pairs := range o.pairs {
		for i := range pairs {
			for _, f := range []string{pairs[i].A, pairs[i].B} {
				if missing[f] {
					pairs[i].Missing = append(pairs[i].Missing, f)
				}
			}
		}
		o.pairs[name] = pairs
	}
	return o, nil
}

// addUndefined adds the declared pairs the object server knows (created, in any state) but the
// definition the listing came from does not name: the definition file was edited by hand. A
// pair that shares a file with a listed one is left out (the plan refuses re-pairing).
func (o *observed) addUndefined(declared map[string][]PairState) {
	for name, pairs := range declared {
		for _, p := range pairs {
			if p.State == Uninitialized {
				continue
			}
			if slices.ContainsFunc(o.pairs[name], func(q PairState) bool {
				return q.A == p.A || q.B == p.B || q.A == p.B || q.B == p.A
			}) {
				continue
			}
			p.Undefined = true
			o.pairs[name] = append(o.pairs[name], p)
		}
	}
}

// ParseListing reads xodstsls output, "LOGICAL A B STATE" per line, into the pairs of each
// logical file in definition order, and the files listScript reports missing ("missing PATH";
// ListCommand prints none). The observe commands and `cluster status` both read it.
func ParseListing(r transport.Result) (map[string][]PairState, map[string]bool, error) {
	switch {
	case r.ExitCode == 127:
		return nil, nil, fmt.Errorf("xodstsls is not installed")
	case !r.OK():
		return nil, nil, fmt.Errorf("xodstsls exited with status %d: %s", r.ExitCode, transport.FirstLine(r.Stderr))
	}
	pairs, missing := map[string][]PairState{}, map[string]bool{}
	for i, line := range strings.Split(string(r.Stdout), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case len(f) == 2 && f[0] == "missing":
			// Told apart by its field count: a logical file may be called "missing".
			missing[f[1]] = true
		case len(f) == 4 && State(f[3]).valid():
			pairs[f[0]] = append(pairs[f[0]], PairState{Pair: Pair{A: f[1], B: f[2]}, State: State(f[3])})
		default:
			return nil, nil, fmt.Errorf("xodstsls line %d: want \"LOGICAL A B STATE\", got %q", i+1, line)
		}
	}
	return pairs, missing, nil
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
