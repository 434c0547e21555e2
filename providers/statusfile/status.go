package statusfile

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// StatusOps are the reads `cluster status` makes for one status_file block: the same as plan's
// (the definition file, the declared files), in every dialect.
func StatusOps(sf *config.StatusFile) []transport.Op {
	var set transport.ProbeSet
	newService(sf).addProbes(&set)
	return set.Ops()
}

// Seen is what `cluster status` shows of one status_file block. The definition file is not
// parsed (its syntax is unknown): it is shown by size and digest.
type Seen struct {
	// Defined: the definition file exists on the node; DefinitionSize and DefinitionSHA256
	// (hex) describe it then.
	Defined          bool
	DefinitionSize   int64
	DefinitionSHA256 string
	// Logicals are the declared logical files with their files' sizes, in declared order; their
	// state is Unknown (no public command prints it).
	Logicals []LogicalState
}

// DecodeStatus reads the outcomes of StatusOps.
func DecodeStatus(sf *config.StatusFile, res []transport.Outcome) (Seen, error) {
	s := newService(sf)
	var set transport.ProbeSet
	p := s.addProbes(&set)
	if len(res) != len(set.Ops()) {
		return Seen{}, errIncomplete
	}
	o, err := s.decode(res, p)
	if err != nil {
		return Seen{}, err
	}
	seen := Seen{Defined: o.hasDef}
	if o.hasDef {
		sum := sha256.Sum256(o.def)
		seen.DefinitionSize, seen.DefinitionSHA256 = int64(len(o.def)), hex.EncodeToString(sum[:])
	}
	for _, l := range s.want.Logicals {
		seen.Logicals = append(seen.Logicals, o.files[l.Name])
	}
	return seen, nil
}
