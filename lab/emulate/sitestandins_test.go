package emulate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// The LAB-ONLY site stand-ins: wsmgr-sync.exe copies the management node's settings to a member
// (and records E1203 when the member's disk is full), wsmgr-sync-state.exe answers by exit
// status, lbctl.exe remembers who is out; none answers under its POSIX name.
func TestSiteStandIns(t *testing.T) {
	l := newTestLab(t, "web1", "web2", "web3")
	settings := filepath.Join(l.roots["web1"], "c", "Program Files", "WSMGR", "config")
	if err := os.MkdirAll(filepath.Join(settings, "sites"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(settings, "sites", "shop.xml"), []byte("<site/>\r\n"), 0o644)
	if err := labdir.SetFault(l.roots["web3"], labdir.DiskFull, ""); err != nil {
		t.Fatal(err)
	}
	const tools = "c/LabSiteTools"
	l.file("web2", wsmgrSettings+"/stale.conf", "old\r\n")
	l.file("web3", wsmgrSettings+"/wsmgr.conf", "port=81\r\n")

	l.must("web1", tools, "wsmgr-sync.exe", "web2")
	if got := l.read("web2", wsmgrSettings+"/sites/shop.xml"); got != "<site/>\r\n" {
		t.Errorf("web2 after the sync holds shop.xml %q", got)
	}
	if got := l.read("web2", wsmgrSettings+"/stale.conf"); got != "" {
		t.Errorf("the sync left web2's own file behind: %q", got)
	}
	l.must("web1", tools, "wsmgr-sync.exe", "web3") // requested; the sync monitor shows the failure
	if got := l.read("web3", wsmgrSettings+"/wsmgr.conf"); got != "port=81\r\n" {
		t.Errorf("web3, whose disk is full, holds %q after the failed sync", got)
	}
	for member, want := range map[string]result{
		"web1": {stdout: "同期完了\n"},
		"web2": {stdout: "同期完了\n"},
		"web3": {stdout: "E1203 distribution to web3 failed\n", code: 2},
	} {
		if got := l.run("web1", tools, "wsmgr-sync-state.exe", member); got != want {
			t.Errorf("sync state of %s = %+v, want %+v", member, got, want)
		}
	}
	os.WriteFile(filepath.Join(l.roots["web1"], "wsmgr-state", "web2.disabled"), nil, 0o644)
	if got := l.run("web1", tools, "wsmgr-sync-state.exe", "web2"); got.code != 3 || got.stdout != "無効\n" {
		t.Errorf("a disabled member: %+v", got)
	}
	l.mustFail("web1", tools, "wsmgr-sync.exe", "is no member", "web9")
	l.mustFail("web1", tools, "wsmgr-sync.exe", "is no member", "web1")

	l.must("web1", tools, "lbctl.exe", "detach", "web2")
	if got := l.run("web1", tools, "lbctl.exe", "status", "web2"); got.code != 1 {
		t.Errorf("status after detach: %+v", got)
	}
	l.must("web1", tools, "lbctl.exe", "attach", "web2")
	l.must("web1", tools, "lbctl.exe", "status", "web2")
	if b, _ := os.ReadFile(filepath.Join(l.roots["web1"], "lb.log")); string(b) != "detach web2\nattach web2\n" {
		t.Errorf("lb.log %q", b)
	}
	if got := l.run("web1", tools, "lbctl.exe", "status", `..\x`); got.code != 64 || !strings.Contains(got.stderr, "usage") {
		t.Errorf("a member name with a path separator: %+v", got)
	}
	for _, posixName := range []string{"wsmgr-sync", "wsmgr-sync-state", "lbctl"} {
		if _, ok := Lookup(posixName); ok {
			t.Errorf("%s answers without .exe: the stand-ins are Windows lab programs only", posixName)
		}
	}
}

// TestWsmgrSyncToADownMember: a member whose node is down receives nothing; the sync monitor
// shows the failure, as for a full disk.
func TestWsmgrSyncToADownMember(t *testing.T) {
	l := newTestLab(t, "web1", "web2")
	const tools = "c/LabSiteTools"
	l.file("web1", wsmgrSettings+"/wsmgr.conf", "port=80\r\n")
	l.file("web2", wsmgrSettings+"/wsmgr.conf", "port=81\r\n")
	if err := labdir.SetFault(l.roots["web2"], labdir.NodeDown, ""); err != nil {
		t.Fatal(err)
	}
	l.must("web1", tools, "wsmgr-sync.exe", "web2")
	if got := l.read("web2", wsmgrSettings+"/wsmgr.conf"); got != "port=81\r\n" {
		t.Errorf("web2, which is down, holds %q after the sync", got)
	}
	want := result{stdout: "E1203 distribution to web2 failed\n", code: 2}
	if got := l.run("web1", tools, "wsmgr-sync-state.exe", "web2"); got != want {
		t.Errorf("sync state of web2 = %+v, want %+v", got, want)
	}
}

// TestSiteStandInsOverThePeerLink: the stand-ins behave the same on nodes that reach their peers
// through a peer server, as chrooted nodes on real sshd do.
func TestSiteStandInsOverThePeerLink(t *testing.T) {
	overPeerLink = true
	t.Cleanup(func() { overPeerLink = false })
	TestSiteStandIns(t)
}

// TestWsmgrSyncUsesThePeerLink: a node with a peer link does not fall back on the registry: with
// the peer server gone, wsmgr-sync.exe fails, says why, and the member receives nothing.
func TestWsmgrSyncUsesThePeerLink(t *testing.T) {
	overPeerLink = true
	l := newTestLab(t, "web1", "web2")
	overPeerLink = false
	l.file("web1", wsmgrSettings+"/wsmgr.conf", "port=80\r\n")
	os.Remove(filepath.Join(l.roots["web1"], labdir.PeerLinkFile))
	l.mustFail("web1", "c/LabSiteTools", "wsmgr-sync.exe", "peer link", "web2")
	if got := l.read("web2", wsmgrSettings+"/wsmgr.conf"); got != "" {
		t.Errorf("the settings reached web2 without the peer link: %q", got)
	}
}
