package statusfile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// serviceProbes are the reads of one status_file block: its definition file (transport.ReadFiles)
// and what is at the A and B paths of each declared logical file (transport.Stat). Both are
// typed ops every dialect runs: a POSIX node in its one session, a cmd or powershell node over
// SFTP (docs/statusfile.md, "On a Windows node").
type serviceProbes struct {
	def   transport.Probe[transport.File]
	files transport.Probe[[]transport.FileInfo]
}

// observeSet collects the reads of every status_file block of the unit, in service order.
func (u *unit) observeSet() (transport.ProbeSet, []serviceProbes) {
	var set transport.ProbeSet
	probes := make([]serviceProbes, len(u.services))
	for i, s := range u.services {
		probes[i] = s.addProbes(&set)
	}
	return set, probes
}

// ObserveOps reads, for each status_file block, its definition file and what is at the A and B
// paths of each declared logical file.
func (u *unit) ObserveOps(addrs.Address) []transport.Op {
	set, _ := u.observeSet()
	return set.Ops()
}

func (s *service) addProbes(set *transport.ProbeSet) serviceProbes {
	paths := s.filePaths()
	return serviceProbes{
		def:   transport.AddProbe(set, transport.ReadFiles{Paths: []transport.NodePath{s.def}}, readDefinition),
		files: transport.AddProbe(set, transport.Stat{Paths: paths}, statFiles(len(paths))),
	}
}

// filePaths are the node paths of the declared files: each logical file's A, then its B file.
func (s *service) filePaths() []transport.NodePath {
	var paths []transport.NodePath
	for _, l := range s.want.Logicals {
		paths = append(paths, nodePath(l.A), nodePath(l.B))
	}
	return paths
}

// readDefinition decodes the read of the definition file: absent is an answer, a failed read
// (something else than a file at the path, no permission) an error.
func readDefinition(o transport.Outcome) (transport.File, error) {
	if !o.OK() {
		return transport.File{}, fmt.Errorf("cannot read the definition file (status %d): %s", o.ExitCode, transport.FirstLine(o.Stderr))
	}
	if len(o.Files) != 1 {
		return transport.File{}, fmt.Errorf("reading the definition file gave %d answers for 1 file", len(o.Files))
	}
	return o.Files[0], nil
}

// statFiles decodes the stat of the declared files: want answers, one per path.
func statFiles(want int) func(transport.Outcome) ([]transport.FileInfo, error) {
	return func(o transport.Outcome) ([]transport.FileInfo, error) {
		if !o.OK() {
			return nil, fmt.Errorf("cannot look at the status files (status %d): %s", o.ExitCode, transport.FirstLine(o.Stderr))
		}
		if len(o.Stats) != want {
			return nil, fmt.Errorf("looking at the status files gave %d answers for %d files", len(o.Stats), want)
		}
		return o.Stats, nil
	}
}

// observed is what one service's reads reported.
type observed struct {
	def    []byte // the definition file's bytes, never parsed (its syntax is unknown)
	hasDef bool
	// files is what is at each declared logical file's A and B paths, by logical file name.
	files map[string]LogicalState
	// fingerprint identifies everything read, to refuse stale saved plans.
	fingerprint string
}

// errIncomplete: a status read came back with fewer results than reads.
var errIncomplete = errors.New("incomplete answer from the node")

// notFile is the size recorded for a path that holds a directory instead of a file.
const notFile = -2

// decode turns one service's outcomes into what it observed.
func (s *service) decode(res []transport.Outcome, p serviceProbes) (*observed, error) {
	def, err := p.def.Read(res)
	if err != nil {
		return nil, err
	}
	stats, err := p.files.Read(res)
	if err != nil {
		return nil, err
	}
	o := &observed{files: map[string]LogicalState{}, def: def.Data, hasDef: def.Exists}
	h := sha256.New()
	fingerprintFile(h, def)
	sizes := make([]int64, len(stats))
	for i, st := range stats {
		sizes[i] = sizeOf(st)
		fmt.Fprintf(h, "%d\x00", sizes[i])
	}
	o.fingerprint = hex.EncodeToString(h.Sum(nil))
	for i, l := range s.want.Logicals {
		o.files[l.Name] = LogicalState{Logical: l, State: Unknown, ASize: sizes[2*i], BSize: sizes[2*i+1]}
	}
	return o, nil
}

// sizeOf is a file's size, -1 when nothing is at the path, notFile for a directory.
func sizeOf(st transport.FileInfo) int64 {
	switch {
	case !st.Exists:
		return -1
	case st.Dir:
		return notFile
	}
	return st.Size
}

func fingerprintFile(h hash.Hash, f transport.File) {
	fmt.Fprintf(h, "%t\x00%d\x00", f.Exists, len(f.Data))
	h.Write(f.Data)
}
