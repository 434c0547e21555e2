package servergroup

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
)

// checkSpace is the seed's free-space rule, checked before anything changes: every node a sync
// writes to needs the settings' size free in system_dir (the compressed copy is staged there),
// and a synced member twice that beside its settings directory (the new copy is unpacked there
// while the old one still exists). A shortfall is a plan error naming the node and the figures.
func (p *planning) checkSpace(r *rollout) {
	if !r.syncs() {
		return
	}
	need := kib(r.WantSize)
	p.checkNode(r.Management, need, 0)
	for _, s := range r.Members {
		if s.Sync {
			p.checkNode(s.Node, need, 2*need)
		}
	}
}

func (p *planning) checkNode(n addrs.Address, system, settings int64) {
	o := p.nodes[n]
	if o.diskErr != nil {
		p.diag(planner.SeverityError, n.String(), "Free space unknown",
			fmt.Sprintf("%s: the free space of %s and %s could not be measured (%v), so the sync's disk precondition "+
				"cannot be checked. Make df -Pk work on the node, then plan again.", n, p.u.l.system.Posix(), p.u.l.parent().Posix(), o.diskErr))
		return
	}
	if o.disk.system < system {
		p.diag(planner.SeverityError, n.String(), "Not enough free space in system_dir",
			fmt.Sprintf("%s: %s has %d KiB free; the sync stages the compressed settings there and needs at least their size, "+
				"%d KiB. Free space on that filesystem, or set system_dir to one with room, then plan again.",
				n, p.u.l.system.Posix(), o.disk.system, system))
	}
	if o.disk.settings < settings {
		p.diag(planner.SeverityError, n.String(), "Not enough free space beside the settings",
			fmt.Sprintf("%s: %s has %d KiB free; the sync unpacks the new settings there beside the old ones and needs twice "+
				"their size, %d KiB. Free space on that filesystem, then plan again.",
				n, p.u.l.parent().Posix(), o.disk.settings, settings))
	}
}

// kib rounds a size in bytes up to KiB, as df reports space; at least 1 so an empty or tiny
// settings directory still needs a writable disk.
func kib(bytes int64) int64 { return max((bytes+1023)/1024, 1) }
