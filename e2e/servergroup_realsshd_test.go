package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// TestServerGroupOnRealSSHD is TestServerGroupOnCmdNodes's convergence on Windows-dialect nodes
// on real OpenSSH sshd (startWindowsRealCluster: each node chrooted in its root, cmd.exe's
// emulation as login shell, code page 932, the real internal-sftp): the example, unchanged,
// validates, plans, applies, re-plans with no changes, and resyncs the one member whose
// settings were edited on its disk. The site stand-ins on web1 cannot see the members' roots
// from inside its chroot: wsmgr-sync.exe delivers the settings over the peer link, as the
// emulated CLUSTERPRO commands reach their peers, and a member's full disk fails the delivery
// on the member's side (E1203 in web1's sync monitor, the member left detached until
// apply --resync). Status then shows every member in sync and in the balancer.
func TestServerGroupOnRealSSHD(t *testing.T) {
	n := startWindowsRealCluster(t, "web1", "web2", "web3", "web4")
	ex := filepath.Join("examples", sgExample)
	sgConvergeOnCmdNodes(t, n, ex, func(member, content string) {
		sgWrite(t, n.path(member, sgSettings+"/wsmgr.conf"), content, 0o644)
	})
	if got := sgRead(t, n.path("web1", "sync.log")); got != "web2\nweb3\nweb4\nweb3\n" {
		t.Errorf("syncs requested on web1: %q, want web2, web3, web4, then web3 again", got)
	}

	// web4's disk is full (the lab's fault, which the real internal-sftp's statvfs does not
	// show): the sync fails on web4's side of the peer link, web1's sync monitor reports E1203,
	// and the tool leaves web4 out of the balancer until it is synced by hand.
	if err := labdir.SetFault(n.roots["web4"], labdir.DiskFull, ""); err != nil {
		t.Fatal(err)
	}
	sgWrite(t, n.path("web1", sgSettings+"/wsmgr.conf"), "port=8080\r\n", 0o644)
	r, calls := sgApplyCalls(t, n, ex, 1, "apply with web4's disk full")
	for _, s := range []string{"Done: server_group.web.member.web2, server_group.web.member.web3.",
		"Failed (left detached from the load balancer): server_group.web.member.web4", "(E1203 distribution to web4 failed)"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("apply output lacks %q:\n%s", s, r.stderr)
		}
	}
	if calls != "detach web2\nattach web2\ndetach web3\nattach web3\ndetach web4\n" {
		t.Errorf("balancer calls with web4's disk full: %q", calls)
	}
	if got := sgRead(t, n.path("web4", sgSettings+"/wsmgr.conf")); got != "port=80\r\n" {
		t.Errorf("web4, whose disk is full, holds %q", got)
	}
	if err := labdir.ClearFault(n.roots["web4"], labdir.DiskFull, ""); err != nil {
		t.Fatal(err)
	}
	// web4 is still out of the balancer: it is synced without a second detach.
	if _, calls := sgApplyCalls(t, n, ex, 0, "apply --resync web4", "--resync", "server_group.web.member.web4"); calls != "attach web4\n" {
		t.Errorf("balancer calls for web4's resync: %q", calls)
	}
	if got := sgRead(t, n.path("web4", sgSettings+"/wsmgr.conf")); got != "port=8080\r\n" {
		t.Errorf("web4 holds %q after its resync", got)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after web4's resync")

	sgStatusAllIn(t, n, ex)
}
