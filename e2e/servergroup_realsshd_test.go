package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServerGroupOnRealSSHD is TestServerGroupOnCmdNodes's convergence on Windows-dialect nodes
// on real OpenSSH sshd (startWindowsRealCluster: each node chrooted in its root, cmd.exe's
// emulation as login shell, code page 932, the real internal-sftp): the example, unchanged,
// validates, plans, applies, re-plans with no changes, and resyncs the one member whose
// settings were edited on its disk. The site stand-ins on web1 cannot see the members' roots
// from inside its chroot: wsmgr-sync.exe delivers the settings over the peer link, as the
// emulated CLUSTERPRO commands reach their peers.
func TestServerGroupOnRealSSHD(t *testing.T) {
	n := startWindowsRealCluster(t, "web1", "web2", "web3", "web4")
	sgConvergeOnCmdNodes(t, n, filepath.Join("examples", sgExample), func(member, content string) {
		sgWrite(t, n.path(member, sgSettings+"/wsmgr.conf"), content, 0o644)
	})
	if got := sgRead(t, n.path("web1", "sync.log")); got != "web2\nweb3\nweb4\nweb3\n" {
		t.Errorf("syncs requested on web1: %q, want web2, web3, web4, then web3 again", got)
	}

	g := n.statusJSON(filepath.Join("examples", sgExample), 0).ServerGroups[0]
	var inSync []string
	for _, m := range g.Members {
		if m.Reachable && m.InSync && m.Balancer == "in" {
			inSync = append(inSync, m.Name)
		}
	}
	if !g.ManagementUp || strings.Join(inSync, " ") != "web2 web3 web4" {
		t.Errorf("status of the server group: %+v", g)
	}
}
