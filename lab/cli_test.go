package lab

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// TestCLIUpStatusFaultDown drives `cluster lab` as a user would: up starts a detached server,
// status sees it, a fault shows up, down stops it and keeps the state.
func TestCLIUpStatusFaultDown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a background process")
	}
	dir := filepath.Join(t.TempDir(), "lab")
	cli := func(args ...string) (string, error) {
		t.Helper()
		out, err := exec.Command(clusterBinary, append([]string{"lab", "--dir", dir}, args...)...).CombinedOutput()
		return string(out), err
	}
	out, err := cli("up", "--names", "a1,a2")
	if err != nil {
		t.Fatalf("up: %v\n%s", err, out)
	}
	t.Cleanup(func() { cli("down") })
	if !regexp.MustCompile(`(?m)^a2\s+127\.0\.0\.\d+\s+\d+\s+SHA256:`).MatchString(out) {
		t.Errorf("up table:\n%s", out)
	}
	if out, err := cli("up"); err == nil || !strings.Contains(out, "already running") {
		t.Errorf("second up: %v\n%s", err, out)
	}

	if out, err := cli("fault", "a2", "node-down"); err != nil {
		t.Fatalf("fault: %v\n%s", err, out)
	}
	if out, err := cli("fault", "a1", "bogus"); err == nil {
		t.Errorf("unknown fault accepted:\n%s", out)
	}
	out, err = cli("status")
	if err != nil {
		t.Fatalf("status: %v\n%s", err, out)
	}
	for _, want := range []string{`Lab server running \(pid \d+\)`, `(?m)^a1\s+\S+\s+\d+\s+posix\s+up\s+-$`, `(?m)^a2\s+\S+\s+\d+\s+posix\s+down\s+node-down$`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("status lacks %s:\n%s", want, out)
		}
	}

	if out, err := cli("down"); err != nil || !strings.Contains(out, "Lab stopped.") {
		t.Fatalf("down: %v\n%s", err, out)
	}
	out, _ = cli("status")
	if !strings.Contains(out, "Lab server not running.") || !regexp.MustCompile(`(?m)^a1\s+\S+\s+\d+\s+posix\s+down`).MatchString(out) {
		t.Errorf("status after down:\n%s", out)
	}
	reg, err := labdir.ReadRegistry(dir)
	if err != nil || !labdir.HasFault(reg.Nodes[1].Root, labdir.NodeDown, "") {
		t.Errorf("state was not kept: %v", err)
	}
	if out, _ := cli("down"); !strings.Contains(out, "not running") {
		t.Errorf("second down: %s", out)
	}
}
