package statusfile

import (
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// StatusCommands are the commands `cluster status` runs for one status_file block: the same
// reads as plan (the definition file, the declared files' sizes).
func StatusCommands(sf *config.StatusFile) []transport.Command {
	return newService(sf).observeCommands()
}

// Seen is what `cluster status` shows of one status_file block.
type Seen struct {
	// Defined: the definition file exists on the node.
	Defined bool
	// Logicals are the declared logical files with their files' sizes, in declared order; their
	// state is Unknown (no public command prints it). InDefinition says which the file names.
	Logicals     []LogicalState
	InDefinition map[string]bool
	// Undeclared are logical files the definition names that the block does not declare.
	Undeclared []Logical
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
	seen := Seen{Defined: o.hasDef, InDefinition: map[string]bool{}}
	for _, l := range s.want.Logicals {
		seen.Logicals = append(seen.Logicals, o.files[l.Name])
		_, seen.InDefinition[l.Name] = o.def.Find(l.Name)
	}
	for _, l := range o.def.Logicals {
		if _, ok := s.want.Find(l.Name); !ok {
			seen.Undeclared = append(seen.Undeclared, l)
		}
	}
	return seen, nil
}
