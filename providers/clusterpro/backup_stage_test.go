package clusterpro

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/local"
)

// countingNode counts the calls (sessions on a POSIX node) made to a local node.
type countingNode struct {
	*local.Node
	calls int
}

func (c *countingNode) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	c.calls++
	return c.Node.Batch(ctx, cmds)
}

// The master stages the configuration directory in the same call as its backup: two calls in
// all (the look at what is installed, then backup and stage), where there were three. Staging
// still runs only after the backup succeeded: a backup that fails leaves no staged directory.
func TestMasterStagesInItsBackupCall(t *testing.T) {
	master := addrs.ClusterNode("web", "sv1")
	st := &unitState{master: master, files: map[string][]byte{"clp.conf": []byte("<root/>"), "scripts/g/e/start.sh": []byte("#!/bin/sh\n")}}
	staged := func(n *local.Node) string { return filepath.Join(n.Root, "opt/nec/clusterpro/work/cluster/staged") }

	u, n := backupNode(t)
	c := &countingNode{Node: n}
	id := newRunID(time.Now())
	backupErr, stageErr := u.backupThen(context.Background(), c, master, id, []step{stageStep(u.l, st)}, nil)
	if backupErr != nil || stageErr != nil {
		t.Fatalf("backup: %v, stage: %v", backupErr, stageErr)
	}
	if c.calls != 2 {
		t.Errorf("backup and stage took %d calls, want 2", c.calls)
	}
	if _, err := os.Stat(filepath.Join(staged(n), "scripts/g/e/start.sh")); err != nil {
		t.Errorf("staged directory incomplete: %v", err)
	}
	if got := backupsOn(t, n); len(got) != 1 || got[0] != id {
		t.Errorf("backups: %v, want [%s]", got, id)
	}

	// The same run ID again: the backup fails (Rename refuses an existing name), so the staging
	// in its call does not run; the error is the backup's.
	if err := os.RemoveAll(staged(n)); err != nil {
		t.Fatal(err)
	}
	backupErr, stageErr = u.backupThen(context.Background(), c, master, id, []step{stageStep(u.l, st)}, nil)
	if backupErr == nil || !strings.Contains(backupErr.Error(), "already exists") || stageErr != nil {
		t.Errorf("failed backup: backup error %v, stage error %v; want the backup's only", backupErr, stageErr)
	}
	if _, err := os.Stat(staged(n)); !os.IsNotExist(err) {
		t.Errorf("the configuration directory was staged after a failed backup (%v)", err)
	}
}
