package statusfile

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// StatusCommands are the commands `cluster status` runs for one status_file block: the same
// reads as plan (the definition file, the declared files' sizes).
func StatusCommands(sf *config.StatusFile) []transport.Command {
	return newService(sf).observeCommands()
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

// DecodeStatus reads the results of StatusCommands.
func DecodeStatus(sf *config.StatusFile, res []transport.Result) (Seen, error) {
	s := newService(sf)
	if len(res) != obsPerService {
		return Seen{}, errIncomplete
	}
	outcomes := make([]transport.Outcome, len(res))
	for i, r := range res {
		outcomes[i] = transport.Outcome{Result: r}
	}
	o, err := s.decode(outcomes)
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
