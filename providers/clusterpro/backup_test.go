package clusterpro

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/local"
)

// backupNode is a local node holding an installed configuration under /opt/nec/clusterpro, and
// a unit laid out there.
func backupNode(t *testing.T) (*unit, *local.Node) {
	t.Helper()
	n, err := local.New("sv1", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range map[string]string{"etc/clp.conf": "<root/>", "scripts/failover1/exec1/start.sh": "#!/bin/sh\n"} {
		full := filepath.Join(n.Root, "opt/nec/clusterpro", p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &unit{l: layout{install: "/opt/nec/clusterpro"}}, n
}

func backupsOn(t *testing.T, n *local.Node) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/backup"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestRunIDsAreUniqueAndSortByTime(t *testing.T) {
	now := time.Date(2026, 12, 1, 3, 4, 5, 0, time.UTC)
	a, b := newRunID(now), newRunID(now)
	if a == b {
		t.Fatalf("two run IDs of the same second are equal: %s", a)
	}
	if !regexp.MustCompile(`^20261201T030405Z-[0-9a-f]{8}$`).MatchString(a) {
		t.Errorf("run ID %q; want the UTC time and a random suffix", a)
	}
	if later := newRunID(now.Add(time.Second)); later < a || later < b {
		t.Errorf("%s sorts before %s/%s", later, a, b)
	}
}

// Two applies within one second get a backup each, whole; retention keeps the newest ten.
func TestBackupsAreUniquePerRunAndWhole(t *testing.T) {
	u, n := backupNode(t)
	ctx := context.Background()
	now := time.Now()
	first, second := newRunID(now), newRunID(now)
	for _, id := range []string{first, second} {
		if err := u.backup(ctx, n, addrs.ClusterNode("web", "sv1"), id, nil); err != nil {
			t.Fatal(err)
		}
	}
	got := backupsOn(t, n)
	if len(got) != 2 {
		t.Fatalf("backups after two runs in one second: %v; want two", got)
	}
	for _, id := range []string{first, second} {
		for _, f := range []string{"etc/clp.conf", "scripts/failover1/exec1/start.sh"} {
			if _, err := os.Stat(filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/backup", id, f)); err != nil {
				t.Errorf("backup %s lacks %s: %v", id, f, err)
			}
		}
	}
	// The same ID again is refused rather than mixed into the existing backup.
	if err := u.backup(ctx, n, addrs.ClusterNode("web", "sv1"), first, nil); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup under an existing name: %v", err)
	}

	// A killed run's partial copy is removed and does not count; ten whole backups are kept.
	os.MkdirAll(filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/backup/.partial-19990101T000000Z-deadbeef/etc"), 0o755)
	var ids []string
	for i := range 12 {
		id := newRunID(now.Add(time.Duration(i+1) * time.Second))
		ids = append(ids, id)
		if err := u.backup(ctx, n, addrs.ClusterNode("web", "sv1"), id, nil); err != nil {
			t.Fatal(err)
		}
	}
	got = backupsOn(t, n)
	if want := ids[2:]; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("backups kept = %v; want the newest ten %v", got, want)
	}
}

// syncLog puts a sync on PATH that records its arguments, then syncs.
func syncLog(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	log := filepath.Join(t.TempDir(), "sync.log")
	script := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >>" + log + "; done\nexec /bin/sync \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "sync"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
	return log
}

func synced(t *testing.T, log string) map[string]bool {
	t.Helper()
	b, _ := os.ReadFile(log)
	out := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		out[filepath.Clean(l)] = true
	}
	return out
}

func TestBackupAndStageAreSynced(t *testing.T) {
	log := syncLog(t)
	u, n := backupNode(t)
	ctx := context.Background()
	id := newRunID(time.Now())
	if err := u.backup(ctx, n, addrs.ClusterNode("web", "sv1"), id, nil); err != nil {
		t.Fatal(err)
	}
	backups := filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/backup")
	s := synced(t, log)
	for _, p := range []string{
		filepath.Join(backups, ".partial-"+id, "etc/clp.conf"),
		filepath.Join(backups, ".partial-"+id, "scripts/failover1/exec1/start.sh"),
		filepath.Join(backups, ".partial-"+id, "scripts/failover1"),
		filepath.Join(backups, ".partial-"+id),
		backups,
	} {
		if !s[p] {
			t.Errorf("backup: %s was not synced (synced: %v)", p, s)
		}
	}

	os.Remove(log)
	st := &unitState{master: addrs.ClusterNode("web", "sv1"), files: map[string][]byte{"clp.conf": []byte("<root/>"), "scripts/g/e/start.sh": []byte("#!/bin/sh\n")}}
	if err := u.stage(ctx, n, st, nil); err != nil {
		t.Fatal(err)
	}
	staged := filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/staged")
	s = synced(t, log)
	// Every file and directory of staged.tmp is synced before the op that wrote it succeeds
	// (WriteTree), the work directory again after staged.tmp is renamed to staged.
	for _, p := range []string{staged + ".tmp", staged + ".tmp/clp.conf", staged + ".tmp/scripts", staged + ".tmp/scripts/g/e", staged + ".tmp/scripts/g/e/start.sh", filepath.Dir(staged)} {
		if !s[p] {
			t.Errorf("stage: %s was not synced (synced: %v)", p, s)
		}
	}
	if _, err := os.Stat(filepath.Join(staged, "scripts/g/e/start.sh")); err != nil {
		t.Errorf("staged directory incomplete: %v", err)
	}
	u.unstage(ctx, n, st.master, nil, nil)
	if _, err := os.Stat(staged); !os.IsNotExist(err) {
		t.Errorf("staged directory left after unstage (%v)", err)
	}
}

// Vendor commands may run for minutes, beyond the default command timeout.
func TestVendorStepsOutliveTheCommandTimeout(t *testing.T) {
	u := &unit{l: layout{install: "/opt/nec/clusterpro"}}
	sv1, sv2 := addrs.ClusterNode("web", "sv1"), addrs.ClusterNode("web", "sv2")
	partly := runStates{suspended: []addrs.Address{sv2}, running: []addrs.Address{sv1}}
	for _, seq := range []sequence{seqCreate, seqSuspended, seqRestart, seqPushOnly, seqResume} {
		for _, s := range vendorSteps(u.steps(seq, sv1, partly)) {
			for _, op := range s.ops {
				if c, ok := op.(transport.Command); ok && c.Timeout < 30*time.Minute {
					t.Errorf("%s: %s may run %v; want at least 30m", seq, s.name, c.Timeout)
				}
			}
		}
	}
}
