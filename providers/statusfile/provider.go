package statusfile

import (
	"fmt"
	"sort"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// Provider plans and applies status files.
type Provider struct{}

var _ planner.Provider = Provider{}

func (Provider) Name() string { return "statusfile" }

// Units returns one unit per node that holds status_file blocks, in node name order.
func (Provider) Units(cfg *config.Config) ([]planner.Unit, error) {
	byNode := map[*config.Node][]*config.StatusFile{}
	for _, sf := range cfg.StatusFiles {
		if sf.Node == nil {
			return nil, fmt.Errorf("%s has no node", sf.Addr)
		}
		byNode[sf.Node] = append(byNode[sf.Node], sf)
	}
	units := make([]planner.Unit, 0, len(byNode))
	for n, files := range byNode {
		units = append(units, newUnit(n, files))
	}
	sort.Slice(units, func(i, j int) bool { return units[i].Addr().String() < units[j].Addr().String() })
	return units, nil
}

// unit is one node's status files, grouped by the definition file that lists them.
type unit struct {
	node     *config.Node
	services []*service // by definition file path
}

// service is one status service definition file and the logical files it declares.
type service struct {
	def     transport.NodePath
	install transport.NodePath
	files   []*config.StatusFile // by name
	// want is the definition the status_file blocks declare, and declared its files by name;
	// observe, plan and the configuration checks all use them.
	want     Definition
	declared map[string]*config.StatusFile
	// conflict names a status file that gives the same definition file another install_dir.
	conflict *config.StatusFile
}

func newUnit(n *config.Node, files []*config.StatusFile) *unit {
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	u := &unit{node: n}
	byDef := map[transport.NodePath]*service{}
	for _, sf := range files {
		def, install := config.StatusFileDefinition(sf)
		s := byDef[def]
		if s == nil {
			s = &service{def: def, install: install, declared: map[string]*config.StatusFile{}}
			byDef[def] = s
			u.services = append(u.services, s)
		} else if s.install != install && s.conflict == nil {
			s.conflict = sf
		}
		s.files = append(s.files, sf)
		s.want.Logicals = append(s.want.Logicals, Logical{Name: sf.Name, Pairs: PairsOf(sf)})
		s.declared[sf.Name] = sf
	}
	sort.Slice(u.services, func(i, j int) bool { return u.services[i].def < u.services[j].def })
	return u
}

func (u *unit) Addr() addrs.Address { return u.node.Addr }

func (u *unit) Nodes() []planner.NodeRef {
	return []planner.NodeRef{{Addr: u.node.Addr, Endpoint: u.node.Endpoint}}
}

// Owns reports whether a is the node or one of its status files.
func (u *unit) Owns(a addrs.Address) bool {
	if a == u.node.Addr {
		return true
	}
	for _, s := range u.services {
		for _, sf := range s.files {
			if sf.Addr == a {
				return true
			}
		}
	}
	return false
}

// LockDir is beside the object server's own state, in the first service's install directory.
func (u *unit) LockDir() transport.NodePath {
	return u.services[0].install.Join("var", "cluster", "lock")
}

// staged is the definition the vendor commands are given while a change is applied.
func (s *service) staged() transport.NodePath { return transport.NodePath(string(s.def) + ".staged") }

func (s *service) bin(v Verb) transport.NodePath { return s.install.Join("bin", string(v)) }
