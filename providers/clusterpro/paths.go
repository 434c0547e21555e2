package clusterpro

import (
	"context"
	"fmt"

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
func (l layout) conf() transport.NodePath { return l.install.Join("etc", "clp.conf") }

// bin is a vendor command: <install>/bin/NAME on Linux (/opt/nec/clusterpro/bin/clpstat),
// <install>\bin\NAME.exe on Windows (EXPRESSCLUSTER/clpcfset
// script/change_ipaddr/Windows/clp_changeIP.ps1 runs "$ECXPath\bin\clpcl.exe" and
// clpcfctrl.exe). Commands are always run by this absolute path: no PATH, no shell.
func (l layout) bin(cmd string) transport.NodePath {
	if l.windows {
		cmd += ".exe"
	}
	return l.install.Join("bin", cmd)
}

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

// stat runs clpstat as a plain program (every dialect runs it); plan, apply and `cluster
// status` (StatusOps) read it through statOps.
func (l layout) stat() transport.Command { return transport.Cmd(l.bin("clpstat")) }

// statOps read the cluster status as two ops of one call: a Stat of the suspension record and
// of clpstat itself, then clpstat run by its absolute path. Whether clpstat is installed comes
// from the Stat (a missing program is "not installed" in every dialect, where a shell would say
// 127 and cmd.exe 9009), and the record's presence from the same Stat, so the run state and the
// record are read in the same session, as the single script did.
func (l layout) statOps() []transport.Op {
	return []transport.Op{transport.Stat{Paths: []transport.NodePath{l.suspendMark(), l.bin("clpstat")}, ExistenceOnly: true}, l.stat()}
}

// clpstatReading is what statOps read: clpstat's result (exit 127 when it is not installed)
// and whether the suspension record is on the node.
type clpstatReading struct {
	res    transport.Result
	marked bool
}

// readClpstat reads the outcomes of statOps: stat is the Stat's, run clpstat's.
func readClpstat(stat, run transport.Outcome) (clpstatReading, error) {
	if err := stat.Err(); err != nil {
		return clpstatReading{}, err
	}
	if len(stat.Stats) != 2 {
		return clpstatReading{}, fmt.Errorf("reading the cluster status: %d answers for 2 paths", len(stat.Stats))
	}
	r := clpstatReading{res: run.Result, marked: stat.Stats[0].Exists}
	if !stat.Stats[1].Exists {
		r.res = transport.Result{ExitCode: 127, Stderr: []byte(string(stat.Stats[1].Path) + " does not exist")}
	}
	return r, nil
}

// readClpstatNow runs statOps on node and reads them.
func (l layout) readClpstatNow(ctx context.Context, node transport.Node) (clpstatReading, error) {
	out, err := transport.Do(ctx, node, l.statOps()...)
	if err != nil {
		return clpstatReading{}, err
	}
	return readClpstat(out[0], out[1])
}

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
