package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/labdir"
)

// TestServerGroupOnCmdNodes is issue 17 item 5 for WSMGR server groups: the example, unchanged,
// on four in-process Windows lab nodes reached with shell = "cmd" (the lab.vars.hcl of a
// Windows lab sets it per host). The tool reads the settings and measures free space over SFTP
// (statvfs@openssh.com), takes its run lock in C:\Windows\Temp by an exclusive SFTP create, and
// runs the site's commands as .exe programs (the lab's LAB-ONLY stand-ins in C:\LabSiteTools,
// which copy the settings the way WSMGR's own sync would). It plans, applies, re-plans with no
// changes, syncs the one member whose settings were changed by hand, holds back the member
// whose disk is full (the lab's disk-full fault, seen through statvfs), and reads status.
func TestServerGroupOnCmdNodes(t *testing.T) {
	names := []string{"web1", "web2", "web3", "web4"}
	l, err := lab.StartInProcess(lab.Options{Dir: t.TempDir(), Names: names, Binary: binary, Windows: []string{"*"}, CodePage: 932})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	n := &nodes{t: t, names: names, roots: map[string]string{}, varFile: filepath.Join(l.Dir, lab.VarsFile), home: t.TempDir()}
	for _, node := range l.Registry().Nodes {
		n.roots[node.Name] = node.Root
	}
	ex := filepath.Join("examples", sgExample)
	sgConvergeOnCmdNodes(t, n, ex, func(member, content string) {
		// by hand over SFTP, as an administrator on the member would
		f, err := labSFTP(t, l, member).OpenFile("/C:/Program Files/WSMGR/config/wsmgr.conf", os.O_WRONLY|os.O_TRUNC)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(content))
		f.Close()
	})

	// web4's disk is full: statvfs reports nothing free there, so web4 is held back alone.
	if err := labdir.SetFault(n.roots["web4"], labdir.DiskFull, ""); err != nil {
		t.Fatal(err)
	}
	sgWrite(t, n.path("web1", sgSettings+"/wsmgr.conf"), "port=8080\r\n", 0o644)
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan with web4's disk full")
	out := plan.stdout + plan.stderr
	for _, s := range []string{"Member held back: not enough free space in system_dir", "node.web4", `C:\Windows\Temp has 0 KiB free`} {
		if !strings.Contains(out, s) {
			t.Errorf("plan output lacks %q:\n%s", s, out)
		}
	}
	for _, s := range []string{"node.web2: ", "node.web3: "} {
		if strings.Contains(out, s+"C:") {
			t.Errorf("a free-space problem is reported on the wrong node (%s):\n%s", s, out)
		}
	}
	if _, got := sgApplyCalls(t, n, ex, 0, "apply with web4's disk full"); got != "detach web2\nattach web2\ndetach web3\nattach web3\n" {
		t.Errorf("balancer calls with web4 held back: %q", got)
	}
	if got := sgRead(t, n.path("web4", sgSettings+"/wsmgr.conf")); got != "port=80\r\n" {
		t.Errorf("the held-back web4 holds %q", got)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 2, "plan while web4 is held back")

	// status reaches the members with a typed op (no `true` on a cmd node).
	sgStatusAllIn(t, n, ex)
}

// sgConvergeOnCmdNodes runs the server group example ex on the Windows nodes web1..web4 of n,
// reached with shell = "cmd", whose site commands are the lab's stand-ins: it validates, plans
// every member, applies (each member detached, synced and attached in turn), re-plans with no
// changes and no run lock left behind; then editMember changes web3's wsmgr.conf by hand, which
// is drift on web3 alone, and an apply syncs web3 alone back.
func sgConvergeOnCmdNodes(t *testing.T, n *nodes, ex string, editMember func(member, content string)) {
	t.Helper()
	names := []string{"web1", "web2", "web3", "web4"}
	sgWrite(t, n.path("web1", sgSettings+"/wsmgr.conf"), "port=80\r\n", 0o644)
	sgWrite(t, n.path("web1", sgSettings+"/sites/shop.xml"), "<site name='shop'/>\r\n", 0o644)

	n.run("validate", "--var-file", n.varFile, ex).must(t, 0, "validate")
	if got := sgChanged(n.planJSON(ex)); strings.Join(got, " ") != "web2 web3 web4" {
		t.Fatalf("first plan updates %v, want every member (none holds the settings yet)", got)
	}
	if _, got := sgApplyCalls(t, n, ex, 0, "first apply"); got != "detach web2\nattach web2\ndetach web3\nattach web3\ndetach web4\nattach web4\n" {
		t.Errorf("balancer calls: %q", got)
	}
	for _, member := range names[1:] {
		if got := sgRead(t, n.path(member, sgSettings+"/sites/shop.xml")); got != "<site name='shop'/>\r\n" {
			t.Errorf("%s holds %q after the sync", member, got)
		}
	}
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after apply")
	if !strings.Contains(r.stdout, "No changes") {
		t.Errorf("plan after apply:\n%s", r.stdout)
	}
	if left, _ := filepath.Glob(n.path("web1", "c/Windows/Temp/.cluster-lock-*")); len(left) != 0 {
		t.Errorf("the run lock is left behind: %v", left)
	}

	// Someone edits web3's settings by hand: web3 alone differs, and only web3 is synced.
	editMember("web3", "port=81\r\n")
	p := n.planJSON(ex)
	if got := sgChanged(p); strings.Join(got, " ") != "web3" {
		t.Fatalf("plan after web3's edit updates %v, want web3 only", got)
	}
	if _, got := sgApplyCalls(t, n, ex, 0, "apply the resync of web3"); got != "detach web3\nattach web3\n" {
		t.Errorf("balancer calls for web3's sync: %q", got)
	}
	if got := sgRead(t, n.path("web3", sgSettings+"/wsmgr.conf")); got != "port=80\r\n" {
		t.Errorf("web3 holds %q after its sync", got)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after web3's sync")
}

// sgApplyCalls applies ex on n, which must exit with code, and returns its result and the
// balancer calls web1's lbctl.exe logged during it.
func sgApplyCalls(t *testing.T, n *nodes, ex string, code int, what string, args ...string) (result, string) {
	t.Helper()
	lbLog := n.path("web1", "lb.log")
	before := sgRead(t, lbLog)
	r := n.run(append(append([]string{"apply", "--auto-approve"}, args...), "--var-file", n.varFile, ex)...).must(t, code, what)
	return r, strings.TrimPrefix(sgRead(t, lbLog), before)
}

// sgStatusAllIn checks that status shows ex's management server up and every member of n
// reachable, in sync and in the balancer.
func sgStatusAllIn(t *testing.T, n *nodes, ex string) {
	t.Helper()
	g := n.statusJSON(ex, 0).ServerGroups[0]
	var in []string
	for _, m := range g.Members {
		if m.Reachable && m.InSync && m.Balancer == "in" {
			in = append(in, m.Name)
		}
	}
	if !g.ManagementUp || strings.Join(in, " ") != "web2 web3 web4" {
		t.Errorf("status of the server group: %+v", g)
	}
}

// sgChanged lists the members a plan changes, by member name.
func sgChanged(p jsonPlan) []string {
	var out []string
	for _, c := range p.Changes {
		if m, ok := strings.CutPrefix(c.Address, "server_group.web.member."); ok {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}
