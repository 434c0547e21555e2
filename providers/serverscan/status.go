package serverscan

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// StatusCommand runs vkhoststat from the host's install directory (plan and `cluster status`); it exits
// 127 when vkhoststat is not installed there.
func StatusCommand(s *config.ServerScan) transport.Command {
	const stat = `[ -x "$1" ] || exit 127
exec "$1"`
	return transport.Shell(stat, layoutOf(s).bin("vkhoststat"))
}

// ReadStatus parses what StatusCommand printed.
func ReadStatus(r transport.Result) (HostStat, error) {
	switch {
	case r.ExitCode == 127:
		return HostStat{}, fmt.Errorf("vkhoststat is not installed")
	case !r.OK():
		return HostStat{}, fmt.Errorf("vkhoststat exited with status %d: %s", r.ExitCode, transport.FirstLine(r.Stderr))
	}
	return ParseHostStat(r.Stdout), nil
}
