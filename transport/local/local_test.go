package local

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/nodetest"
)

func TestConformance(t *testing.T) {
	nodetest.RunConformance(t, func(t *testing.T) transport.Node {
		n, err := New("local", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return n
	})
}

// ReadTree on a POSIX node reads as missing only what is not there: a directory that exists
// but cannot be entered, and a symbolic link in the tree (even a dangling one), fail clearly
// instead of reading as absent files. A hard link is a regular file under a second name.
func TestReadTreeRefusesWhatItCannotRead(t *testing.T) {
	for name, tc := range map[string]struct {
		setup   func(root string) error
		entries []string
		want    map[string][]byte // nil with wantErr
		wantErr string
	}{
		"missing directory": {setup: func(string) error { return nil }},
		"a file where the directory should be": {
			setup:   func(root string) error { return os.WriteFile(filepath.Join(root, "inst"), nil, 0o644) },
			wantErr: "cannot be entered",
		},
		"a symbolic link to the configuration": {
			setup: func(root string) error {
				os.MkdirAll(filepath.Join(root, "inst/etc"), 0o755)
				os.WriteFile(filepath.Join(root, "real.conf"), []byte("<root/>"), 0o644)
				return os.Symlink(filepath.Join(root, "real.conf"), filepath.Join(root, "inst/etc/clp.conf"))
			},
			entries: []string{"etc/clp.conf"},
			wantErr: "not a regular file",
		},
		"a dangling symbolic link": {
			setup: func(root string) error {
				os.MkdirAll(filepath.Join(root, "inst/etc"), 0o755)
				return os.Symlink("/nonexistent", filepath.Join(root, "inst/etc/clp.conf"))
			},
			entries: []string{"etc/clp.conf"},
			wantErr: "not a regular file",
		},
		"a link inside a directory entry": {
			setup: func(root string) error {
				os.MkdirAll(filepath.Join(root, "inst/scripts"), 0o755)
				return os.Symlink("/etc/hostname", filepath.Join(root, "inst/scripts/start.sh"))
			},
			entries: []string{"scripts"},
			wantErr: "not a regular file",
		},
		"a hard link reads as the file": {
			setup: func(root string) error {
				os.MkdirAll(filepath.Join(root, "inst/scripts"), 0o755)
				os.WriteFile(filepath.Join(root, "inst/scripts/a.sh"), []byte("a"), 0o644)
				return os.Link(filepath.Join(root, "inst/scripts/a.sh"), filepath.Join(root, "inst/scripts/b.sh"))
			},
			entries: []string{"scripts"},
			want:    map[string][]byte{"scripts/a.sh": []byte("a"), "scripts/b.sh": []byte("a")},
		},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := New("local", t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.setup(n.Root); err != nil {
				t.Fatal(err)
			}
			out, err := transport.Do(context.Background(), n, transport.ReadTree{Dir: "/inst", Entries: tc.entries})
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantErr != "" {
				if out[0].OK() || !strings.Contains(string(out[0].Stderr), tc.wantErr) {
					t.Errorf("outcome ok=%v stderr %q, want a failure saying %q", out[0].OK(), out[0].Stderr, tc.wantErr)
				}
				return
			}
			if !out[0].OK() {
				t.Fatalf("failed: %s", out[0].Stderr)
			}
			if diff := cmp.Diff(tc.want, out[0].Tree, cmp.Comparer(bytes.Equal)); diff != "" {
				t.Errorf("tree (-want +got):\n%s", diff)
			}
		})
	}
}
