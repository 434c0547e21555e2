package servergroup

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// windowsGroup is testGroup on Windows paths with .exe site commands, as on cmd nodes.
func windowsGroup(g *config.ServerGroup) {
	g.SettingsDir, g.SystemDir = `C:\Program Files\WSMGR\config`, `C:\Windows\Temp`
	g.SyncCommand = []string{`C:\Tools\wsmgr-sync.exe`, "{node}"}
	g.SyncCheckCommand = []string{`C:\Tools\wsmgr-sync-state.exe`, "{node}"}
	g.DetachCommand = []string{`C:\Tools\lbctl.exe`, "detach", "{node}"}
	g.AttachCommand = []string{`C:\Tools\lbctl.exe`, "attach", "{node}"}
	g.InBalancerCommand = []string{`C:\Tools\lbctl.exe`, "status", "{node}"}
}

// On Windows paths every observe op runs on a cmd node (no POSIX script, no utility by name),
// the free space is measured where WSMGR's sync writes, and the run lock is in system_dir.
func TestObserveOpsRunOnWindowsNodes(t *testing.T) {
	u := testUnit(t, testGroup(windowsGroup), Provider{})
	for _, n := range []string{"web1", "web2"} {
		ops := u.ObserveOps(addrs.Node(n))
		if err := transport.RefusePosixOnly(n, "cmd", ops); err != nil {
			t.Errorf("%s: %v", n, err)
		}
		want := transport.FreeSpace{Paths: []transport.NodePath{`C:\Windows\Temp`, `C:\Program Files\WSMGR`}}
		if diff := cmp.Diff(transport.Op(want), ops[1]); diff != "" {
			t.Errorf("%s: free space op (-want +got):\n%s", n, diff)
		}
		if tree, ok := ops[0].(transport.ReadTree); !ok || tree.Dir != `C:\Program Files\WSMGR\config` {
			t.Errorf("%s: settings read %#v", n, ops[0])
		}
	}
	if got := u.LockDir(); got != `C:\Windows\Temp\.cluster-lock-web` {
		t.Errorf("lock %s", got)
	}
	for _, op := range u.ObserveOps(addrs.Node("web1"))[2:] {
		c := op.(transport.Command)
		if p, ok := c.Args[0].(transport.NodePath); !ok || p[:3] != `C:\` {
			t.Errorf("site command %s is not a program by its Windows path", c.Display())
		}
	}
}

// A shortfall names the paths as the node does (C:\...), not in the MSYS form.
func TestSpaceProblemsNameWindowsPaths(t *testing.T) {
	g := testGroup(windowsGroup)
	u := testUnit(t, g, Provider{})
	nodes := inSync(func(n map[string]held) {
		n["web1"] = held{files: map[string]string{"wsmgr.conf": "port=8080\n"}}
		n["web3"] = held{files: settingsV1, freeK: -1}
	})
	up := u.Plan(observe(g, nodes))
	var details []string
	for _, d := range up.Diagnostics {
		if d.Addr == "server_group.web.member.web3" {
			details = append(details, d.Detail)
		}
	}
	if len(details) != 2 || !strings.Contains(details[0], `C:\Windows\Temp has 0 KiB free`) || !strings.Contains(details[1], `C:\Program Files\WSMGR has 0 KiB free`) {
		t.Errorf("web3's diagnostics: %q", details)
	}
}
