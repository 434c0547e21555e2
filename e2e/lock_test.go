package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const linuxLock = "opt/nec/clusterpro/work/cluster/lock"

// plantLock leaves a lock directory on node as an older version's run would (this version
// reads and respects that form too): info holds the JSON record (none
// when info is nil), and the directory is age old.
func plantLock(t *testing.T, n *nodes, node string, info map[string]any, age time.Duration) {
	t.Helper()
	dir := n.path(node, linuxLock)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if info != nil {
		b, _ := json.Marshal(info)
		if err := os.WriteFile(filepath.Join(dir, "info"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	then := time.Now().Add(-age)
	if err := os.Chtimes(dir, then, then); err != nil {
		t.Fatal(err)
	}
}

// deadRunRecord is the lock record of a run of this machine, this boot and this PID namespace
// whose process pid is gone: the proof of death a plan or apply breaks the lock on.
func deadRunRecord(t *testing.T, pid int) map[string]any {
	t.Helper()
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		t.Skipf("no PID namespace to record: %v", err)
	}
	return map[string]any{
		"id": "deadbeefdeadbeef", "holder": "root@here", "host": readTrim(t, "/proc/sys/kernel/hostname"), "pid": pid,
		"operation": "apply", "created": time.Now().UTC(),
		"machine_id": readTrim(t, "/etc/machine-id"), "boot_id": readTrim(t, "/proc/sys/kernel/random/boot_id"), "pid_start": 1,
		"pid_ns": ns,
	}
}

func readTrim(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s: %v", path, err)
	}
	return strings.TrimSpace(string(b))
}

// A killed run's lock is removed by the next apply even when it has nothing to do; a lock that
// names no holder is shown with its path and age and removed by force-unlock, by path or with
// --all-stale (confirmed, or --yes).
func TestLocksLeftBehindResolve(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", "linux-mirror-exec")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")

	// A run of this machine, in this boot, whose process is gone.
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	plantLock(t, n, "sv1", deadRunRecord(t, gone.Process.Pid), time.Minute)
	r := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply with nothing to do")
	if _, err := os.Stat(n.path("sv1", linuxLock)); !os.IsNotExist(err) {
		t.Errorf("the dead run's lock is still there after apply (%v)\n%s\n%s", err, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout+r.stderr, "Removed the lock of a run that no longer exists") {
		t.Errorf("apply does not say it removed the lock:\n%s\n%s", r.stdout, r.stderr)
	}

	// A lock that records no holder (an older version, or a run killed while taking it).
	if err := os.Remove(n.path("sv2", "opt/nec/clusterpro/etc/clp.conf")); err != nil {
		t.Fatal(err)
	}
	plantLock(t, n, "sv2", nil, 2*time.Hour)
	r = n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 1, "apply under an unreadable lock")
	for _, want := range []string{"records no holder", "/opt/nec/clusterpro/work/cluster/lock", "2h0m", "force-unlock"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("apply's error lacks %q:\n%s", want, r.stderr)
		}
	}
	r = n.run("force-unlock", "--all-stale", "--var-file", n.varFile, ex).must(t, 1, "--all-stale without a terminal")
	if !strings.Contains(r.stdout, "/opt/nec/clusterpro/work/cluster/lock") || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("--all-stale does not list the lock or say how to confirm:\n%s\n%s", r.stdout, r.stderr)
	}
	if _, err := os.Stat(n.path("sv2", linuxLock)); err != nil {
		t.Fatalf("the lock was removed without confirmation: %v", err)
	}
	n.run("force-unlock", "--var-file", n.varFile, "/opt/nec/clusterpro/work/cluster/lock", ex).must(t, 0, "force-unlock by path")
	if _, err := os.Stat(n.path("sv2", linuxLock)); !os.IsNotExist(err) {
		t.Fatalf("force-unlock by path left the lock (%v)", err)
	}

	plantLock(t, n, "sv2", map[string]any{}, 2*time.Hour) // an empty record
	r = n.run("force-unlock", "--all-stale", "--yes", "--var-file", n.varFile, ex).must(t, 0, "--all-stale --yes")
	if !strings.Contains(r.stdout, "Removed 1 stale lock") {
		t.Errorf("--all-stale --yes:\n%s", r.stdout)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply after force-unlock")
}
