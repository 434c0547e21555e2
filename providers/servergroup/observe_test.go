package servergroup

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/local"
)

// The observe script and the snapshot must fingerprint a directory identically, whatever the
// file names hold: verify compares one with the other.
func TestFingerprintScriptMatchesSnapshot(t *testing.T) {
	root := t.TempDir()
	node, err := local.New("node.web1", root)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"wsmgr.conf": "port=80\n", "sites/a b.xml": "<a/>", "odd\nname": "x", "empty": ""}
	for name, content := range files {
		p := filepath.Join(root, "opt/wsmgr/config", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	u := &unit{l: layout{group: "web", settings: "/opt/wsmgr/config", system: "/var/tmp"}}
	ctx := context.Background()
	res, err := node.Run(ctx, transport.Shell(fingerprintScript, u.l.settings))
	if err != nil || !res.OK() {
		t.Fatalf("fingerprint: %v %s", err, res.Stderr)
	}
	observed, err := parseTree(res.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := node.Run(ctx, transport.Shell(snapshotScript, u.l.settings, u.l.archive()))
	if err != nil || !snap.OK() {
		t.Fatalf("snapshot: %v %s", err, snap.Stderr)
	}
	archived, err := archiveTree(snap.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(observed, archived); diff != "" {
		t.Errorf("observed vs archived (-+):\n%s", diff)
	}
	if len(observed) != len(files) || observed.size() != 13 {
		t.Errorf("observed %d files, %d bytes", len(observed), observed.size())
	}
	// An absent directory is no tree, not an empty one.
	res, _ = node.Run(ctx, transport.Shell(fingerprintScript, transport.NodePath("/missing")))
	if tr, err := parseTree(res.Stdout); err != nil || tr != nil {
		t.Errorf("absent directory: %v, %v", tr, err)
	}
}

func TestParseDf(t *testing.T) {
	out := "Filesystem     1024-blocks    Used Available Capacity Mounted on\n/dev/sda1 100 10 90 10% /\nlabdisk 1048576 1048576 0 100% /\n"
	got, err := parseDf(transport.Result{Stdout: []byte(out)})
	if err != nil || got != (free{system: 90, settings: 0}) {
		t.Errorf("parseDf = %+v, %v", got, err)
	}
	if _, err := parseDf(transport.Result{ExitCode: 1, Stderr: []byte("df: no such file")}); err == nil {
		t.Error("a failed df parses")
	}
}
