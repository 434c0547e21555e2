package statusfile

import (
	"fmt"
	"sort"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// Provider plans and applies status service definitions.
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

// unit is one node's status service definitions.
type unit struct {
	node     *config.Node
	services []*service // by block name
}

// shell is the node's dialect: its commands are shown as it receives them
// (transport.Command.DisplayFor).
func (u *unit) shell() string { return u.node.Endpoint.SSH.Shell }

// service is one status_file block: one definition file and the logical files it declares.
type service struct {
	sf      *config.StatusFile
	def     transport.NodePath
	install transport.NodePath
	want    Definition
}

// managesDefinition reports whether the site supplies the definition's content: only then does
// the tool write the definition file.
func (s *service) managesDefinition() bool { return s.sf.DefinitionContent != "" }

func newService(sf *config.StatusFile) *service {
	def, install := config.StatusFileDefinition(sf)
	return &service{sf: sf, def: def, install: install, want: DefinitionOf(sf)}
}

func newUnit(n *config.Node, files []*config.StatusFile) *unit {
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	u := &unit{node: n}
	for _, sf := range files {
		u.services = append(u.services, newService(sf))
	}
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
		if s.sf.Addr == a {
			return true
		}
	}
	return false
}

// LockDir is beside the object server's own state, in the first service's install directory.
func (u *unit) LockDir() transport.NodePath {
	return u.services[0].install.Join("var", "cluster", "lock")
}
