package clusterpro

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/local"
)

// TestReadDirectoryStopsAtTheSizeLimit: a node's 50 MB clp.conf is refused on the node, so the
// bytes brought back are an error line, not the file (issue 18: it was read whole, 247 MB RSS,
// before Parse refused it). The same holds for reading a backup for rollback.
func TestReadDirectoryStopsAtTheSizeLimit(t *testing.T) {
	root := t.TempDir()
	install := filepath.Join(root, "opt", "nec", "clusterpro")
	backup := filepath.Join(install, "work", "cluster", "backup", "20260101T000000Z")
	for _, dir := range []string{install, backup} {
		if err := os.MkdirAll(filepath.Join(dir, "etc"), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(filepath.Join(dir, "etc", "clp.conf"))
		if err != nil {
			t.Fatal(err)
		}
		// Sparse: 50 MB on the node costs the test no disk.
		if err := f.Truncate(50 << 20); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	node, err := local.New("sv1", root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		op   transport.Op
	}{
		{"observe", ReadDirectory(transport.NodePath("/opt/nec/clusterpro"))},
		{"rollback latest", backupProbeOp(t, "latest")},
		{"rollback --to", backupProbeOp(t, "20260101T000000Z")},
	} {
		res, err := transport.Do(context.Background(), node, c.op)
		if err != nil {
			t.Fatal(err)
		}
		r := res[0]
		if read := len(r.Stdout) + len(r.Stderr); read > 4096 {
			t.Errorf("%s: %d bytes came back from the node for a clp.conf beyond the limit, want an error line", c.name, read)
		}
		if r.OK() || !strings.Contains(string(r.Stderr), "more than the maximum size of 16777216 bytes") {
			t.Errorf("%s: exit %d, stderr %q; want a refusal naming the limit", c.name, r.ExitCode, r.Stderr)
		}
	}
}

// backupProbeOp is the op rollback's observation reads the backup id with.
func backupProbeOp(t *testing.T, id string) transport.Op {
	t.Helper()
	var o nodeProbes
	o.addBackupProbes(layout{install: "/opt/nec/clusterpro"}, id)
	if ops := o.set.Ops(); len(ops) == 1 {
		return ops[0]
	}
	t.Fatalf("rollback to %s reads %d ops, want 1", id, len(o.set.Ops()))
	return nil
}
