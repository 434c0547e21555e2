package clusterpro

import (
	"errors"
	"fmt"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// backupLook is what a backup reads before it copies anything: whether clp.conf and scripts/
// are installed, and the entries of the backup directory (leftovers to remove, backups to
// prune). An apply reads it in each node's observe call, under the lock (LockedObserveOps), so
// the backup is one call; without it (a plan made without the lock, a look that failed) the
// backup reads it in a call of its own first.
type backupLook struct {
	conf, scripts bool
	entries       []transport.DirEntry
}

// addBackupLook adds the look's ops to the node's observation: a Stat of clp.conf and
// scripts/, and a ListDir of the backups.
func (o *nodeProbes) addBackupLook(l layout) {
	o.lookStat = transport.AddProbe(&o.set, transport.Stat{Paths: []transport.NodePath{l.conf(), l.install.Join("scripts")}, ExistenceOnly: true}, transport.Raw)
	o.lookList = transport.AddProbe(&o.set, transport.ListDir{Dir: l.backups()}, transport.Raw)
}

// lockedProbes are the node's probes under an apply's lock: probes, then the backup's look.
func (u *unit) lockedProbes(node addrs.Address) nodeProbes {
	o := u.probes(node)
	o.addBackupLook(u.l)
	return o
}

// LockedObserveOps are the ops an apply's observation adds to ObserveOps: the backup's look
// (planner.LockedObserver).
func (u *unit) LockedObserveOps(addrs.Address) []transport.Op {
	var o nodeProbes
	o.addBackupLook(u.l)
	return o.set.Ops()
}

// backupLookOf reads the look from a node's observe outcomes; an error when the observation
// holds none (a plan made without the lock) or it failed.
func (o nodeProbes) backupLookOf(res []transport.Outcome) (backupLook, error) {
	stat, err := o.lookStat.Read(res)
	if err != nil {
		return backupLook{}, err
	}
	list, err := o.lookList.Read(res)
	if err != nil {
		return backupLook{}, err
	}
	return readBackupLook(stat, list)
}

// readBackupLook reads the outcomes of the look's Stat and ListDir.
func readBackupLook(stat, list transport.Outcome) (backupLook, error) {
	if err := errors.Join(stat.Err(), list.Err()); err != nil {
		return backupLook{}, err
	}
	if len(stat.Stats) != 2 {
		return backupLook{}, fmt.Errorf("looking at the installed configuration: %d answers for 2 paths", len(stat.Stats))
	}
	return backupLook{conf: stat.Stats[0].Exists, scripts: stat.Stats[1].Exists, entries: list.Entries}, nil
}
