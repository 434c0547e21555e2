package clusterpro

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// An apply's observation under the lock carries the backup's look (LockedObserveOps after
// ObserveOps), and the plan hands it to apply; a plan observed without the lock has none, so
// its apply reads it itself.
func TestPlanUnderLockKeepsTheBackupLook(t *testing.T) {
	u := mustUnit(t, testCluster())
	edited := func(files map[string][]byte) { files["scripts/app/exec1/start.sh"] = []byte("#!/bin/sh\nexit 1\n") }
	nodes := map[string]observed{"sv1": holding(u, "Running", edited), "sv2": holding(u, "Running", edited)}

	plain := u.Plan(observation(t, nodes))
	if st, ok := plain.State.(*unitState); !ok || len(st.looks) != 0 {
		t.Fatalf("plan without the lock: state %+v; want a change and no looks", plain.State)
	}

	obs := observation(t, nodes)
	sv1, sv2 := addrs.ClusterNode("web", "sv1"), addrs.ClusterNode("web", "sv2")
	if got := len(u.LockedObserveOps(sv1)); got != 2 {
		t.Fatalf("LockedObserveOps: %d ops, want 2 (stat, list)", got)
	}
	entries := []transport.DirEntry{{Name: ".partial-x", Dir: true}, {Name: "20261201T000000Z-00000000", Dir: true}}
	obs.Results[sv1] = append(obs.Results[sv1],
		transport.Outcome{Stats: []transport.FileInfo{{Exists: true}, {Exists: false}}}, transport.Outcome{Entries: entries})
	// A look that failed on sv2 is left to apply, which reads it again (and reports its error).
	obs.Results[sv2] = append(obs.Results[sv2],
		transport.Outcome{Stats: []transport.FileInfo{{Exists: true}, {Exists: true}}}, transport.Outcome{Result: transport.Result{ExitCode: 1, Stderr: []byte("not a directory")}})
	locked := u.Plan(obs)
	st, ok := locked.State.(*unitState)
	if !ok {
		t.Fatalf("plan under the lock: no state")
	}
	want := backupLook{conf: true, scripts: false, entries: entries}
	if got, ok := st.looks[sv1]; !ok || got.conf != want.conf || got.scripts != want.scripts || !slices.Equal(got.entries, want.entries) {
		t.Errorf("sv1's look: %+v (%v); want %+v", got, ok, want)
	}
	if got, ok := st.looks[sv2]; ok {
		t.Errorf("sv2's failed look kept: %+v", got)
	}
	if len(locked.Changes) != len(plain.Changes) || locked.Observed[sv1.String()] != plain.Observed[sv1.String()] {
		t.Errorf("the look changed the plan: %+v vs %+v", locked.Changes, plain.Changes)
	}
}

// With the look read under the lock, the master's backup and staging are one call, and the
// backup does what it does after a look of its own: leftovers removed, old backups pruned to
// the newest keepBackups, the new backup whole.
func TestBackupWithObservedLookIsOneCall(t *testing.T) {
	master := addrs.ClusterNode("web", "sv1")
	st := &unitState{master: master, files: map[string][]byte{"clp.conf": []byte("<root/>"), "scripts/g/e/start.sh": []byte("#!/bin/sh\n")}}
	u, n := backupNode(t)
	dir := filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/backup")
	var old []string
	for i := range keepBackups {
		id := newRunID(time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC))
		old = append(old, id)
		os.MkdirAll(filepath.Join(dir, id, "etc"), 0o755)
	}
	os.MkdirAll(filepath.Join(dir, ".partial-killed"), 0o755)

	look, err := u.readBackupLookNow(context.Background(), n) // as the observation read it
	if err != nil {
		t.Fatal(err)
	}
	c := &countingNode{Node: n}
	id := newRunID(time.Now())
	backupErr, stageErr := u.backupLookedThen(context.Background(), c, master, id, &look, []step{stageStep(u.l, st)}, nil)
	if backupErr != nil || stageErr != nil {
		t.Fatalf("backup: %v, stage: %v", backupErr, stageErr)
	}
	if c.calls != 1 {
		t.Errorf("backup and stage with the look read took %d calls, want 1", c.calls)
	}
	want := append(slices.Clone(old[1:]), id)
	if got := backupsOn(t, n); !slices.Equal(got, want) {
		t.Errorf("backups: %v, want %v (the oldest pruned, the leftover removed)", got, want)
	}
	if _, err := os.Stat(filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/backup", id, "scripts/failover1/exec1/start.sh")); err != nil {
		t.Errorf("the new backup is not whole: %v", err)
	}
	if _, err := os.Stat(filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/staged/scripts/g/e/start.sh")); err != nil {
		t.Errorf("staged directory incomplete: %v", err)
	}
}
