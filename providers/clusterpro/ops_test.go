package clusterpro

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/fake"
)

// fakeInstalled is a fake node holding an installed configuration in l's install directory.
func fakeInstalled(l layout) *fake.Node {
	n := fake.New("sv1")
	n.SetFile(l.conf(), []byte("<root/>"), 0o644)
	n.SetFile(l.install.Join("scripts", "failover1", "exec1", "start.sh"), []byte("#!/bin/sh\n"), 0o755)
	return n
}

// backupIDs lists the names in the fake node's backup directory, hidden ones included.
func backupNames(t *testing.T, n *fake.Node, l layout) []string {
	t.Helper()
	out, err := transport.Do(context.Background(), n, transport.ListDir{Dir: l.backups()})
	if err != nil || out[0].Err() != nil {
		t.Fatalf("listing the backups: %v %v", err, out[0].Err())
	}
	var names []string
	for _, e := range out[0].Entries {
		names = append(names, e.Name)
	}
	return names
}

// Backups and staging are typed ops only: nothing of them needs a POSIX shell.
func TestBackupAndStageNeedNoShell(t *testing.T) {
	for _, l := range []layout{{install: "/opt/nec/clusterpro"}, {install: `C:\Program Files\CLUSTERPRO`, windows: true}} {
		ops := backupOps(l, "20260101T000000Z-aa", true, []transport.DirEntry{{Name: ".partial-x", Dir: true}, {Name: "20250101T000000Z-bb", Dir: true}})
		ops = append(ops, stageOps(l, map[string][]byte{"clp.conf": []byte("x"), "scripts/g/e/start.bat": []byte("y")})...)
		for _, op := range ops {
			if _, isCmd := op.(transport.Command); isCmd {
				t.Errorf("%s: %s is a command, want a typed op", l.install, op.Describe())
			}
		}
	}
}

// Pruning keeps the newest keepBackups whole backups and never the one just made, even when
// the controller's clock makes its ID sort before the others; a killed run's leftover goes.
func TestBackupPruningNeverRemovesTheNewest(t *testing.T) {
	l := layout{install: "/opt/nec/clusterpro"}
	n := fakeInstalled(l)
	base := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var existing []string
	for i := range 12 {
		id := newRunID(base.Add(time.Duration(i) * time.Hour))
		existing = append(existing, id)
		n.SetFile(l.backups().Join(id, "etc", "clp.conf"), []byte("old"), 0o644)
	}
	n.SetFile(l.backups().Join(".partial-19990101T000000Z-dead", "etc", "clp.conf"), []byte("cut"), 0o644)
	ctx := context.Background()
	sv1 := addrs.ClusterNode("web", "sv1")

	skewed := newRunID(base.Add(-time.Hour)) // older than every backup kept
	if err := (&unit{l: l}).backup(ctx, n, sv1, skewed, nil); err != nil {
		t.Fatal(err)
	}
	want := append([]string{skewed}, existing[2:]...)
	slices.Sort(want)
	if diff := cmp.Diff(want, backupNames(t, n, l)); diff != "" {
		t.Errorf("backups after a skewed run (-want +got):\n%s", diff)
	}
	newest := newRunID(base.Add(24 * time.Hour))
	if err := (&unit{l: l}).backup(ctx, n, sv1, newest, nil); err != nil {
		t.Fatal(err)
	}
	got := backupNames(t, n, l)
	if len(got) != keepBackups || !slices.Contains(got, newest) || !slices.Contains(got, existing[11]) {
		t.Errorf("backups = %v; want the %d newest, %s and %s among them", got, keepBackups, newest, existing[11])
	}
	for _, f := range []string{"etc/clp.conf", "scripts/failover1/exec1/start.sh"} {
		if _, _, ok := n.File(l.backups().Join(newest, f)); !ok {
			t.Errorf("backup %s lacks %s", newest, f)
		}
	}
}

// A backup that fails before its rename (the same ID again: the rename is refused) removes no
// backup at all: pruning runs only after the new one is in place.
func TestBackupFailingPrunesNothing(t *testing.T) {
	l := layout{install: "/opt/nec/clusterpro"}
	n := fakeInstalled(l)
	var ids []string
	for i := range keepBackups {
		id := fmt.Sprintf("2026060%dT000000Z-0000000%d", i%9+1, i)
		ids = append(ids, id)
		n.SetFile(l.backups().Join(id, "etc", "clp.conf"), []byte("old"), 0o644)
	}
	slices.Sort(ids)
	err := (&unit{l: l}).backup(context.Background(), n, addrs.ClusterNode("web", "sv1"), ids[0], nil)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("backup under an existing name = %v; want it refused", err)
	}
	got := slices.DeleteFunc(backupNames(t, n, l), func(s string) bool { return strings.HasPrefix(s, partialPrefix) })
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("backups after the refused run (-want +got):\n%s", diff)
	}
	if data, _, _ := n.File(l.backups().Join(ids[0], "etc", "clp.conf")); string(data) != "old" {
		t.Errorf("the existing backup was changed: %q", data)
	}
}

// No clp.conf installed: nothing is backed up, nothing is pruned.
func TestBackupWithoutClpConfDoesNothing(t *testing.T) {
	l := layout{install: "/opt/nec/clusterpro"}
	n := fake.New("sv1")
	n.SetFile(l.install.Join("scripts", "a.sh"), []byte("x"), 0o755)
	if err := (&unit{l: l}).backup(context.Background(), n, addrs.ClusterNode("web", "sv1"), "20260101T000000Z-aa", nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range n.Calls() {
		if c.Op != "stat" && c.Op != "list" {
			t.Errorf("a backup without clp.conf did %s", c)
		}
	}
}

// A stage cut in the middle (the connection drops during the second file) leaves the staged
// directory clpcfctrl would read as it was; the next stage replaces it whole.
func TestStageInterruptedLeavesTheOldDirectory(t *testing.T) {
	for _, l := range []layout{{install: "/opt/nec/clusterpro"}, {install: `C:\Program Files\CLUSTERPRO`, windows: true}} {
		n := fake.New("sv1")
		n.SetFile(l.staged().Join("clp.conf"), []byte("old"), 0o644)
		n.SetFile(l.staged().Join("scripts", "old.sh"), []byte("old script"), 0o755)
		u := &unit{l: l}
		st := &unitState{master: addrs.ClusterNode("web", "sv1"), files: map[string][]byte{
			"clp.conf": []byte("new conf"), "scripts/g/e/start.sh": []byte("new script")}}
		n.CutNextWrite(1)
		if err := u.stage(context.Background(), n, st, nil); err == nil {
			t.Fatalf("%s: the cut stage succeeded", l.install)
		}
		if data, _, _ := n.File(l.staged().Join("clp.conf")); string(data) != "old" {
			t.Errorf("%s: after the cut stage the staged clp.conf is %q; want the old one", l.install, data)
		}
		if err := u.stage(context.Background(), n, st, nil); err != nil {
			t.Fatal(err)
		}
		var staged []string
		for _, p := range n.Paths() {
			if strings.Contains(p, "/work/cluster/") {
				staged = append(staged, strings.TrimPrefix(p, transport.NodePath(l.work()).Posix()+"/"))
			}
		}
		if diff := cmp.Diff([]string{"staged/clp.conf", "staged/scripts/g/e/start.sh"}, staged); diff != "" {
			t.Errorf("%s: after the stage (-want +got):\n%s", l.install, diff)
		}
	}
}

// Rollback reads the newest whole backup (a ".partial-" leftover and a directory without
// clp.conf are no backups), or the one named; a name that is a path is refused unread.
// `cluster backups` lists the same IDs.
func TestRollbackReadsTheNewestWholeBackup(t *testing.T) {
	l := layout{install: `C:\Program Files\CLUSTERPRO`, windows: true}
	n := fake.New("sv1")
	for id, conf := range map[string]string{"20260101T000000Z-aa": "old", "20260301T000000Z-bb": "newest", "20260201T000000Z-cc": "middle"} {
		n.SetFile(l.backups().Join(id, "etc", "clp.conf"), []byte(conf), 0o644)
		n.SetFile(l.backups().Join(id, "scripts", "g", "start.bat"), []byte("rem "+conf), 0o644)
	}
	n.SetFile(l.backups().Join(".partial-20260401T000000Z-dd", "etc", "clp.conf"), []byte("cut"), 0o644)
	n.SetFile(l.backups().Join("20260501T000000Z-ee", "scripts", "x.bat"), []byte("no conf"), 0o644)
	for _, c := range []struct{ id, wantID, wantConf string }{
		{"latest", "20260301T000000Z-bb", "newest"},
		{"20260101T000000Z-aa", "20260101T000000Z-aa", "old"},
		{`..\..\etc`, "", ""},
		{"20991231T000000Z-ff", "", ""},
	} {
		var o nodeProbes
		o.addBackupProbes(l, c.id)
		out, err := transport.Do(context.Background(), n, o.set.Ops()...)
		if err != nil {
			t.Fatal(err)
		}
		id, dir, err := o.chosenBackup(out, c.id)
		switch {
		case c.wantID == "" && err == nil:
			t.Errorf("rollback to %q read backup %s; want a refusal", c.id, id)
		case c.wantID != "" && (err != nil || id != c.wantID || string(dir.Conf) != c.wantConf || string(dir.Files["scripts/g/start.bat"]) != "rem "+c.wantConf):
			t.Errorf("rollback to %q = %s %q %v, %v; want %s holding %q", c.id, id, dir.Conf, dir.Files, err, c.wantID, c.wantConf)
		}
	}
	out, err := transport.Do(context.Background(), n, ListBackups(l.install))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := BackupIDs(out[0])
	want := []string{"20260501T000000Z-ee", "20260301T000000Z-bb", "20260201T000000Z-cc", "20260101T000000Z-aa"}
	if diff := cmp.Diff(want, ids); diff != "" || err != nil {
		t.Errorf("backups listed (-want +got):\n%s %v", diff, err)
	}
}
