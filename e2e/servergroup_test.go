package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const sgExample = "wsmgr-server-group"

// Where the example keeps WSMGR's settings and the site's programs, as paths below a POSIX
// node's root: the example names Windows paths (C:\Program Files\WSMGR\config,
// C:\LabSiteTools\...), which a node with a POSIX shell reaches in the MSYS form /c/... (a
// Windows server whose OpenSSH DefaultShell is an MSYS or Cygwin bash, docs/windows.md).
const (
	sgSettings   = "c/Program Files/WSMGR/config"
	sgInstallDir = "c/Program Files/WSMGR"
	sgSiteTools  = "c/LabSiteTools"
)

// sgPosixHosts makes the web nodes of n's var file say shell = "posix": these e2e nodes are
// real sshd with a POSIX shell, where the example's hosts default to Microsoft's cmd.exe.
func sgPosixHosts(t *testing.T, n *nodes) {
	t.Helper()
	b, err := os.ReadFile(n.varFile)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^(\s*web\d+ = \{[^}\n]*?) \}$`)
	if err := os.WriteFile(n.varFile, re.ReplaceAll(b, []byte(`$1, shell = "posix" }`)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sgSetup starts the four web servers, gives the management node web1 its settings (made with
// WSMGR's admin tool on a real server) and the site's commands, and returns the nodes.
func sgSetup(t *testing.T) *nodes {
	t.Helper()
	n := startNodes(t, "web1", "web2", "web3", "web4")
	sgPosixHosts(t, n)
	sgWrite(t, n.path("web1", sgSettings+"/wsmgr.conf"), "port=80\n", 0o644)
	sgWrite(t, n.path("web1", sgSettings+"/sites/shop.xml"), "<site name='shop'/>\n", 0o644)
	sgScaffold(t, n, "web1")
	return n
}

// sgScaffold installs on the management node the site commands the example declares, as shell
// scripts under the names of the example's .exe programs (a POSIX node runs a script by any
// name). They are test scaffolding, not an emulation of WSMGR (on Windows lab nodes the lab's
// LAB-ONLY .exe stand-ins play their part, lab/emulate/sitestandins.go): WSMGR for Web has no command line for its
// sync or its sync monitor (docs/servergroup.md), so a site writes these against its admin
// tool. Here wsmgr-sync stands in for WSMGR's own sync (it copies the management server's
// config directory to the member, as WSMGR's sync does over HTTP; the tool itself never
// does), and records an error code where the copy fails, which wsmgr-sync-state then reports
// as the sync monitor would. A member whose wsmgr-state/<name>.disabled exists reads as
// 「無効」. lbctl is a load balancer that logs its calls and remembers who is out.
func sgScaffold(t *testing.T, n *nodes, mgmt string) {
	t.Helper()
	var roots []string
	for _, name := range n.names {
		if name != mgmt {
			roots = append(roots, fmt.Sprintf("%s) root='%s' ;;", name, n.roots[name]))
		}
	}
	sync := `#!/bin/sh
member=$1 state="$CLUSTER_NODE_ROOT/wsmgr-state"
mkdir -p "$state"
echo "$member" >>"$CLUSTER_NODE_ROOT/sync.log"
case $member in
` + strings.Join(roots, "\n") + `
*) echo "wsmgr-sync: $member is no member" >&2; exit 1 ;;
esac
if rm -rf "$root/` + sgSettings + `" 2>/dev/null && mkdir -p "$root/` + sgInstallDir + `" 2>/dev/null &&
  cp -R "$CLUSTER_NODE_ROOT/` + sgSettings + `" "$root/` + sgSettings + `" 2>/dev/null; then
  rm -f "$state/$member"
else
  echo "E1203 distribution to $member failed" >"$state/$member"
fi
`
	check := `#!/bin/sh
s="$CLUSTER_NODE_ROOT/wsmgr-state/$1"
if [ -e "$s.disabled" ]; then echo "無効"; exit 3; fi
if [ -e "$s" ]; then cat "$s"; exit 2; fi
echo "同期完了"
`
	lbctl := `#!/bin/sh
out="$CLUSTER_NODE_ROOT/lb-out"
mkdir -p "$out"
case $1 in
detach) echo "$*" >>"$CLUSTER_NODE_ROOT/lb.log"; : >"$out/$2" ;;
attach) echo "$*" >>"$CLUSTER_NODE_ROOT/lb.log"; rm -f "$out/$2" ;;
status) [ ! -e "$out/$2" ] ;;
*) exit 64 ;;
esac
`
	sgWrite(t, n.path(mgmt, sgSiteTools+"/wsmgr-sync.exe"), sync, 0o755)
	sgWrite(t, n.path(mgmt, sgSiteTools+"/wsmgr-sync-state.exe"), check, 0o755)
	sgWrite(t, n.path(mgmt, sgSiteTools+"/lbctl.exe"), lbctl, 0o755)
}

func sgWrite(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func sgRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// sgSteps extracts the member steps from apply's progress lines, in the order they ended.
func sgSteps(stderr string) []string {
	re := regexp.MustCompile(`(?m)^server_group\.web\.member\.(\w+): ([A-Za-z ]+)\.\.\. (done|failed)`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(stderr, -1) {
		out = append(out, m[1]+" "+m[2]+" "+m[3])
	}
	return out
}

// sgInstallDirs lists what each node holds in WSMGR's install directory: only the
// config directory WSMGR's sync wrote, never a file of the tool's.
func sgInstallDirs(t *testing.T, n *nodes) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, name := range n.names {
		entries, err := os.ReadDir(n.path(name, sgInstallDir))
		if err != nil {
			continue
		}
		for _, e := range entries {
			out[name] = append(out[name], e.Name())
		}
		slices.Sort(out[name])
	}
	return out
}

func TestServerGroupRolloutFailureAndResync(t *testing.T) {
	n := sgSetup(t)
	ex := posixExample(t, sgExample)
	// WSMGR's sync cannot write web3's settings: its install directory is a regular file.
	sgWrite(t, n.path("web3", sgInstallDir), "not a directory\n", 0o644)

	r := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 1, "apply with a broken member")
	want := []string{
		"web2 detach from the load balancer done", "web2 have WSMGR sync it done", "web2 wait for the sync monitor done",
		"web2 verify the settings done", "web2 attach to the load balancer done",
		"web3 detach from the load balancer done", "web3 have WSMGR sync it done", "web3 wait for the sync monitor failed",
	}
	if got := sgSteps(r.stderr); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("member steps:\n%s\nwant:\n%s\nstderr:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), r.stderr)
	}
	if got := sgRead(t, n.path("web1", "lb.log")); got != "detach web2\nattach web2\ndetach web3\n" {
		t.Errorf("balancer calls:\n%s", got)
	}
	for _, s := range []string{"Done: server_group.web.member.web2", "Failed (left detached from the load balancer): server_group.web.member.web3",
		"Not touched: server_group.web.member.web4", "E1203 distribution to web3 failed"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("apply output lacks %q:\n%s", s, r.stderr)
		}
	}
	if sgRead(t, n.path("web2", sgSettings+"/sites/shop.xml")) != "<site name='shop'/>\n" {
		t.Error("web2 did not receive the settings")
	}
	if _, err := os.Stat(n.path("web4", sgSettings)); !os.IsNotExist(err) {
		t.Errorf("web4 was touched: %v", err)
	}

	// The next plan reads the sync monitor's error through sync_check_command: web3 is held
	// back until a manual sync, an update this apply leaves (exit 2), and web4 is still to do.
	p := n.planJSON(ex)
	actions := map[string]string{}
	for _, c := range p.Changes {
		actions[c.Address] = c.Action
	}
	if actions["server_group.web.member.web3"] != "update" || actions["server_group.web.member.web4"] != "update" ||
		actions["server_group.web.member.web2"] != "" {
		t.Errorf("plan after the failure: %v", actions)
	}
	human := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 2, "plan")
	for _, s := range []string{"Member held back until a manual sync", "E1203 distribution to web3 failed", "--resync server_group.web.member.web3"} {
		if !strings.Contains(human.stdout+human.stderr, s) {
			t.Errorf("plan lacks %q:\n%s\n%s", s, human.stdout, human.stderr)
		}
	}

	// Repaired, web3 is synced by hand (WSMGR's manual sync, seed 004); web4 goes along.
	if err := os.Remove(n.path("web3", sgInstallDir)); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--resync", "server_group.web.member.web3", "--var-file", n.varFile, ex).must(t, 0, "apply --resync")
	// web3 was still out of the balancer: it is synced without a second detach.
	if got := sgRead(t, n.path("web1", "lb.log")); got != "detach web2\nattach web2\ndetach web3\nattach web3\ndetach web4\nattach web4\n" {
		t.Errorf("balancer calls after the resync:\n%s", got)
	}
	if got := sgRead(t, n.path("web1", "sync.log")); got != "web2\nweb3\nweb3\nweb4\n" {
		t.Errorf("WSMGR syncs requested:\n%s", got)
	}
	for _, node := range []string{"web3", "web4"} {
		if sgRead(t, n.path(node, sgSettings+"/wsmgr.conf")) != "port=80\n" {
			t.Errorf("%s does not hold the settings", node)
		}
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the resync")
	// The tool wrote nothing into or beside WSMGR's config directory on any node.
	wantDirs := map[string][]string{"web1": {"config"}, "web2": {"config"}, "web3": {"config"}, "web4": {"config"}}
	if got := sgInstallDirs(t, n); !mapsEqual(got, wantDirs) {
		t.Errorf("install directories hold %v, want only config", got)
	}
}

func mapsEqual(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// A member under maintenance: the tool takes it out of the balancer and says that WSMGR's
// 「無効」 is the operator's to set in the admin tool; once maintenance is over and WSMGR has
// it back and synced, the tool puts it back in the balancer.
func TestServerGroupMaintenanceFollowsWSMGR(t *testing.T) {
	n := sgSetup(t)
	ex := posixExample(t, sgExample)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the first apply")
	log := sgRead(t, n.path("web1", "lb.log"))
	maint := []string{"--var", `maintenance=["web3"]`}

	r := n.run(append([]string{"plan", "--var-file", n.varFile}, append(maint, ex)...)...).must(t, 0, "plan maintenance")
	if !strings.Contains(r.stdout+r.stderr, "Disabled member still active in WSMGR") || !strings.Contains(r.stdout+r.stderr, "「無効」") {
		t.Errorf("plan does not ask for 「無効」 in the admin tool:\n%s\n%s", r.stdout, r.stderr)
	}
	n.run(append([]string{"apply", "--auto-approve", "--var-file", n.varFile}, append(maint, ex)...)...).must(t, 0, "apply maintenance")
	if got := strings.TrimPrefix(sgRead(t, n.path("web1", "lb.log")), log); got != "detach web3\n" {
		t.Errorf("balancer calls for the maintenance: %q", got)
	}
	// The operator sets web3 「無効」 in the admin tool: the plan settles.
	sgWrite(t, n.path("web1", "wsmgr-state/web3.disabled"), "", 0o644)
	n.run(append([]string{"plan", "--detailed-exitcode", "--var-file", n.varFile}, append(maint, ex)...)...).must(t, 0, "plan during maintenance")

	// Maintenance over in the configuration, but WSMGR still has web3 disabled: held back.
	r = n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 2, "plan before web3 is added back in WSMGR")
	if !strings.Contains(r.stdout+r.stderr, "Member disabled or missing in WSMGR") {
		t.Errorf("plan does not say web3 must be added back in WSMGR:\n%s\n%s", r.stdout, r.stderr)
	}
	// Added back in the admin tool, WSMGR syncs it by itself; the tool puts it back.
	if err := os.Remove(n.path("web1", "wsmgr-state/web3.disabled")); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply after maintenance")
	if got := strings.TrimPrefix(sgRead(t, n.path("web1", "lb.log")), log); got != "detach web3\nattach web3\n" {
		t.Errorf("balancer calls after the maintenance: %q", got)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the maintenance")
}
