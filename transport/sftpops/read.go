package sftpops

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/transport"
)

// File is one file as read.
type File struct {
	Path   string // as asked (ReadFiles) or relative to the tree root, with "/" (ReadTree)
	Exists bool
	Data   []byte
	Mode   os.FileMode // permission bits as the server reports them (ReadTree only)
	// ModTime is the last modification the server reports (ReadTree only).
	ModTime time.Time
}

// readConcurrency is how many files ReadFiles has in flight on the one SFTP session:
// each read costs round trips (open, read, close), so they overlap.
const readConcurrency = 8

// ReadFiles reads each path whole, bytes exact (no line-end or code page conversion), in
// the order given. A missing file is Exists false; any other failure is an error naming
// the path.
func (c *Client) ReadFiles(paths []string) ([]File, error) {
	out := make([]File, len(paths))
	var g errgroup.Group
	g.SetLimit(readConcurrency)
	for i, p := range paths {
		g.Go(func() error {
			data, err := c.readFile(p, -1)
			if notExist(err) {
				out[i] = File{Path: p}
				return nil
			}
			if err != nil {
				return err
			}
			out[i] = File{Path: p, Exists: true, Data: data}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// readFile reads p; with max >= 0 it reads at most max+1 bytes, so that the caller can
// tell a file over its limit.
func (c *Client) readFile(p string, max int64) ([]byte, error) {
	f, err := c.sc.Open(p)
	if err != nil {
		if notExist(err) {
			return nil, err
		}
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	defer f.Close()
	var r io.Reader = f
	if max >= 0 {
		r = io.LimitReader(f, max+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return data, nil
}

// ErrTreeTooLarge is returned when a tree holds more bytes than the limit.
var ErrTreeTooLarge = errors.New("tree larger than the limit")

// Tree is a directory tree as read.
type Tree struct {
	Root   string
	Exists bool
	Dirs   []string // below the root, relative, with "/", sorted
	Files  []File   // relative, with "/", sorted
}

// ReadTree reads every regular file below root, bytes exact. It stops reading as soon as
// the files hold more than limit bytes together and returns ErrTreeTooLarge naming the
// root and the limit; nothing beyond the limit is read. A missing root is Exists false.
// Anything that is neither a regular file nor a directory (a symbolic link, a reparse
// point the server reports as a link) is a *transport.NotRegularError naming it relative to
// root: its target is not part of the tree.
func (c *Client) ReadTree(root string, limit int64) (Tree, error) {
	t := Tree{Root: root}
	if limit < 0 {
		return t, fmt.Errorf("read tree %s: negative byte limit %d", root, limit)
	}
	info, err := c.Stat(root)
	if err != nil || !info.Exists {
		return t, err
	}
	if !info.IsDir {
		return t, fmt.Errorf("read tree %s: not a directory", root)
	}
	t.Exists = true
	var total int64
	w := c.sc.Walk(root)
	for w.Step() {
		if err := w.Err(); err != nil {
			return Tree{Root: root}, fmt.Errorf("read tree %s: %w", root, err)
		}
		p := w.Path()
		if p == root {
			continue
		}
		rel := strings.TrimPrefix(p, strings.TrimSuffix(root, "/")+"/")
		fi := w.Stat()
		switch {
		case fi.IsDir():
			t.Dirs = append(t.Dirs, rel)
		case fi.Mode().IsRegular():
			data, err := c.readFile(p, limit-total)
			if err != nil {
				return Tree{Root: root}, fmt.Errorf("read tree %s: %w", root, err)
			}
			total += int64(len(data))
			if total > limit {
				return Tree{Root: root}, fmt.Errorf("read tree %s: %w: more than %d bytes (stopped at %s)", root, ErrTreeTooLarge, limit, rel)
			}
			t.Files = append(t.Files, File{Path: rel, Exists: true, Data: data, Mode: fi.Mode().Perm(), ModTime: fi.ModTime()})
		default:
			// Win32-OpenSSH's readdir and lstat report a Windows symbolic link as a link
			// (contrib/win32/win32compat/fileio.c, fileio_stat_or_lstat_internal).
			return Tree{Root: root}, fmt.Errorf("read tree %s: %w", root, &transport.NotRegularError{Rel: rel})
		}
	}
	sort.Strings(t.Dirs)
	sort.Slice(t.Files, func(i, j int) bool { return t.Files[i].Path < t.Files[j].Path })
	return t, nil
}

// joinRel joins a relative "/" path to a root.
func joinRel(root, rel string) string { return path.Join(root, rel) }
