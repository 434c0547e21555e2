package emulate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab/labdir"
)

const hiobj = groupmaxInstall

// Three logical files; sts3's files are never created.
const stsDefText = `# status service definition
logical sts1 D:\sts\sts1a E:\sts\sts1b
logical sts2 D:\sts\sts2a E:\sts\sts2b
logical sts3 D:\sts\sts3a E:\sts\sts3b
`

func newStsLab(t *testing.T) *testLab {
	t.Helper()
	l := newTestLab(t, "obj")
	for _, f := range []string{`D:\sts\sts1a`, `E:\sts\sts1b`, `D:\sts\sts2a`, `E:\sts\sts2b`} {
		l.must("obj", hiobj, "xodstsinit", "-f", f)
	}
	l.file("obj", hiobj+"/conf/sts", stsDefText)
	return l
}

// states reads the emulated server's states: test scaffolding, the product has no such reader.
func states(t *testing.T, l *testLab) map[string]string {
	t.Helper()
	var st stsState
	if err := json.Unmarshal([]byte(l.read("obj", hiobj+"/"+stsStateFile)), &st); err != nil {
		t.Fatal(err)
	}
	return st.Logicals
}

func start(t *testing.T, l *testLab) {
	t.Helper()
	if err := StartObjectServer(l.roots["obj"], "", &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
}

func TestXodstsinitCreatesTheFileOnTheDrivePath(t *testing.T) {
	l := newStsLab(t)
	if got := l.read("obj", "/d/sts/sts1a"); len(got) != stsFileSize || !strings.HasPrefix(got, "XODSTS") {
		t.Errorf("A file: %d bytes", len(got))
	}
	l.mustFail("obj", hiobj, "xodstsinit", "drive letter", "-f", "/opt/sts/x")
	l.must("obj", hiobj, "xodstsinit", "-f", "/d/sts/x") // the MSYS form a POSIX transport passes
	l.mustFail("obj", hiobj, "xodstsinit", "usage", "-n", "sts1")
}

// Seed 003: at a normal start the first defined becomes current, the others that open spare,
// those that cannot be opened reserved.
func TestNormalStartMakesTheFirstDefinedCurrent(t *testing.T) {
	l := newStsLab(t)
	start(t, l)
	want := map[string]string{"sts1": "current", "sts2": "spare", "sts3": "reserved"}
	if diff := cmp.Diff(want, states(t, l)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// 「予約のステータスファイルをxodstsopnコマンドでオープンすると,予備になります」: even when no file is
// current, opening makes a spare.
func TestOpeningNeverMakesAFileCurrent(t *testing.T) {
	l := newStsLab(t)
	start(t, l)
	l.must("obj", hiobj, "xodstsinit", "-f", `D:\sts\sts3a`)
	l.must("obj", hiobj, "xodstsinit", "-f", `E:\sts\sts3b`)
	l.must("obj", hiobj, "xodstsopn", "-n", "sts3")
	if got := states(t, l)["sts3"]; got != "spare" {
		t.Errorf("sts3 after xodstsopn: %s, want spare", got)
	}
	// Close sts2, fail sts1's A side: sts1 is blocked and the swap goes to sts3. Then close
	// sts3 is refused (current); after a by-hand close of nothing, re-open does not make current.
	l.must("obj", hiobj, "xodstscls", "-n", "sts2")
	l.fault("obj", labdir.StsIOError, "/d/sts/sts1a")
	l.fault("obj", labdir.StsIOError, "/d/sts/sts3a")
	l.run("obj", hiobj, "xodstsopn", "-n", "sts2") // the server notices both failures first
	got := states(t, l)
	if got["sts1"] != "blocked" || got["sts3"] != "blocked" {
		t.Fatalf("after I/O errors: %v", got)
	}
	if got["sts2"] != "spare" {
		t.Fatalf("sts2 reopened: %s, want spare (no current file: it still does not become current)", got["sts2"])
	}
}

func TestOpenNeedsARunningServerAndAClosedFile(t *testing.T) {
	l := newStsLab(t)
	l.mustFail("obj", hiobj, "xodstsopn", "not running", "-n", "sts2")
	start(t, l)
	l.mustFail("obj", hiobj, "xodstsopn", "already open", "-n", "sts2")
	l.mustFail("obj", hiobj, "xodstsopn", "does not exist", "-n", "sts3")
	l.mustFail("obj", hiobj, "xodstsopn", "not in the status service definition", "-n", "sts9")
	l.mustFail("obj", hiobj, "xodstsopn", "usage", "-n", "sts2", "-f", `D:\sts\sts2a`)
}

func TestCloseRemoveAndSwapFollowTheSeed(t *testing.T) {
	l := newStsLab(t)
	start(t, l)
	l.mustFail("obj", hiobj, "xodstscls", "cannot be closed", "-n", "sts1")
	l.mustFail("obj", hiobj, "xodstsrm", "cannot be deleted", "-n", "sts2")
	l.must("obj", hiobj, "xodstsswp")
	if got := states(t, l); got["sts1"] != "spare" || got["sts2"] != "current" {
		t.Fatalf("after swap: %v", got)
	}
	l.must("obj", hiobj, "xodstscls", "-f", `d:\STS\sts1a`) // NTFS names are case-insensitive
	l.must("obj", hiobj, "xodstsrm", "-n", "sts1")
	if got := l.run("obj", hiobj, "xodstsopn", "-n", "sts1"); got.code == 0 {
		t.Fatal("opened a deleted logical file")
	}
	if got := states(t, l)["sts1"]; got != "reserved" {
		t.Errorf("sts1 after xodstsrm: %s, want reserved (still defined, no files)", got)
	}
	l.mustFail("obj", hiobj, "xodstsswp", "no spare")
}

// A restart keeps the previous current file (「再開始すると,前回の現用ファイルが引き継がれます」).
func TestRestartKeepsThePreviousCurrent(t *testing.T) {
	l := newStsLab(t)
	start(t, l)
	l.must("obj", hiobj, "xodstsswp")
	if err := StopObjectServer(l.roots["obj"], ""); err != nil {
		t.Fatal(err)
	}
	start(t, l)
	if got := states(t, l); got["sts2"] != "current" || got["sts1"] != "spare" {
		t.Fatalf("after restart: %v", got)
	}
}

// On an I/O error in the current A file the healthy B is copied into the spare A, then B.
func TestIOErrorSwapsFromTheHealthySide(t *testing.T) {
	l := newStsLab(t)
	l.file("obj", "/e/sts/sts1b", "status information")
	start(t, l)
	l.fault("obj", labdir.StsIOError, "/d/sts/sts1a")
	l.run("obj", hiobj, "xodstsswp") // any command: the server has noticed
	if got := states(t, l); got["sts1"] != "blocked" {
		t.Fatalf("states %v", got)
	}
	for _, f := range []string{"/d/sts/sts2a", "/e/sts/sts2b"} {
		if got := l.read("obj", f); got != "status information" {
			t.Errorf("%s = %q, want the healthy B file's content", f, got)
		}
	}
	// The blocked file returns to spare only after xodstsinit, then xodstsopn.
	l.mustFail("obj", hiobj, "xodstsopn", "re-initialise", "-n", "sts1")
	if err := labdir.ClearFault(l.roots["obj"], labdir.StsIOError, "/d/sts/sts1a"); err != nil {
		t.Fatal(err)
	}
	l.must("obj", hiobj, "xodstsinit", "-f", `D:\sts\sts1a`)
	l.must("obj", hiobj, "xodstsopn", "-n", "sts1")
	if got := states(t, l)["sts1"]; got != "spare" {
		t.Errorf("sts1 after repair: %s, want spare", got)
	}
}

func TestNoListingCommand(t *testing.T) {
	if _, ok := Lookup("xodstsls"); ok {
		t.Fatal("the lab offers xodstsls, which the product does not have (seed 003, table 5-1)")
	}
}
