package emulate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab/labdir"
)

const scan = serverScanInstall

// setUp writes the lab-only server list of node mail.
func setUp(t *testing.T, l *testLab, names ...string) {
	t.Helper()
	if err := WriteScanServers(l.roots["mail"], names...); err != nil {
		t.Fatal(err)
	}
}

// The emulated vkhoststat prints the two columns the seed names, Host and Status, one row per
// server set up, in their order: a server set up is connected until it is disconnected.
func TestVkhoststat(t *testing.T) {
	l := newTestLab(t, "mail")
	setUp(t, l, "WinNT01", "WinNT02", "standby1")
	l.fault("mail", labdir.ScanInact, "WinNT02")
	got := l.must("mail", scan, "vkhoststat")
	want := "" +
		"Host             Status\n" +
		"WinNT01          ACT\n" +
		"WinNT02          INACT\n" +
		"standby1         ACT\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The lab's output keeps the shape of the constructed corpus sample it is modelled on: the same
// header line, rows of a name and a status word under it.
func TestVkhoststatMatchesTheCorpusShape(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join("..", "..", "testdata", "vendor-output", "serverscan", "vkhoststat-constructed-one-inact.txt"))
	if err != nil {
		t.Fatal(err)
	}
	l := newTestLab(t, "mail")
	setUp(t, l, "WinNT01", "WinNT02")
	l.fault("mail", labdir.ScanInact, "WinNT02")
	if diff := cmp.Diff(string(sample), l.must("mail", scan, "vkhoststat")); diff != "" {
		t.Errorf("the lab's vkhoststat differs from the corpus sample (-corpus +lab):\n%s", diff)
	}
}

func TestVkattachFaults(t *testing.T) {
	l := newTestLab(t, "mail")
	setUp(t, l, "WinNT01", "WinNT02")

	// scan-inact is a disconnection: the server goes INACT once, the event is consumed.
	l.fault("mail", labdir.ScanInact, "WinNT01")
	if got := status(t, l, "WinNT01"); got != scanInact {
		t.Errorf("after scan-inact: %s", got)
	}
	if labdir.HasFault(l.roots["mail"], labdir.ScanInact, "WinNT01") {
		t.Error("the scan-inact event was not consumed")
	}
	if got := status(t, l, "WinNT01"); got != scanInact {
		t.Errorf("a disconnection does not last: %s", got)
	}

	// scan-down keeps vkattach failing until it is cleared.
	l.fault("mail", labdir.ScanDown, "WinNT01")
	l.mustFail("mail", scan, "vkattach", "WinNT01: cannot connect to the Scan-Connector", "-nWinNT01")
	if got := status(t, l, "WinNT01"); got != scanInact {
		t.Errorf("after a failed vkattach: %s", got)
	}
	if err := labdir.ClearFault(l.roots["mail"], labdir.ScanDown, "WinNT01"); err != nil {
		t.Fatal(err)
	}
	if out := l.must("mail", scan, "vkattach", "-nWinNT01"); out != "" {
		t.Errorf("vkattach printed %q; the seed shows no output", out)
	}
	if got := status(t, l, "WinNT01"); got != scanAct {
		t.Errorf("after reattaching: %s", got)
	}
}

func status(t *testing.T, l *testLab, name string) string {
	t.Helper()
	out := l.must("mail", scan, "vkhoststat")
	for _, line := range splitLines(out)[1:] {
		if f := fields(line); f[0] == name {
			return f[1]
		}
	}
	t.Fatalf("%s not listed:\n%s", name, out)
	return ""
}

// The emulation offers only what the seed shows: no server list without the lab-only file,
// only the -nNAME form of vkattach, only servers that are set up.
func TestServerScanRefusals(t *testing.T) {
	l := newTestLab(t, "mail")
	l.mustFail("mail", scan, "vkhoststat", "lab: no scan servers are set up")
	setUp(t, l, "WinNT01")
	l.mustFail("mail", scan, "vkattach", "nope: no such scan server", "-nnope")
	l.mustFail("mail", scan, "vkattach", "usage", "WinNT01")
	l.mustFail("mail", scan, "vkattach", "usage", "-n", "WinNT01")
	l.mustFail("mail", scan, "vkhoststat", "usage", "-a")
	l.fault("mail", labdir.ScanInact, "WinNT01")
	l.fault("mail", labdir.DiskFull, "")
	l.mustFail("mail", scan, "vkattach", "No space left on device", "-nWinNT01")
}

// The provider's view of the product lies outside the install directory: the lab keeps its
// own files under .lab, never an invented settings file in Server-Scan's tree.
func TestServerScanKeepsLabFilesOutOfTheProduct(t *testing.T) {
	l := newTestLab(t, "mail")
	if err := os.MkdirAll(hostIn(l.roots["mail"], scan), 0o755); err != nil {
		t.Fatal(err)
	}
	setUp(t, l, "WinNT01")
	l.fault("mail", labdir.ScanInact, "WinNT01")
	l.must("mail", scan, "vkhoststat")
	l.must("mail", scan, "vkattach", "-nWinNT01")
	err := filepath.WalkDir(hostIn(l.roots["mail"], scan), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, "/bin/") {
			t.Errorf("the emulation wrote %s in Server-Scan's directory", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestReadScanServersRejects(t *testing.T) {
	for name, text := range map[string]string{
		"blank in a name": "Win NT01\n",
		"duplicate":       "a\nb\na\n",
	} {
		t.Run(name, func(t *testing.T) {
			l := newTestLab(t, "mail")
			l.file("mail", ScanServersLabFile, text)
			l.mustFail("mail", scan, "vkhoststat", "is not one new server name")
		})
	}
}
