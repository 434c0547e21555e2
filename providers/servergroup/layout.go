package servergroup

import (
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// layout is where a group's files are on its nodes. The tool reads settings and measures the
// free space of system and of the settings' parent; the only thing it writes is its run lock
// in system_dir, never anything under or beside WSMGR's config directory.
type layout struct {
	group    string
	settings transport.NodePath
	system   transport.NodePath
}

// layoutOf is where g's files live.
func layoutOf(g *config.ServerGroup) layout {
	return layout{group: g.Name, settings: transport.NodePath(g.SettingsDir), system: transport.NodePath(g.SystemDir)}
}

// parent is the directory that holds the settings directory: WSMGR's install directory, where
// its sync unpacks (seed 004's free-space rule).
func (l layout) parent() transport.NodePath { return l.settings.Dir() }

// freeSpace measures where a sync writes: system_dir, then the settings directory's parent.
func (l layout) freeSpace() transport.FreeSpace {
	return transport.FreeSpace{Paths: []transport.NodePath{l.system, l.parent()}}
}

// lock is the run-wide lock directory, in system_dir.
func (l layout) lock() transport.NodePath { return l.system.Join(".cluster-lock-" + l.group) }
