package serverscan

import (
	"slices"
	"sort"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// DefaultInstallDir is where Server-Scan lives when a server_scan block does not say.
const DefaultInstallDir = "/usr/SrvScan"

// Provider plans and applies Server-Scan settings.
type Provider struct{}

var _ planner.Provider = Provider{}

func (Provider) Name() string { return "serverscan" }

// Units returns one unit per server_scan block: its host node and its scan servers.
func (Provider) Units(cfg *config.Config) ([]planner.Unit, error) {
	names := make([]string, 0, len(cfg.ServerScans))
	for n := range cfg.ServerScans {
		names = append(names, n)
	}
	sort.Strings(names)
	units := make([]planner.Unit, 0, len(names))
	for _, n := range names {
		units = append(units, newUnit(cfg.ServerScans[n]))
	}
	return units, nil
}

// unit is one Server-Scan host.
type unit struct {
	s    *config.ServerScan
	node addrs.Address
	l    layout
}

func newUnit(s *config.ServerScan) *unit {
	return &unit{s: s, node: s.Node.Addr, l: layoutOf(s)}
}

func (u *unit) Addr() addrs.Address { return u.s.Addr }

func (u *unit) Nodes() []planner.NodeRef {
	return []planner.NodeRef{{Addr: u.s.Node.Addr, Endpoint: u.s.Node.Endpoint}}
}

// Owns reports whether a is the server_scan block or one of its declared scan servers.
func (u *unit) Owns(a addrs.Address) bool {
	return a == u.s.Addr || slices.ContainsFunc(u.s.Servers, func(s *config.ScanServer) bool { return s.Addr == a })
}

func (u *unit) LockDir() transport.NodePath { return u.l.lock() }

// layout is where Server-Scan's commands are on the host.
type layout struct{ install transport.NodePath }

func layoutOf(s *config.ServerScan) layout {
	dir := s.InstallDir
	if dir == "" {
		dir = DefaultInstallDir
	}
	return layout{install: transport.NodePath(dir)}
}

// bin is one of Server-Scan's commands: the seed runs them from /usr/SrvScan/bin
// (「# /usr/SrvScan/bin/vkattach -nWinNT02」, 4.8 (2)).
func (l layout) bin(cmd string) transport.NodePath { return l.install.Join("bin", cmd) }

// lock is the tool's run lock, in its own directory beside Server-Scan's.
func (l layout) lock() transport.NodePath { return l.install.Join("work", "cluster", "lock") }

// Roles of a scan server (seed 4.8 (1), (5): 通常サーバ and 待機サーバ).
const (
	RoleNormal  = "normal"
	RoleStandby = "standby"
)

// declaredNames are the declared scan servers in the order vkhoststat should list them: the
// loader sorts them normal first, then standby, each by order (seed 4.8 (1)).
func (u *unit) declaredNames() []string {
	out := make([]string, 0, len(u.s.Servers))
	for _, s := range u.s.Servers {
		out = append(out, s.Name)
	}
	return out
}

// shown is a command as the plan and errors show it, as the host's shell receives it
// (transport.Command.DisplayFor; the Server-Scan host is POSIX, seed 000).
func (u *unit) shown(c transport.Command) string { return c.DisplayFor(u.s.Node.Endpoint.SSH.Shell) }
