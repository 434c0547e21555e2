package sftpops

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/clusterctl/cluster/transport"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pkg/sftp"
)

// crlf is a Windows text file with Japanese Shift_JIS bytes, a NUL and a lone CR: it must
// come back byte for byte.
var crlf = []byte("rem start\r\nARMBCAST /MSG \"\x8d\xc5\x8d\x82\" /A\r\n\x00\rend\r\n")

func put(t *testing.T, sc *sftp.Client, p string, data []byte) {
	t.Helper()
	if err := sc.MkdirAll(path.Dir(p)); err != nil {
		t.Fatal(err)
	}
	f, err := sc.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, sc *sftp.Client, p string) []byte {
	t.Helper()
	f, err := sc.Open(p)
	if err != nil {
		t.Fatalf("open %s: %v", p, err)
	}
	defer f.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func names(t *testing.T, sc *sftp.Client, dir string) []string {
	t.Helper()
	fis, err := sc.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, fi := range fis {
		out = append(out, fi.Name())
	}
	return out
}

func TestOperations(t *testing.T) {
	forEachServer(t, func(t *testing.T, s server, sc *sftp.Client, dir string) {
		t.Run("ReadFiles", func(t *testing.T) {
			c := New(sc, Options{})
			p := path.Join(dir, "read", "start.bat")
			put(t, sc, p, crlf)
			empty := path.Join(dir, "read", "empty")
			put(t, sc, empty, nil)
			missing := path.Join(dir, "read", "missing")
			got, err := c.ReadFiles([]string{p, missing, empty})
			if err != nil {
				t.Fatal(err)
			}
			want := []File{{Path: p, Exists: true, Data: crlf}, {Path: missing}, {Path: empty, Exists: true, Data: []byte{}}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if _, err := c.ReadFiles([]string{p, path.Join(dir, "read")}); err == nil {
				t.Error("reading a directory as a file: no error")
			}
			// Many files at once come back in the order asked.
			var many []string
			var wantMany []File
			for i := range 40 {
				q := path.Join(dir, "read", "many", fmt.Sprintf("f%02d", i))
				if i%3 != 0 {
					put(t, sc, q, []byte(q+"\r\n"))
					wantMany = append(wantMany, File{Path: q, Exists: true, Data: []byte(q + "\r\n")})
				} else {
					wantMany = append(wantMany, File{Path: q})
				}
				many = append(many, q)
			}
			gotMany, err := c.ReadFiles(many)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantMany, gotMany); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})

		t.Run("Stat", func(t *testing.T) {
			c := New(sc, Options{})
			p := path.Join(dir, "stat", "f")
			put(t, sc, p, []byte("12345"))
			for _, tt := range []struct {
				p    string
				want Info
			}{
				{p, Info{Exists: true, Size: 5}},
				{path.Dir(p), Info{Exists: true, IsDir: true}},
				{p + ".missing", Info{}},
			} {
				got, err := c.Stat(tt.p)
				if err != nil {
					t.Fatal(err)
				}
				if tt.want.Exists && time.Since(got.ModTime).Abs() > time.Minute {
					t.Errorf("Stat(%s) modified %v; want about now", tt.p, got.ModTime)
				}
				got.Mode, got.ModTime = 0, time.Time{}
				if tt.want.IsDir {
					got.Size = 0
				}
				if got != tt.want {
					t.Errorf("Stat(%s) = %+v, want %+v", tt.p, got, tt.want)
				}
			}
		})

		t.Run("ReadTree", func(t *testing.T) {
			c := New(sc, Options{})
			root := path.Join(dir, "tree")
			put(t, sc, path.Join(root, "a.conf"), crlf)
			put(t, sc, path.Join(root, "scripts", "g", "start.bat"), []byte("x\r\n"))
			if err := sc.MkdirAll(path.Join(root, "emptydir")); err != nil {
				t.Fatal(err)
			}
			total := int64(len(crlf) + 3)
			got, err := c.ReadTree(root, total)
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range got.Files {
				if time.Since(f.ModTime).Abs() > time.Minute {
					t.Errorf("%s modified %v; want about now", f.Path, f.ModTime)
				}
				got.Files[i].Mode, got.Files[i].ModTime = 0, time.Time{}
			}
			want := Tree{Root: root, Exists: true,
				Dirs:  []string{"emptydir", "scripts", "scripts/g"},
				Files: []File{{Path: "a.conf", Exists: true, Data: crlf}, {Path: "scripts/g/start.bat", Exists: true, Data: []byte("x\r\n")}}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			_, err = c.ReadTree(root, total-1)
			if !errors.Is(err, ErrTreeTooLarge) || !strings.Contains(err.Error(), fmt.Sprint(total-1)) {
				t.Errorf("limit %d: error %v, want ErrTreeTooLarge naming the limit", total-1, err)
			}
			if _, err := c.ReadTree(root, -1); err == nil {
				t.Error("negative limit: no error")
			}
			missing, err := c.ReadTree(path.Join(dir, "nope"), 10)
			if err != nil || missing.Exists {
				t.Errorf("missing root: %+v, %v", missing, err)
			}
		})

		t.Run("WriteFileAtomic", func(t *testing.T) {
			for _, atomicRename := range []bool{true, false} {
				t.Run(fmt.Sprintf("atomic=%v", atomicRename), func(t *testing.T) {
					var warnings []string
					c := New(sc, Options{AtomicPosixRename: atomicRename && s.atomicRename, Warn: func(m string) { warnings = append(warnings, m) }})
					d := path.Join(dir, fmt.Sprintf("write-%v", atomicRename))
					p := path.Join(d, "clp.conf")
					if err := sc.MkdirAll(d); err != nil {
						t.Fatal(err)
					}
					if err := c.WriteFileAtomic(p, []byte("old\r\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					if err := c.WriteFileAtomic(p, crlf, 0o600); err != nil {
						t.Fatal(err)
					}
					if got := get(t, sc, p); !bytes.Equal(got, crlf) {
						t.Errorf("content %q, want %q", got, crlf)
					}
					if diff := cmp.Diff([]string{"clp.conf"}, names(t, sc, d)); diff != "" {
						t.Errorf("files left in the directory (-want +got):\n%s", diff)
					}
					wantWarnings := 0
					if !atomicRename {
						wantWarnings = 1
					}
					if len(warnings) != wantWarnings {
						t.Errorf("warnings %q, want %d", warnings, wantWarnings)
					}
				})
			}
		})

		t.Run("AtomicReplaceNeverShowsPartialOrMissing", func(t *testing.T) {
			c := New(sc, Options{AtomicPosixRename: s.atomicRename})
			p := path.Join(dir, "swap", "status")
			contents := [][]byte{bytes.Repeat([]byte("A\r\n"), 20000), bytes.Repeat([]byte("B\r\n"), 30000)}
			put(t, sc, p, contents[0])
			var stop atomic.Bool
			var reads atomic.Int32
			var seen sync.WaitGroup
			errs := make(chan error, 1)
			seen.Add(1)
			go func() {
				defer seen.Done()
				for !stop.Load() {
					f, err := c.ReadFiles([]string{p})
					if err != nil {
						errs <- err
						return
					}
					if !f[0].Exists || !(bytes.Equal(f[0].Data, contents[0]) || bytes.Equal(f[0].Data, contents[1])) {
						errs <- fmt.Errorf("reader saw exists=%v, %d bytes", f[0].Exists, len(f[0].Data))
						return
					}
					reads.Add(1)
				}
			}()
			for i := range 20 {
				if err := c.WriteFileAtomic(p, contents[(i+1)%2], 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for reads.Load() < 3 && len(errs) == 0 {
				if err := c.WriteFileAtomic(p, contents[1], 0o644); err != nil {
					t.Fatal(err)
				}
			}
			stop.Store(true)
			seen.Wait()
			select {
			case err := <-errs:
				t.Fatal(err)
			default:
			}
		})

		t.Run("RecoverAfterCrash", func(t *testing.T) {
			c := New(sc, Options{})
			d := path.Join(dir, "crash")
			p := path.Join(d, "f")
			// Crash after the old file went aside, before the new one took its name.
			put(t, sc, AsidePath(p), []byte("old"))
			restored, err := c.Recover(p)
			if err != nil || !restored {
				t.Fatalf("Recover = %v, %v; want restored", restored, err)
			}
			if got := get(t, sc, p); string(got) != "old" {
				t.Errorf("restored %q", got)
			}
			// Crash after the new file took its name, before the aside copy was removed.
			put(t, sc, AsidePath(p), []byte("old"))
			if err := c.WriteFileAtomic(p, []byte("new"), 0); err != nil {
				t.Fatal(err)
			}
			if got := get(t, sc, p); string(got) != "new" {
				t.Errorf("content %q, want new", got)
			}
			if diff := cmp.Diff([]string{"f"}, names(t, sc, d)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})

		t.Run("NeverRenameOntoItself", func(t *testing.T) {
			c := New(sc, Options{})
			p := path.Join(dir, "self")
			put(t, sc, p, []byte("keep"))
			for _, posix := range []bool{true, false} {
				if err := c.rename(p, p, posix); err == nil {
					t.Errorf("rename onto itself (posix=%v): no error", posix)
				}
			}
			if got := get(t, sc, p); string(got) != "keep" {
				t.Errorf("content %q", got)
			}
		})

		t.Run("CreateExclusive", func(t *testing.T) {
			c := New(sc, Options{})
			lock := path.Join(dir, "locks", "cluster.lock")
			if err := c.MakeDirAll(path.Dir(lock)); err != nil {
				t.Fatal(err)
			}
			const n = 16
			var wins atomic.Int32
			var wg sync.WaitGroup
			records := make([][]byte, n)
			won := make([]bool, n)
			for i := range n {
				records[i] = []byte(fmt.Sprintf("holder=%02d\r\n%s", i, strings.Repeat("x", 5000)))
				wg.Add(1)
				go func() {
					defer wg.Done()
					ok, err := c.CreateExclusive(lock, records[i], 0o600)
					if err != nil {
						t.Error(err)
					}
					if ok {
						wins.Add(1)
						won[i] = true
					}
				}()
			}
			wg.Wait()
			if wins.Load() != 1 {
				t.Fatalf("%d winners, want exactly 1", wins.Load())
			}
			got := get(t, sc, lock)
			for i := range n {
				if won[i] && !bytes.Equal(got, records[i]) {
					t.Errorf("lock holds %q..., want the winner's whole record", got[:min(len(got), 12)])
				}
			}
			ok, err := c.CreateExclusive(lock, []byte("late"), 0)
			if err != nil || ok {
				t.Errorf("create over an existing lock = %v, %v; want false", ok, err)
			}
			if _, err := c.CreateExclusive(path.Join(dir, "no-such-dir", "x"), nil, 0); err == nil {
				t.Error("create in a missing directory: no error")
			}
		})

		t.Run("RemoveMakeCopy", func(t *testing.T) {
			c := New(sc, Options{})
			src := path.Join(dir, "copy", "src")
			put(t, sc, path.Join(src, "a"), crlf)
			put(t, sc, path.Join(src, "sub", "b"), []byte("b"))
			dst := path.Join(dir, "copy", "backup-1")
			if err := c.CopyTree(src, dst, 1<<20); err != nil {
				t.Fatal(err)
			}
			a, _ := c.ReadTree(src, 1<<20)
			b, _ := c.ReadTree(dst, 1<<20)
			a.Root, b.Root = "", ""
			if diff := cmp.Diff(a, b); diff != "" {
				t.Errorf("copy differs (-src +dst):\n%s", diff)
			}
			if err := c.CopyTree(src, dst, 1<<20); err == nil {
				t.Error("copy onto an existing backup: no error")
			}
			if err := c.CopyTree(src, path.Join(dir, "copy", "small"), 3); !errors.Is(err, ErrTreeTooLarge) {
				t.Errorf("copy over the limit: %v", err)
			}
			if ok, _ := c.Stat(path.Join(dir, "copy", "small")); ok.Exists {
				t.Error("a copy over the limit wrote something")
			}
			for _, tt := range []struct {
				name string
				fn   func() (bool, error)
				want bool
			}{
				{"remove file", func() (bool, error) { return c.Remove(path.Join(src, "a")) }, true},
				{"remove missing", func() (bool, error) { return c.Remove(path.Join(src, "a")) }, false},
				{"remove tree", func() (bool, error) { return c.RemoveTree(dst) }, true},
				{"remove missing tree", func() (bool, error) { return c.RemoveTree(dst) }, false},
			} {
				got, err := tt.fn()
				if err != nil || got != tt.want {
					t.Errorf("%s = %v, %v; want %v", tt.name, got, err, tt.want)
				}
			}
			if _, err := c.Remove(src); err == nil {
				t.Error("removing a non-empty directory with Remove: no error")
			}
			deep := path.Join(dir, "mk", "a", "b")
			if err := c.MakeDirAll(deep); err != nil {
				t.Fatal(err)
			}
			if err := c.MakeDirAll(deep); err != nil {
				t.Errorf("MakeDirAll on an existing directory: %v", err)
			}
		})

		t.Run("Extensions", func(t *testing.T) {
			c := New(sc, Options{})
			if got := c.has(extPosixRename); !got {
				t.Errorf("%s not offered", extPosixRename)
			}
			if got := c.has(extFsync); got != s.fsync {
				t.Errorf("%s offered = %v, want %v", extFsync, got, s.fsync)
			}
		})
	})
}

// TestWriteWithoutPosixRename runs the replace against a server that does not offer
// posix-rename@openssh.com (pkg/sftp's server with its extension list cut down), even
// when the caller would trust it.
func TestWriteWithoutPosixRename(t *testing.T) {
	if err := sftp.SetSFTPExtensions("statvfs@openssh.com"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sftp.SetSFTPExtensions("hardlink@openssh.com", "posix-rename@openssh.com", "statvfs@openssh.com")
	})
	sc, dir := startInProcess(t)
	var warnings []string
	c := New(sc, Options{AtomicPosixRename: true, Warn: func(m string) { warnings = append(warnings, m) }})
	if c.has(extPosixRename) {
		t.Fatal("server still offers posix-rename")
	}
	p := path.Join(dir, "f")
	for _, content := range []string{"one", "two", "three"} {
		if err := c.WriteFileAtomic(p, []byte(content), 0); err != nil {
			t.Fatal(err)
		}
		if got := get(t, sc, p); string(got) != content {
			t.Errorf("content %q, want %q", got, content)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "does not offer posix-rename@openssh.com") {
		t.Errorf("warnings %q, want one naming the missing extension", warnings)
	}
	if diff := cmp.Diff([]string{"f"}, names(t, sc, dir)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A directory at the target is never replaced by a file, atomic rename or not: the write
// fails with transport.ErrIsDirectory and the directory and its content stay.
func TestWriteOntoADirectoryFails(t *testing.T) {
	for _, atomic := range []bool{true, false} {
		sc, dir := startInProcess(t)
		c := New(sc, Options{AtomicPosixRename: atomic, Warn: func(string) {}})
		p := path.Join(dir, "d")
		if err := sc.Mkdir(p); err != nil {
			t.Fatal(err)
		}
		if err := c.WriteFileAtomic(path.Join(p, "keep"), []byte("kept"), 0); err != nil {
			t.Fatal(err)
		}
		err := c.WriteFileAtomic(p, []byte("file"), 0)
		if !errors.Is(err, transport.ErrIsDirectory) {
			t.Errorf("atomic=%v: write onto a directory = %v, want ErrIsDirectory", atomic, err)
		}
		if got := get(t, sc, path.Join(p, "keep")); string(got) != "kept" {
			t.Errorf("atomic=%v: the directory's file reads %q", atomic, got)
		}
		if diff := cmp.Diff([]string{"d"}, names(t, sc, dir)); diff != "" {
			t.Errorf("atomic=%v: (-want +got):\n%s", atomic, diff)
		}
	}
}
