package emulate

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab/labdir"
)

const scan = serverScanInstall

const vkhost = `# name     service   port  role     connector
standby1   vkscan    9001  standby  10.0.0.21
WinNT01    vkscan    9000  normal   10.0.0.11

WinNT02    vkscan2   9002  normal   10.0.0.12
`

func TestVkhoststat(t *testing.T) {
	l := newTestLab(t, "mail")
	l.file("mail", scan+"/etc/vkhost.conf", vkhost)
	l.must("mail", scan, "vkattach", "-nWinNT01")
	l.must("mail", scan, "vkattach", "-n", "standby1")
	got := l.must("mail", scan, "vkhoststat")
	want := "" +
		"Host             Service          Port   Status\n" +
		"WinNT01          vkscan           9000   ACT\n" +
		"WinNT02          vkscan2          9002   INACT\n" +
		"standby1         vkscan           9001   ACT\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestVkattachFaults(t *testing.T) {
	l := newTestLab(t, "mail")
	l.file("mail", scan+"/etc/vkhost.conf", vkhost)
	l.must("mail", scan, "vkattach", "-nWinNT01")

	// scan-inact is a disconnection: the server goes INACT once, the event is consumed.
	l.fault("mail", labdir.ScanInact, "WinNT01")
	if got := status(t, l, "WinNT01"); got != scanInact {
		t.Errorf("after scan-inact: %s", got)
	}
	if labdir.HasFault(l.roots["mail"], labdir.ScanInact, "WinNT01") {
		t.Error("the scan-inact event was not consumed")
	}

	// scan-down keeps vkattach failing until it is cleared.
	l.fault("mail", labdir.ScanDown, "WinNT01")
	l.mustFail("mail", scan, "vkattach", "cannot connect to Scan-Connector 10.0.0.11 port 9000", "-nWinNT01")
	if got := status(t, l, "WinNT01"); got != scanInact {
		t.Errorf("after a failed vkattach: %s", got)
	}
	if err := labdir.ClearFault(l.roots["mail"], labdir.ScanDown, "WinNT01"); err != nil {
		t.Fatal(err)
	}
	l.must("mail", scan, "vkattach", "-nWinNT01")
	if got := status(t, l, "WinNT01"); got != scanAct {
		t.Errorf("after reattaching: %s", got)
	}
}

func status(t *testing.T, l *testLab, name string) string {
	t.Helper()
	out := l.must("mail", scan, "vkhoststat")
	for _, line := range splitLines(out)[1:] {
		if f := fields(line); f[0] == name {
			return f[3]
		}
	}
	t.Fatalf("%s not listed:\n%s", name, out)
	return ""
}

func TestServerScanRefusals(t *testing.T) {
	l := newTestLab(t, "mail")
	l.mustFail("mail", scan, "vkhoststat", "cannot read the settings")
	l.file("mail", scan+"/etc/vkhost.conf", vkhost)
	l.mustFail("mail", scan, "vkattach", "nope: no such scan server", "-nnope")
	l.mustFail("mail", scan, "vkattach", "usage", "WinNT01")
	l.fault("mail", labdir.DiskFull, "")
	l.mustFail("mail", scan, "vkattach", "No space left on device", "-nWinNT01")
}

func TestParseVkhostRejects(t *testing.T) {
	for name, text := range map[string]string{
		"four fields": "a svc 1 normal\n",
		"bad port":    "a svc 0 normal h\n",
		"bad role":    "a svc 1 primary h\n",
		"duplicate":   "a svc 1 normal h\na svc 2 normal h\n",
	} {
		if _, err := parseVkhost([]byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
