package servergroup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/local"
)

// The read-only fingerprint script hashes every regular file, whatever its name holds, the
// way Go does; an absent directory is no tree; and it writes nothing in the directory.
func TestFingerprintScriptHashesEveryFileReadOnly(t *testing.T) {
	root := t.TempDir()
	node, err := local.New("node.web1", root)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"wsmgr.conf": "port=80\n", "sites/a b.xml": "<a/>", "odd\nname": "x", "empty": ""}
	want := tree{}
	for name, content := range files {
		p := filepath.Join(root, "opt/wsmgr/config", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(content))
		want[name] = fileSum{Hash: hex.EncodeToString(sum[:]), Size: int64(len(content))}
	}
	before := listing(t, filepath.Join(root, "opt/wsmgr"))
	l := layout{group: "web", settings: "/opt/wsmgr/config", system: "/var/tmp"}
	ctx := context.Background()
	out, err := transport.Do(ctx, node, l.readSettings(), layout{settings: "/missing"}.readSettings())
	if err != nil {
		t.Fatal(err)
	}
	got, err := treeOf(out[0])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if after := listing(t, filepath.Join(root, "opt/wsmgr")); !cmp.Equal(before, after) {
		t.Errorf("the fingerprint changed the install directory:\n%s", cmp.Diff(before, after))
	}
	if tr, err := treeOf(out[1]); err != nil || tr != nil {
		t.Errorf("absent directory: %v, %v", tr, err)
	}
}

// listing is every path under dir with its size and modification time.
func listing(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%s %d %s", p, fi.Size(), fi.ModTime()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFreeOf(t *testing.T) {
	for name, c := range map[string]struct {
		o       transport.Outcome
		want    free
		wantErr string
	}{
		"both paths, in KiB rounded down": {o: transport.Outcome{Free: []int64{90*1024 + 1023, 0}}, want: free{system: 90}},
		"the op failed":                   {o: transport.Outcome{Result: transport.Result{ExitCode: 1, Stderr: []byte("no statvfs\n")}, Op: layout{}.freeSpace()}, wantErr: "no statvfs"},
		"one count short":                 {o: transport.Outcome{Free: []int64{1}}, wantErr: "measured 1 paths, want 2"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := freeOf(c.o)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("freeOf = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}
