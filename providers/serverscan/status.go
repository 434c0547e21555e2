package serverscan

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// StatusCommand runs vkhoststat from the host's install directory (plan and `cluster status`);
// it exits 127 when vkhoststat is not installed there. The seed gives no option for it
// (4.8 (1)), so none is passed.
func StatusCommand(s *config.ServerScan) transport.Command {
	const stat = `[ -x "$1" ] || exit 127
exec "$1"`
	return transport.Shell(stat, layoutOf(s).bin("vkhoststat"))
}

// ReadStatus parses what StatusCommand printed. vkhoststat's exit status is undocumented, and
// the seed says the Server-Scan service stops when no scan server is usable (4.8 (3)-(5)): a
// listing printed with a non-zero status is read all the same (HostStat.ExitCode keeps the
// status), so that the servers it shows INACT can still be reattached. Only a missing command,
// or output without the Host and Status titles, is an error.
func ReadStatus(r transport.Result) (HostStat, error) {
	if r.ExitCode == 127 {
		return HostStat{}, fmt.Errorf("vkhoststat is not installed")
	}
	h := ParseHostStat(r.Stdout)
	h.ExitCode = r.ExitCode
	if !h.Header {
		first := transport.FirstLine(r.Stderr)
		if first == "" {
			first = transport.FirstLine(r.Stdout)
		}
		return h, fmt.Errorf("vkhoststat exited with status %d and printed no line with the Host and Status titles: %q", r.ExitCode, first)
	}
	return h, nil
}
