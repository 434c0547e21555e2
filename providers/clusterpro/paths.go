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

// stat runs clpstat; it exits 127 when clpstat is not installed. It and observeStat are
// POSIX-only commands (the exit-127 check and the notice are sh): status/ reads the same form.
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
// EXPRESSCLUSTER/clpaic tool definitions), writing the suspension record first. The ops run in
// order, each only when the one before succeeded (a step runs them with DoInOrder): clpcl
// --suspend never runs unless the record is on disk, so a suspended cluster always has one.
func (l layout) suspend() []transport.Op {
	return []transport.Op{
		transport.WriteFile{Path: l.suspendMark(), Data: nil, Mode: 0o644},
		transport.Cmd(l.bin("clpcl"), "--suspend"),
	}
}

// resume resumes the whole cluster and, only when that succeeded, removes the suspension
// record: the removal is the op after clpcl --resume in the same call (DoInOrder), skipped
// when the resume fails. A resume whose answer is lost keeps the record; the next plan then
// shows the cluster suspended and resumes it again, never the other way round.
func (l layout) resume() []transport.Op {
	return []transport.Op{
		transport.Cmd(l.bin("clpcl"), "--resume"),
		transport.Remove{Path: l.suspendMark()},
	}
}

// forget removes the suspension record without a resume: another node's resume covered it.
func (l layout) forget() []transport.Op {
	return []transport.Op{transport.Remove{Path: l.suspendMark()}}
}

// pushFlag is clpcfctrl's flag for the platform the configuration was made for.
func (l layout) pushFlag() string {
	if l.windows {
		return "-w"
	}
	return "-l"
}
