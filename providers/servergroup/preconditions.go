package servergroup

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
)

// The seed's free-space rule (seed 004): WSMGR's sync compresses and decompresses, so it needs
// 「システムドライブに配布する設定情報と同等のディスク空き容量と、WSMGR for Webインストール先に
// 配布する設定情報の2倍のディスク空き容量」: the settings' size free on the system drive
// (system_dir) and twice that in the install directory (the settings directory's parent). The
// management node's shortfall stops the plan: nothing can be synced. A member's holds that
// member back alone (see planMember); the others are rolled out.

// spaceProblem is one unmet free-space precondition of a node.
type spaceProblem struct {
	summary, detail string
}

// checkSpace checks the management node before a rollout that syncs; its shortfall is an error.
func (p *planning) checkSpace(r *rollout) {
	if !r.syncs() {
		return
	}
	for _, sp := range p.spaceProblems(r.Management, p.syncSize(), 0) {
		p.diag(planner.SeverityError, r.Management.String(), sp.summary, sp.detail)
	}
}

// syncSize is what one sync needs, in KiB: the size of the management node's settings.
func (p *planning) syncSize() int64 { return kib(p.want.size()) }

// spaceProblems lists what node n lacks: system KiB free in system_dir, settings KiB free
// beside the settings directory.
func (p *planning) spaceProblems(n addrs.Address, system, settings int64) []spaceProblem {
	o := p.nodes[n]
	if o.diskErr != nil {
		return []spaceProblem{{"Free space unknown",
			fmt.Sprintf("%s: the free space of %s and %s could not be measured (%v), so the sync's disk precondition "+
				"(seed 004) cannot be checked and the tool does not assume there is room. On a POSIX node make df -Pk "+
				"work; on a cmd or powershell node the SFTP server must answer statvfs@openssh.com (docs/windows.md, "+
				"\"Free space\"). Then plan again.", n, p.u.l.system, p.u.l.parent(), o.diskErr)}}
	}
	var out []spaceProblem
	if o.disk.system < system {
		out = append(out, spaceProblem{"Not enough free space in system_dir",
			fmt.Sprintf("%s: %s has %d KiB free; WSMGR's sync needs at least the settings' size free on the system drive (seed 004), "+
				"%d KiB. Free space on that filesystem, or set system_dir to one with room, then plan again.",
				n, p.u.l.system, o.disk.system, system)})
	}
	if settings > 0 && o.disk.settings < settings {
		out = append(out, spaceProblem{"Not enough free space beside the settings",
			fmt.Sprintf("%s: %s has %d KiB free; WSMGR's sync needs twice the settings' size free in its install directory (seed 004), "+
				"%d KiB. Free space on that filesystem, then plan again.",
				n, p.u.l.parent(), o.disk.settings, settings)})
	}
	return out
}

// kib rounds a size in bytes up to KiB (free space is kept in KiB, rounded down); at least 1 so an empty or tiny
// settings directory still needs a writable disk.
func kib(bytes int64) int64 { return max((bytes+1023)/1024, 1) }
