package sftpops

import (
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pkg/sftp"
)

func TestListDir(t *testing.T) {
	forEachServer(t, func(t *testing.T, s server, sc *sftp.Client, dir string) {
		c := New(sc, Options{})
		root := path.Join(dir, "list")
		put(t, sc, path.Join(root, ".partial", "x"), []byte("x"))
		put(t, sc, path.Join(root, "b.conf"), []byte("12345"))
		if err := sc.MkdirAll(path.Join(root, "empty")); err != nil {
			t.Fatal(err)
		}
		got, err := c.ListDir(root)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range got {
			names = append(names, e.Name)
			if e.Name == "b.conf" && (e.IsDir || e.Size != 5 || e.ModTime.IsZero()) {
				t.Errorf("b.conf = %+v; want a file of 5 bytes with its time", e)
			}
		}
		if diff := cmp.Diff([]string{".partial", "b.conf", "empty"}, names); diff != "" {
			t.Errorf("names (-want +got):\n%s", diff)
		}
		if got, err := c.ListDir(path.Join(root, "empty")); err != nil || got == nil || len(got) != 0 {
			t.Errorf("an empty directory: %#v, %v; want empty, non-nil", got, err)
		}
		if got, err := c.ListDir(path.Join(root, "missing")); err != nil || got != nil {
			t.Errorf("a missing directory: %#v, %v; want nil, no error", got, err)
		}
		if _, err := c.ListDir(path.Join(root, "b.conf")); err == nil {
			t.Error("listing a file: no error")
		}
	})
}

// TestRename runs the rename rules with an atomic posix-rename and with the crash-safe
// replace that moves the old file aside.
func TestRename(t *testing.T) {
	forEachServer(t, func(t *testing.T, s server, sc *sftp.Client, dir string) {
		for _, atomic := range []bool{true, false} {
			c := New(sc, Options{AtomicPosixRename: atomic})
			root := path.Join(dir, "rename", map[bool]string{true: "atomic", false: "aside"}[atomic])
			put(t, sc, path.Join(root, "f"), []byte("old"))
			put(t, sc, path.Join(root, "f.new"), []byte("new"))
			put(t, sc, path.Join(root, "tmp", "x"), []byte("x"))
			put(t, sc, path.Join(root, "busy", "y"), []byte("y"))
			if err := c.Rename(path.Join(root, "f.new"), path.Join(root, "f")); err != nil {
				t.Errorf("atomic=%v: file onto a file: %v", atomic, err)
			}
			if err := c.Rename(path.Join(root, "tmp"), path.Join(root, "staged")); err != nil {
				t.Errorf("atomic=%v: directory to a free name: %v", atomic, err)
			}
			for _, r := range []struct{ from, to, why string }{
				{"staged", "busy", "already exists"},
				{"f", "busy", "is a directory"},
				{"none", "f", "not exist"},
				{"f", "f", "onto itself"},
			} {
				err := c.Rename(path.Join(root, r.from), path.Join(root, r.to))
				if err == nil || !strings.Contains(err.Error(), r.why) {
					t.Errorf("atomic=%v: rename %s to %s: %v; want a refusal: %s", atomic, r.from, r.to, err, r.why)
				}
			}
			if got := string(get(t, sc, path.Join(root, "f"))); got != "new" {
				t.Errorf("atomic=%v: f holds %q, want the renamed file's", atomic, got)
			}
			if diff := cmp.Diff([]string{"busy", "f", "staged"}, sorted(names(t, sc, root))); diff != "" {
				t.Errorf("atomic=%v: after the renames (-want +got), no aside copy left:\n%s", atomic, diff)
			}
		}
	})
}

// TestRenameRecoversAside: a crash between the two renames of a non-atomic replace left the
// old file aside and the target missing; the next Rename onto it puts the old file back
// first, then replaces it.
func TestRenameRecoversAside(t *testing.T) {
	forEachServer(t, func(t *testing.T, s server, sc *sftp.Client, dir string) {
		c := New(sc, Options{})
		root := path.Join(dir, "recover")
		to := path.Join(root, "clp.conf")
		put(t, sc, AsidePath(to), []byte("old"))
		put(t, sc, path.Join(root, "new"), []byte("new"))
		if err := c.Rename(path.Join(root, "new"), to); err != nil {
			t.Fatal(err)
		}
		if got := string(get(t, sc, to)); got != "new" {
			t.Errorf("%s holds %q, want new", to, got)
		}
		if diff := cmp.Diff([]string{"clp.conf"}, sorted(names(t, sc, root))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func sorted(s []string) []string { slices.Sort(s); return s }
