package clusterpro

import (
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// layout is where a cluster's files and commands live on its nodes.
type layout struct {
	install transport.NodePath
	windows bool
}

func layoutOf(c *config.Cluster) layout {
	return layout{install: transport.NodePath(c.InstallDir), windows: c.Platform == config.Windows}
}

// conf is the installed clp.conf; scripts sit beside etc/ in the install directory.
func (l layout) conf() transport.NodePath          { return l.install.Join("etc", "clp.conf") }
func (l layout) bin(cmd string) transport.NodePath { return l.install.Join("bin", cmd) }

// work is the tool's own directory on the node: staged configuration, backups, the lock.
func (l layout) work() transport.NodePath    { return l.install.Join("work", "cluster") }
func (l layout) staged() transport.NodePath  { return l.work().Join("staged") }
func (l layout) backups() transport.NodePath { return l.work().Join("backup") }
func (l layout) lock() transport.NodePath    { return l.work().Join("lock") }

// stat runs clpstat; it exits 127 when clpstat is not installed.
func (l layout) stat() transport.Command {
	return transport.Shell(`[ -x "$1" ] || exit 127
exec "$1"`, l.bin("clpstat"))
}

// pushFlag is clpcfctrl's flag for the platform the configuration was made for.
func (l layout) pushFlag() string {
	if l.windows {
		return "-w"
	}
	return "-l"
}
