package servergroup

import (
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// layout is where a group's files live on its nodes. Everything the tool writes sits beside
// the settings directory (same filesystem, so renames are atomic) or in system_dir.
type layout struct {
	group    string
	settings transport.NodePath
	system   transport.NodePath
}

// layoutOf is where g's files live.
func layoutOf(g *config.ServerGroup) layout {
	return layout{group: g.Name, settings: transport.NodePath(g.SettingsDir), system: transport.NodePath(g.SystemDir)}
}

// readState prints the group state file, or nothing when there is none: the observe command
// plan reads on every node and `cluster status` on the management node.
func (l layout) readState() transport.Command { return transport.Shell(stateScript, l.stateFile()) }

// base is the settings directory's last element ("config" for /opt/wsmgr/config).
func (l layout) base() string {
	s := strings.TrimRight(string(l.settings), `/\`)
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		return s[i+1:]
	}
	return s
}

// parent is the directory that holds the settings directory: the "install side" of a sync.
func (l layout) parent() transport.NodePath { return l.settings.Dir() }

// stateFile is the group state file, hidden beside the settings directory and named after it,
// so two groups with settings in the same parent do not share it.
func (l layout) stateFile() transport.NodePath {
	return l.parent().Join("." + l.base() + ".cluster-group.json")
}

// incoming is where a sync unpacks before the swap; previous is where the replaced settings
// wait until the new ones are in place.
func (l layout) incoming() transport.NodePath { return l.parent().Join("." + l.base() + ".sync-new") }
func (l layout) previous() transport.NodePath { return l.parent().Join("." + l.base() + ".sync-old") }

// archive is the compressed settings staged in system_dir on the management node and on the
// member being synced.
func (l layout) archive() transport.NodePath {
	return l.system.Join(".cluster-sync-" + l.group + ".tar.gz")
}

// lock is the run-wide lock directory. It lives in system_dir, not beside the settings: a
// member whose install side is broken must still be lockable, so the run can mark it.
func (l layout) lock() transport.NodePath { return l.system.Join(".cluster-lock-" + l.group) }
