package status

import (
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// Every read of the server-group example runs on a cmd node: no step is a POSIX script or a
// POSIX utility (a member's reachability is a Stat of system_dir, not `true`), and every
// program is named by its path.
func TestServerGroupReadsRunOnWindowsNodes(t *testing.T) {
	cfg := loadExample(t, "wsmgr-server-group")
	var reach int
	for _, j := range jobs(cfg) {
		for _, p := range j.probes {
			if err := transport.RefusePosixOnly(j.node.Addr.String(), "cmd", p.ops); err != nil {
				t.Errorf("%s: %v", j.node.Addr, err)
			}
			if p.kind == probeReach {
				reach++
				if st, ok := p.ops[0].(transport.Stat); !ok || len(st.Paths) != 1 || st.Paths[0] != `C:\Windows\Temp` {
					t.Errorf("%s reaches with %#v, want a Stat of system_dir", j.node.Addr, p.ops)
				}
			}
		}
	}
	if reach != 3 {
		t.Errorf("%d members probed for reachability, want 3", reach)
	}
}
