package servergroup

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// syncPoll is how often apply runs sync_check_command while a member is being synced.
const syncPoll = 5 * time.Second

// Provider plans and applies server groups.
type Provider struct {
	// Resync names members the user asks to have WSMGR sync by hand (--resync): the manual
	// sync seed 004 asks for after a sync error. A member is named by its address (server_group.web.member.web3) or
	// by its node's (node.web3).
	Resync []addrs.Address
	// MaxParallelMembers is how many members are rolled out at once (default 1).
	MaxParallelMembers int
}

var _ planner.Provider = Provider{}

func (Provider) Name() string { return "servergroup" }

// Units returns one unit per server group. A --resync that names no member of any group is an
// error: a typo must not pass for a sync that never happens.
func (p Provider) Units(cfg *config.Config) ([]planner.Unit, error) {
	names := make([]string, 0, len(cfg.ServerGroups))
	for n := range cfg.ServerGroups {
		names = append(names, n)
	}
	sort.Strings(names)
	used := make([]bool, len(p.Resync))
	units := make([]planner.Unit, 0, len(names))
	for _, n := range names {
		g := cfg.ServerGroups[n]
		u := &unit{g: g, l: layoutOf(g),
			parallel: max(p.MaxParallelMembers, 1), resync: map[string]bool{}, poll: syncPoll}
		u.nodes = append(u.nodes, planner.NodeRef{Addr: g.Management.Addr, Endpoint: g.Management.Endpoint})
		for _, m := range g.Members {
			u.nodes = append(u.nodes, planner.NodeRef{Addr: m.Node.Addr, Endpoint: m.Node.Endpoint})
			for i, r := range p.Resync {
				if r == m.Addr || r == m.Node.Addr {
					u.resync[m.Name], used[i] = true, true
				}
			}
		}
		units = append(units, u)
	}
	var unknown []string
	for i, ok := range used {
		if !ok {
			unknown = append(unknown, p.Resync[i].String())
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("--resync %s names no member of a server group (use server_group.NAME.member.NAME or node.NAME)",
			strings.Join(unknown, ", "))
	}
	return units, nil
}

// unit is one server group: its management node and its members.
type unit struct {
	g        *config.ServerGroup
	l        layout
	nodes    []planner.NodeRef // management first, then members in declaration order
	parallel int
	resync   map[string]bool // member names to sync by hand
	poll     time.Duration   // how often apply asks sync_check_command while WSMGR syncs
}

func (u *unit) Addr() addrs.Address         { return u.g.Addr }
func (u *unit) Nodes() []planner.NodeRef    { return u.nodes }
func (u *unit) LockDir() transport.NodePath { return u.l.lock() }

// Owns reports whether a is the group, one of its members, or one of its nodes.
func (u *unit) Owns(a addrs.Address) bool {
	return u.g.Addr.Contains(a) || slices.ContainsFunc(u.nodes, func(n planner.NodeRef) bool { return n.Addr == a })
}
