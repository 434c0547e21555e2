package servergroup

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// What `cluster status` reads of a server group: per member, on the management node, the
// site's sync_check_command and in_balancer_command. There is no roster file: WSMGR's roster
// is in its admin tool, and the tool reads only what these commands say.

// SyncCheckCommand is sync_check_command for member m, to run on g's management node.
func SyncCheckCommand(g *config.ServerGroup, m *config.Member) (transport.Command, bool) {
	node, address := memberIdentity(m)
	return siteCommand(g.SyncCheckCommand, node, address)
}

// InBalancerCommand is in_balancer_command for member m; false when the site declared none.
func InBalancerCommand(g *config.ServerGroup, m *config.Member) (transport.Command, bool) {
	node, address := memberIdentity(m)
	return siteCommand(g.InBalancerCommand, node, address)
}

// ReadSyncState reads what SyncCheckCommand answered: the state in words ("sync finished",
// "syncing", "sync error or never synced", "disabled or not in the server group", or
// "unknown") and the command's own first line (an error code, say).
func ReadSyncState(r transport.Result) (state, detail string) {
	s := parseSyncState(r)
	if s.state == syncUnknown {
		return fmt.Sprintf("unknown (exit status %d)", r.ExitCode), s.detail
	}
	return s.state.String(), s.detail
}

// SyncFinished reports whether state is the word ReadSyncState gives a finished sync.
func SyncFinished(state string) bool { return state == syncDone.String() }

// ReadBalancer reads what InBalancerCommand answered: "in", "out", or "unknown (exit status N)".
func ReadBalancer(r transport.Result) string {
	switch parseBalancer(r) {
	case balancerIn:
		return "in"
	case balancerOut:
		return "out"
	}
	return fmt.Sprintf("unknown (exit status %d)", r.ExitCode)
}
