package sftpops

import (
	"fmt"
	"os"
	"path"
	"sort"
	"time"
)

// Entry is one entry of a directory as ListDir reports it.
type Entry struct {
	Name    string
	IsDir   bool
	Size    int64
	ModTime time.Time
}

// ListDir lists the entries of dir, sorted by name, hidden names included (SFTP's readdir
// sends every name but "." and ".."). A symbolic link (or a reparse point the server
// reports as one) is reported as what its target is. A missing dir gives nil entries and
// no error; an existing, empty one non-nil empty entries; a dir that is not a directory
// is an error.
func (c *Client) ListDir(dir string) ([]Entry, error) {
	info, err := c.Stat(dir)
	if err != nil || !info.Exists {
		return nil, err
	}
	if !info.IsDir {
		return nil, fmt.Errorf("list %s: not a directory", dir)
	}
	fis, err := c.sc.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	out := make([]Entry, 0, len(fis))
	for _, fi := range fis {
		if fi.Name() == "." || fi.Name() == ".." {
			continue
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			target, err := c.sc.Stat(path.Join(dir, fi.Name()))
			if err != nil {
				return nil, fmt.Errorf("list %s: follow %s: %w", dir, fi.Name(), err)
			}
			fi = target
		}
		out = append(out, Entry{Name: path.Base(fi.Name()), IsDir: fi.IsDir(), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Rename moves from to to, with the rules of transport.Rename:
//
//   - from must exist and the two must not name the same path (compared ignoring case on
//     Windows paths: Win32-OpenSSH deletes a file renamed onto its own name,
//     PowerShell/Win32-OpenSSH#1849);
//   - a file replaces a file at to: in one posix-rename when the server's is trusted to be
//     atomic (Options.AtomicPosixRename), otherwise the old file is moved to AsidePath(to)
//     first and removed last, as WriteFileAtomic does, so that Recover(to) can put it back
//     after a crash in between; a directory at to is refused;
//   - a directory is renamed only when nothing is at to (plain SSH_FXP_RENAME).
//
// A refusal changes nothing. SFTP cannot sync a directory (fsync@openssh.com takes a file
// handle), so the rename's directory entry is as durable as the server's file system makes
// it.
func (c *Client) Rename(from, to string) error {
	if SamePath(from, to) {
		return fmt.Errorf("refusing to rename %s onto itself", from)
	}
	if _, err := c.Recover(to); err != nil {
		return err
	}
	src, err := c.Stat(from)
	if err != nil {
		return err
	}
	if !src.Exists {
		return fmt.Errorf("rename %s: %w", from, os.ErrNotExist)
	}
	dst, err := c.Stat(to)
	if err != nil {
		return err
	}
	switch {
	case !dst.Exists:
		return c.rename(from, to, false)
	case src.IsDir:
		return fmt.Errorf("rename the directory %s: %s already exists; nothing was moved", from, to)
	case dst.IsDir:
		return fmt.Errorf("rename %s: %s is a directory; nothing was moved", from, to)
	case c.atomicReplace():
		return c.rename(from, to, true)
	}
	c.warnNotAtomic()
	aside := AsidePath(to)
	if err := c.rename(to, aside, false); err != nil {
		return err
	}
	if err := c.rename(from, to, false); err != nil {
		if back := c.rename(aside, to, false); back != nil {
			return fmt.Errorf("%w; and restoring the old content from %s failed: %v", err, aside, back)
		}
		return err
	}
	// A failure here leaves only a stale copy, which the next Recover removes.
	c.sc.Remove(aside)
	return nil
}
