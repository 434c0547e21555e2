package transport

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStatExistenceOnly: a Stat asking only whether paths exist is answered by the shell's
// test, with no stat program (one program start fewer per observation), and decodes to the
// same Exists as a full Stat.
func TestStatExistenceOnly(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, `it's "odd"`)
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(file, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	paths := []NodePath{NodePath(file), NodePath(dir), NodePath(filepath.Join(dir, "link")), NodePath(filepath.Join(dir, "missing"))}
	for _, only := range []bool{true, false} {
		op := Stat{Paths: paths, ExistenceOnly: only}
		c, err := PosixCommand(op)
		if err != nil {
			t.Fatal(err)
		}
		script, _, _ := c.ShellScript()
		if starts := strings.Contains(script, "exec stat"); starts == only {
			t.Errorf("existence only %v: the script runs stat: %v", only, starts)
		}
		out, err := exec.Command("/bin/sh", "-c", c.String()).Output()
		if err != nil {
			t.Fatalf("existence only %v: %v", only, err)
		}
		got := posixDecode(op, Result{Stdout: out})
		if err := got.Err(); err != nil {
			t.Fatalf("existence only %v: %v", only, err)
		}
		var exist []bool
		for _, s := range got.Stats {
			exist = append(exist, s.Exists)
		}
		if diff := cmp.Diff([]bool{true, true, true, false}, exist); diff != "" {
			t.Errorf("existence only %v (-want +got):\n%s", only, diff)
		}
	}
}
