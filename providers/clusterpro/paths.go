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

// suspendMark is the tool's record that it suspended the cluster from this node and has not
// yet seen it resumed: written just before `clpcl --suspend`, removed just after a
// `clpcl --resume` that succeeded. No public source shows how clpstat displays a suspended
// cluster; this record is how plan knows an earlier apply left it suspended.
func (l layout) suspendMark() transport.NodePath { return l.work().Join("suspended") }

// stat runs clpstat; it exits 127 when clpstat is not installed.
func (l layout) stat() transport.Command {
	return transport.Shell(`[ -x "$1" ] || exit 127
exec "$1"`, l.bin("clpstat"))
}

// observeStat runs clpstat like stat, and first says on stderr, with a line starting
// suspendedNotice, when this node holds the tool's suspension record.
func (l layout) observeStat() transport.Command {
	return transport.Shell(`[ -e "$2" ] && printf '%s %s\n' "$3" "$2" >&2
[ -x "$1" ] || exit 127
exec "$1"`, l.bin("clpstat"), l.suspendMark(), suspendedNotice)
}

// suspendedNotice starts the line observeStat writes when the node holds the suspension record.
const suspendedNotice = "@cluster-suspended-by-apply"

// suspend suspends the whole cluster (clpcl --suspend acts on the entire cluster: the
// EXPRESSCLUSTER/clpaic tool definitions), writing the suspension record first.
func (l layout) suspend() transport.Command {
	return transport.Shell(`mkdir -p "$(dirname "$2")" && : > "$2" || exit 1
exec "$1" --suspend`, l.bin("clpcl"), l.suspendMark())
}

// resume resumes the whole cluster and, once that succeeded, removes the suspension record.
// The output is held until then, so that a reader that went away cannot stop the removal.
func (l layout) resume() transport.Command {
	return transport.Shell(`out=$("$1" --resume 2>&1)
rc=$?
[ $rc -eq 0 ] && rm -f "$2"
printf '%s\n' "$out"
exit $rc`, l.bin("clpcl"), l.suspendMark())
}

// forget removes the suspension record without a resume: another node's resume covered it.
func (l layout) forget() transport.Command {
	return transport.Cmd("rm", "-f", l.suspendMark())
}

// pushFlag is clpcfctrl's flag for the platform the configuration was made for.
func (l layout) pushFlag() string {
	if l.windows {
		return "-w"
	}
	return "-l"
}
