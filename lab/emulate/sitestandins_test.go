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

	l.must("web1", tools, "wsmgr-sync.exe", "web2")
	if b, err := os.ReadFile(filepath.Join(l.roots["web2"], "c", "Program Files", "WSMGR", "config", "sites", "shop.xml")); err != nil || string(b) != "<site/>\r\n" {
		t.Errorf("web2 after the sync: %q, %v", b, err)
	}
	l.must("web1", tools, "wsmgr-sync.exe", "web3") // requested; the sync monitor shows the failure
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
