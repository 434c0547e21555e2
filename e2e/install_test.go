package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestMakeInstallInstallsManPages: make install puts the binary and one man page per command
// in place (issue 18).
func TestMakeInstallInstallsManPages(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and the man pages")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make is not installed")
	}
	dest := t.TempDir()
	cmd := exec.Command("make", "install", "DESTDIR="+dest, "BINDIR=/bin", "MAN1DIR=/man1", "MANDIR="+t.TempDir(), "BIN="+filepath.Join(t.TempDir(), "cluster"))
	cmd.Dir = repoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	for _, f := range []string{"bin/cluster", "man1/cluster.1", "man1/cluster-plan.1", "man1/cluster-apply.1", "man1/cluster-lab-up.1"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("make install did not install %s: %v", f, err)
		}
	}
}
