package emulate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab/labdir"
)

const hiobj = groupmaxInstall

const stsDefText = `# status service definition
logical sts1
pair /sts/a1 /sts/b1
pair /sts/a2 /sts/b2
pair /sts/a3 /sts/b3
logical sts2
pair /sts/x1 /sts/y1
`

func newStsLab(t *testing.T) *testLab {
	t.Helper()
	l := newTestLab(t, "obj")
	l.file("obj", hiobj+"/conf/sts.def", stsDefText)
	return l
}

// ls returns xodstsls output as "LOGICAL A STATE" per pair.
func ls(t *testing.T, l *testLab) []string {
	t.Helper()
	var out []string
	for _, line := range splitLines(l.must("obj", hiobj, "xodstsls")) {
		f := fields(line)
		out = append(out, f[0]+" "+f[1]+" "+f[3])
	}
	return out
}

func splitLines(s string) []string { return strings.Split(strings.TrimSuffix(s, "\n"), "\n") }
func fields(s string) []string     { return strings.Fields(s) }

func TestStatusFileLifecycle(t *testing.T) {
	l := newStsLab(t)
	for _, p := range [][2]string{{"/sts/a1", "/sts/b1"}, {"/sts/a2", "/sts/b2"}} {
		l.must("obj", hiobj, "xodstsinit", "-l", "sts1", "-a", p[0], "-b", p[1], "-s", "64", "-n", "4")
	}
	if got := l.read("obj", "/sts/a1"); len(got) != 256 || !strings.HasPrefix(got, "XODSTS logical=sts1 side=A") {
		t.Errorf("A file: %d bytes %q", len(got), got[:min(len(got), 40)])
	}
	l.must("obj", hiobj, "xodstsopn", "-l", "sts1", "-a", "/sts/a1") // no current yet: current
	l.must("obj", hiobj, "xodstsopn", "-l", "sts1", "-a", "/sts/a2") // spare
	want := []string{
		"sts1 /sts/a1 current", "sts1 /sts/a2 spare", "sts1 /sts/a3 uninitialized",
		"sts2 /sts/x1 uninitialized",
	}
	if diff := cmp.Diff(want, ls(t, l)); diff != "" {
		t.Fatalf("after open (-want +got):\n%s", diff)
	}

	// A swap copies current A into spare A, then B into B, and exchanges the roles.
	l.file("obj", "/sts/a1", "state-A")
	l.file("obj", "/sts/b1", "state-B")
	l.must("obj", hiobj, "xodstsswp", "-l", "sts1")
	if a, b := l.read("obj", "/sts/a2"), l.read("obj", "/sts/b2"); a != "state-A" || b != "state-B" {
		t.Errorf("swap copied %q %q", a, b)
	}
	want[0], want[1] = "sts1 /sts/a1 spare", "sts1 /sts/a2 current"
	if diff := cmp.Diff(want, ls(t, l)); diff != "" {
		t.Fatalf("after swap (-want +got):\n%s", diff)
	}

	// Refusals: the current pair cannot be closed or deleted, a spare cannot be deleted.
	l.mustFail("obj", hiobj, "xodstscls", "current file cannot be closed", "-l", "sts1", "-a", "/sts/a2")
	l.mustFail("obj", hiobj, "xodstsrm", "a current file cannot be deleted", "-l", "sts1", "-a", "/sts/a2")
	l.mustFail("obj", hiobj, "xodstsrm", "a spare file cannot be deleted", "-l", "sts1", "-a", "/sts/a1")
	l.mustFail("obj", hiobj, "xodstsinit", "the file is open (current)", "-l", "sts1", "-a", "/sts/a2", "-b", "/sts/b2")
	l.mustFail("obj", hiobj, "xodstsopn", "already open", "-l", "sts1", "-a", "/sts/a1")

	// Close the spare, then delete it: its files go away.
	l.must("obj", hiobj, "xodstscls", "-l", "sts1", "-a", "/sts/a1")
	l.mustFail("obj", hiobj, "xodstsswp", "no spare file", "-l", "sts1")
	l.mustFail("obj", hiobj, "xodstscls", "not open (reserved)", "-l", "sts1", "-a", "/sts/a1")
	l.must("obj", hiobj, "xodstsrm", "-l", "sts1", "-a", "/sts/a1")
	if l.read("obj", "/sts/a1") != "" || l.read("obj", "/sts/b1") != "" {
		t.Error("xodstsrm left the files")
	}
	want[0], want[1] = "sts1 /sts/a1 uninitialized", "sts1 /sts/a2 current"
	if diff := cmp.Diff(want, ls(t, l)); diff != "" {
		t.Fatalf("after rm (-want +got):\n%s", diff)
	}
}

func TestStatusFileIOErrorSwaps(t *testing.T) {
	l := newStsLab(t)
	for _, p := range [][2]string{{"/sts/a1", "/sts/b1"}, {"/sts/a2", "/sts/b2"}, {"/sts/a3", "/sts/b3"}} {
		l.must("obj", hiobj, "xodstsinit", "-l", "sts1", "-a", p[0], "-b", p[1])
		l.must("obj", hiobj, "xodstsopn", "-l", "sts1", "-a", p[0])
	}
	l.file("obj", "/sts/a1", "healthy-A")
	l.file("obj", "/sts/b1", "healthy-B")

	// B of the current pair fails: the healthy A is copied into both spare files.
	l.fault("obj", labdir.StsIOError, "/sts/b1")
	r := l.run("obj", hiobj, "xodstsls")
	if r.code != 0 || !strings.Contains(r.stderr, "swapped to /sts/a2 /sts/b2") {
		t.Fatalf("xodstsls: exit %d, stderr %q", r.code, r.stderr)
	}
	if a, b := l.read("obj", "/sts/a2"), l.read("obj", "/sts/b2"); a != "healthy-A" || b != "healthy-A" {
		t.Errorf("spare received %q %q, want the healthy A in both", a, b)
	}
	want := []string{"sts1 /sts/a1 blocked", "sts1 /sts/a2 current", "sts1 /sts/a3 spare", "sts2 /sts/x1 uninitialized"}
	if diff := cmp.Diff(want, ls(t, l)); diff != "" {
		t.Fatalf("after I/O error (-want +got):\n%s", diff)
	}

	// A blocked pair can be deleted, or returned by re-initialising (once repaired) and opening.
	l.mustFail("obj", hiobj, "xodstsopn", "blocked; re-initialise", "-l", "sts1", "-a", "/sts/a1")
	l.mustFail("obj", hiobj, "xodstsinit", "/sts/b1: I/O error", "-l", "sts1", "-a", "/sts/a1", "-b", "/sts/b1")
	if err := labdir.ClearFault(l.roots["obj"], labdir.StsIOError, "/sts/b1"); err != nil {
		t.Fatal(err)
	}
	l.must("obj", hiobj, "xodstsinit", "-l", "sts1", "-a", "/sts/a1", "-b", "/sts/b1")
	l.must("obj", hiobj, "xodstsopn", "-l", "sts1", "-a", "/sts/a1")
	want[0] = "sts1 /sts/a1 spare"
	if diff := cmp.Diff(want, ls(t, l)); diff != "" {
		t.Fatalf("after recovery (-want +got):\n%s", diff)
	}

	// A failing spare is blocked; a failing current with no healthy spare leaves no current.
	l.fault("obj", labdir.StsIOError, "/sts/a3")
	l.fault("obj", labdir.StsIOError, "/sts/a1")
	l.fault("obj", labdir.StsIOError, "/sts/a2")
	want = []string{"sts1 /sts/a1 blocked", "sts1 /sts/a2 blocked", "sts1 /sts/a3 blocked", "sts2 /sts/x1 uninitialized"}
	if diff := cmp.Diff(want, ls(t, l)); diff != "" {
		t.Fatalf("after every pair failed (-want +got):\n%s", diff)
	}
	l.mustFail("obj", hiobj, "xodstsswp", "no current file", "-l", "sts1")
}

func TestStatusFileRefusals(t *testing.T) {
	l := newStsLab(t)
	l.mustFail("obj", hiobj, "xodstsinit", "not defined for sts1", "-l", "sts1", "-a", "/sts/a1", "-b", "/sts/b2")
	l.mustFail("obj", hiobj, "xodstsinit", "logical file nope is not defined", "-l", "nope", "-a", "/sts/a1", "-b", "/sts/b1")
	l.mustFail("obj", hiobj, "xodstsopn", "no such status file", "-l", "sts1", "-a", "/sts/a1")
	l.mustFail("obj", hiobj, "xodstsopn", "invalid option", "-l", "sts1")
	l.mustFail("obj", hiobj, "xodstsls", "cannot read the definition file", "-d", "/nope.def")
	l.fault("obj", labdir.DiskFull, "")
	l.mustFail("obj", hiobj, "xodstsinit", "No space left on device", "-l", "sts1", "-a", "/sts/a1", "-b", "/sts/b1")
}

func TestStatusFileDefinitionPathForms(t *testing.T) {
	l := newStsLab(t)
	l.file("obj", "/etc/other.def", "logical z\npair /z/a /z/b\n")
	// The tool passes root-prefixed paths; a person on the node passes bare node paths.
	prefixed := hostIn(l.roots["obj"], "/etc/other.def")
	l.must("obj", hiobj, "xodstsinit", "-d", prefixed, "-l", "z", "-a", hostIn(l.roots["obj"], "/z/a"), "-b", "/z/b")
	if got := l.must("obj", hiobj, "xodstsls", "-d", "/etc/other.def"); got != "z /z/a /z/b reserved\n" {
		t.Errorf("got %q", got)
	}
}

func TestParseStsDefRejects(t *testing.T) {
	for name, text := range map[string]string{
		"pair first":    "pair /a /b\n",
		"relative path": "logical l\npair a /b\n",
		"eight pairs":   "logical l\n" + strings.Repeat("pair /a /b\n", 8),
		"duplicate":     "logical l\nlogical l\n",
		"unknown":       "logical\n",
	} {
		if _, err := parseStsDef([]byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestDfDiskFull(t *testing.T) {
	l := newTestLab(t, "n")
	l.fault("n", labdir.DiskFull, "")
	out := l.must("n", "/", "df", "-P", "/opt")
	lines := splitLines(out)
	if len(lines) != 2 || fields(lines[1])[3] != "0" {
		t.Errorf("df under disk-full:\n%s", out)
	}
}
