package emulate

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab/labdir"
)

var update = flag.Bool("update", false, "rewrite golden files")

const clp = clusterproLinux

// stagedConfig writes a configuration directory on node (clp.conf and one script) and returns
// its host path as the tool would pass it.
func stagedConfig(t testing.TB, l *testLab, node string) string {
	t.Helper()
	conf, err := os.ReadFile("testdata/web.clp.conf")
	if err != nil {
		t.Fatal(err)
	}
	l.file(node, "/tmp/cfg/clp.conf", string(conf))
	l.file(node, "/tmp/cfg/scripts/web/exec1/start.sh", "#!/bin/sh\necho start\n")
	return hostIn(l.roots[node], "/tmp/cfg")
}

func installedCluster(t testing.TB) *testLab {
	t.Helper()
	l := newTestLab(t, "sv1", "sv2", "sv3")
	dir := stagedConfig(t, l, "sv1")
	l.must("sv1", clp, "clpcfctrl", "--push", "-l", "-x", dir)
	return l
}

func TestClpcfctrlPushInstallsOnEveryServer(t *testing.T) {
	l := newTestLab(t, "sv1", "sv2", "sv3")
	dir := stagedConfig(t, l, "sv1")
	l.file("sv2", clp+"/scripts/old/exec/start.sh", "stale")
	out := l.must("sv1", clp, "clpcfctrl", "--push", "-l", "-x", dir)
	want := "file delivery to server sv1 success.\nfile delivery to server sv2 success.\n" +
		"file delivery to server sv3 success.\nThe upload is completed successfully.\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	conf, _ := os.ReadFile("testdata/web.clp.conf")
	for _, n := range []string{"sv1", "sv2", "sv3"} {
		if got := l.read(n, clp+"/etc/clp.conf"); got != string(conf) {
			t.Errorf("%s: clp.conf not installed", n)
		}
		if got := l.read(n, clp+"/scripts/web/exec1/start.sh"); !strings.Contains(got, "echo start") {
			t.Errorf("%s: start.sh not installed: %q", n, got)
		}
		info, err := os.Stat(hostIn(l.roots[n], clp+"/scripts/web/exec1/start.sh"))
		if err != nil || info.Mode().Perm()&0o100 == 0 {
			t.Errorf("%s: start.sh lost its mode: %v %v", n, info, err)
		}
	}
	if got := l.read("sv2", clp+"/scripts/old/exec/start.sh"); got != "" {
		t.Errorf("the previous scripts tree survived the push")
	}
}

func TestClpcfctrlPushWindowsInstallDir(t *testing.T) {
	l := newTestLab(t, "sv1", "sv2", "sv3")
	dir := stagedConfig(t, l, "sv1")
	l.must("sv1", clusterproWindows, "clpcfctrl", "--push", "-w", "-x", dir)
	if l.read("sv3", clusterproWindows+"/etc/clp.conf") == "" {
		t.Error("clp.conf not installed under the Windows install directory")
	}
	if l.read("sv3", clp+"/etc/clp.conf") != "" {
		t.Error("clp.conf installed under the Linux install directory")
	}
}

func TestClpcfctrlPushRefusals(t *testing.T) {
	cases := map[string]struct {
		setup func(l *testLab)
		want  string
	}{
		"running cluster": {
			setup: func(l *testLab) {
				l.must("sv1", clp, "clpcfctrl", "--push", "-l", "-x", hostIn(l.roots["sv1"], "/tmp/cfg"))
				l.must("sv1", clp, "clpcl", "-s", "-a")
			},
			want: "the cluster is running. Suspend or stop the cluster first.",
		},
		"peer down": {
			setup: func(l *testLab) { l.fault("sv3", labdir.NodeDown, "") },
			want:  "file delivery to server sv3 failed",
		},
		"server without a lab node": {
			setup: func(l *testLab) {
				reg, _ := labdir.ReadRegistry(l.dir)
				reg.Nodes = reg.Nodes[:2]
				labdir.WriteRegistry(l.dir, reg)
			},
			want: "server sv3 is not found.",
		},
		"disk full on a peer": {
			setup: func(l *testLab) { l.fault("sv2", labdir.DiskFull, "") },
			want:  "No space left on device",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			l := newTestLab(t, "sv1", "sv2", "sv3")
			dir := stagedConfig(t, l, "sv1")
			tc.setup(l)
			before := l.read("sv3", clp+"/etc/clp.conf")
			l.mustFail("sv1", clp, "clpcfctrl", tc.want, "--push", "-l", "-x", dir)
			if name != "disk full on a peer" && l.read("sv3", clp+"/etc/clp.conf") != before {
				t.Error("a refused push changed sv3")
			}
		})
	}
}

func TestClpcfctrlPushAllowedWhileSuspended(t *testing.T) {
	l := installedCluster(t)
	l.must("sv1", clp, "clpcl", "-s", "-a")
	l.must("sv1", clp, "clpcl", "--suspend", "-a")
	l.must("sv1", clp, "clpcfctrl", "--push", "-l", "-x", hostIn(l.roots["sv1"], "/tmp/cfg"))
}

func TestClpcfctrlPull(t *testing.T) {
	l := installedCluster(t)
	l.must("sv2", clp, "clpcfctrl", "--pull", "-l", "-x", "/tmp/pulled") // a bare node path
	if l.read("sv2", "/tmp/pulled/clp.conf") != l.read("sv1", "/tmp/cfg/clp.conf") {
		t.Error("pulled clp.conf differs from the pushed one")
	}
	if !strings.Contains(l.read("sv2", "/tmp/pulled/scripts/web/exec1/start.sh"), "echo start") {
		t.Error("pulled scripts missing")
	}
	l2 := newTestLab(t, "sv1")
	l2.mustFail("sv1", clp, "clpcfctrl", "not installed", "--pull", "-l", "-x", "/tmp/p")
}

func TestClpcfctrlUsage(t *testing.T) {
	l := newTestLab(t, "sv1")
	for _, args := range [][]string{{"--push", "-x", "/d"}, {"--push", "--pull", "-l", "-x", "/d"}, {"--push", "-l"}} {
		l.mustFail("sv1", clp, "clpcfctrl", "invalid option", args...)
	}
}

// groups reads the group view of node.
func groupsOf(t *testing.T, l *testLab, node string) map[string]groupState {
	t.Helper()
	st, err := readState(l.roots[node], clp)
	if err != nil {
		t.Fatal(err)
	}
	return st.Groups
}

func TestClpclStartPlacesGroupsByPolicy(t *testing.T) {
	l := installedCluster(t)
	l.must("sv1", clp, "clpcl", "-s", "-a")
	want := map[string]groupState{
		"web": {Status: groupOnline, Current: "sv1"},
		"db":  {Status: groupOnline, Current: "sv2"},
		"any": {Status: groupOnline, Current: "sv1"},
	}
	for _, n := range []string{"sv1", "sv2", "sv3"} {
		if diff := cmp.Diff(want, groupsOf(t, l, n)); diff != "" {
			t.Errorf("%s groups (-want +got):\n%s", n, diff)
		}
	}

	// Stopping sv1 alone fails its groups over to the next running server of their policy.
	l.must("sv1", clp, "clpcl", "-t")
	want = map[string]groupState{
		"web": {Status: groupOnline, Current: "sv2"},
		"db":  {Status: groupOnline, Current: "sv2"},
		"any": {Status: groupOnline, Current: "sv2"},
	}
	if diff := cmp.Diff(want, groupsOf(t, l, "sv3")); diff != "" {
		t.Errorf("after stopping sv1 (-want +got):\n%s", diff)
	}

	l.must("sv2", clp, "clpcl", "-t", "-a")
	for name, g := range groupsOf(t, l, "sv1") {
		if g.Status != groupOffline {
			t.Errorf("group %s is %s after stopping every server", name, g.Status)
		}
	}
}

func TestClpclStartOnlyThisServer(t *testing.T) {
	l := installedCluster(t)
	l.must("sv3", clp, "clpcl", "-s", "--ib", "--web", "--alert")
	got := groupsOf(t, l, "sv1")
	want := map[string]groupState{
		"web": {Status: groupOnline, Current: "sv3"},
		"db":  {Status: groupOffline}, // sv3 is not in its policy
		"any": {Status: groupOnline, Current: "sv3"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestClpclStateMachine(t *testing.T) {
	l := installedCluster(t)
	l.mustFail("sv1", clp, "clpcl", "not suspended", "--resume", "-a")
	l.mustFail("sv1", clp, "clpcl", "not running", "--suspend", "-a")
	l.must("sv1", clp, "clpcl", "-s", "-a")
	l.must("sv1", clp, "clpcl", "--suspend", "-a")
	l.mustFail("sv1", clp, "clpcl", "suspended; resume", "-s", "-a")
	l.mustFail("sv1", clp, "clpcl", "not running", "--suspend", "-a")
	l.must("sv1", clp, "clpcl", "--resume", "-a")
	l.must("sv1", clp, "clpcl", "-r", "-a")
	st, _ := readState(l.roots["sv2"], clp)
	if st.Cluster != clusterRunning {
		t.Errorf("sv2 is %s after restart", st.Cluster)
	}
	l.mustFail("sv1", clp, "clpcl", "exactly one", "-s", "-t")
	l.mustFail("sv1", clp, "clpcl", "invalid option", "--bogus")
	l.fault("sv3", labdir.NodeDown, "")
	l.mustFail("sv1", clp, "clpcl", "server sv3 is not reachable", "-t", "-a")
}

// TestClpclVendorFailOnAPeer: a suspend that fails on sv2 leaves sv1 suspended and sv2, sv3
// running; the resume resumes only sv1, and a resume failing on a peer fails the command.
func TestClpclVendorFailOnAPeer(t *testing.T) {
	l := installedCluster(t)
	l.must("sv1", clp, "clpcl", "-s", "-a")
	l.fault("sv2", labdir.VendorFail, "suspend")
	l.mustFail("sv1", clp, "clpcl", "failed to suspend server sv2", "--suspend")
	states := func() []string {
		var out []string
		for _, n := range []string{"sv1", "sv2", "sv3"} {
			st, err := readState(l.roots[n], clp)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, st.Cluster)
		}
		return out
	}
	if diff := cmp.Diff([]string{clusterSuspended, clusterRunning, clusterRunning}, states()); diff != "" {
		t.Errorf("after the failed suspend (-want +got):\n%s", diff)
	}
	l.must("sv3", clp, "clpcl", "--resume")
	if diff := cmp.Diff([]string{clusterRunning, clusterRunning, clusterRunning}, states()); diff != "" {
		t.Errorf("after the resume (-want +got):\n%s", diff)
	}
	if err := labdir.ClearFault(l.roots["sv2"], labdir.VendorFail, "suspend"); err != nil {
		t.Fatal(err)
	}
	l.must("sv1", clp, "clpcl", "--suspend")
	l.fault("sv3", labdir.VendorFail, "resume")
	l.mustFail("sv2", clp, "clpcl", "failed to resume server sv3", "--resume")
}

func TestClpclWithoutConfiguration(t *testing.T) {
	l := newTestLab(t, "sv1")
	l.mustFail("sv1", clp, "clpcl", "configuration is not installed", "-s")
	l.mustFail("sv1", clp, "clpstat", "configuration is not installed")
}

func TestClpgrp(t *testing.T) {
	l := installedCluster(t)
	l.mustFail("sv1", clp, "clpgrp", "the cluster is stopped", "-t", "web")
	l.must("sv1", clp, "clpcl", "-s", "-a")
	l.must("sv1", clp, "clpgrp", "-m", "web") // next in policy: sv2
	l.must("sv1", clp, "clpgrp", "-m", "db", "-a", "sv1")
	l.must("sv1", clp, "clpgrp", "-t", "any")
	want := map[string]groupState{
		"web": {Status: groupOnline, Current: "sv2"},
		"db":  {Status: groupOnline, Current: "sv1"},
		"any": {Status: groupOffline},
	}
	if diff := cmp.Diff(want, groupsOf(t, l, "sv3")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	l.must("sv1", clp, "clpgrp", "-s", "any", "-h", "sv3")
	if g := groupsOf(t, l, "sv1")["any"]; g.Current != "sv3" {
		t.Errorf("any on %q, want sv3", g.Current)
	}
	l.mustFail("sv1", clp, "clpgrp", "already started", "-s", "web")
	l.mustFail("sv1", clp, "clpgrp", "not in the failover policy", "-m", "db", "-a", "sv3")
	l.mustFail("sv1", clp, "clpgrp", "group nope is not found", "-t", "nope")
	l.mustFail("sv1", clp, "clpgrp", "already on server", "-m", "web", "-a", "sv2")
	l.must("sv1", clp, "clpgrp", "-t", "web")
	l.mustFail("sv1", clp, "clpgrp", "already stopped", "-t", "web")
	l.mustFail("sv1", clp, "clpgrp", "not started", "-m", "web")
	l.must("sv2", clp, "clpcl", "-t")
	l.mustFail("sv1", clp, "clpgrp", "server sv2 is not running", "-s", "web", "-h", "sv2")
}

func TestClpstatGolden(t *testing.T) {
	l := installedCluster(t)
	stopped := l.must("sv2", clp, "clpstat")
	l.must("sv1", clp, "clpcl", "-s", "-a")
	l.must("sv1", clp, "clpcl", "-t") // sv1 stops: its groups move to sv2
	running := l.must("sv2", clp, "clpstat")
	golden(t, "clpstat.golden", "# stopped\n"+stopped+"# sv1 stopped, sv2 and sv3 running\n"+running)
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}
