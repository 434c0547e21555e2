package servergroup

import (
	"fmt"
	"sort"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// Roster is a server group as its management node records it (`cluster status`).
type Roster struct {
	Group      string
	Management string
	Members    []RosterMember // by name
}

// RosterMember is one member as the management node knows it.
type RosterMember struct {
	Name      string
	Node      string
	Disabled  bool   // under maintenance
	Detached  bool   // taken out of the balancer by the tool and not put back
	OutOfSync string // why its last sync failed; "" when in sync
}

// RosterCommand prints the group state file, or nothing when there is none.
func RosterCommand(g *config.ServerGroup) transport.Command {
	return layoutOf(g).readState()
}

// ParseRoster reads what RosterCommand printed on the management node: nil when the node
// holds no state file (the group was never applied), an error when the node says it is not
// the group's management node.
func ParseRoster(r transport.Result) (*Roster, error) {
	if !r.OK() {
		return nil, fmt.Errorf("reading the group state file: exit status %d: %s", r.ExitCode, transport.FirstLine(r.Stderr))
	}
	st, err := decodeState(r.Stdout)
	if err != nil || st == nil {
		return nil, err
	}
	if st.Role != roleManagement {
		return nil, fmt.Errorf("the node believes it is a member of %s managed by %s, not its management node", st.Group, st.Management)
	}
	ro := &Roster{Group: st.Group, Management: st.Management}
	for name, m := range st.Members {
		ro.Members = append(ro.Members, RosterMember{Name: name, Node: m.Node, Disabled: m.Disabled, Detached: m.Detached, OutOfSync: m.OutOfSync})
	}
	sort.Slice(ro.Members, func(i, j int) bool { return ro.Members[i].Name < ro.Members[j].Name })
	return ro, nil
}
