package sftpops

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path"

	"github.com/clusterctl/cluster/transport"
)

// tempPath is a fresh name for the new content, in the target's directory so that the
// rename stays on one volume.
func tempPath(p string) string {
	var b [8]byte
	rand.Read(b[:])
	return path.Join(path.Dir(p), "."+path.Base(p)+".cluster-new-"+hex.EncodeToString(b[:]))
}

// AsidePath is where a non-atomic replace keeps the old content of p until the new
// content has p's name.
func AsidePath(p string) string {
	return path.Join(path.Dir(p), "."+path.Base(p)+".cluster-old")
}

// rename renames old to new, refusing to rename a file onto itself (on Win32-OpenSSH
// that deletes the file: PowerShell/Win32-OpenSSH#1849).
func (c *Client) rename(old, new string, posix bool) error {
	if SamePath(old, new) {
		return fmt.Errorf("refusing to rename %s onto itself", old)
	}
	var err error
	if posix {
		err = c.sc.PosixRename(old, new)
	} else {
		err = c.sc.Rename(old, new)
	}
	if err != nil {
		return fmt.Errorf("rename %s to %s: %w", old, new, err)
	}
	return nil
}

// WriteFileAtomic replaces (or creates) p with data. The data goes to a new temporary file
// in the same directory, created exclusively (SSH_FXF_EXCL), written whole, flushed with
// fsync@openssh.com when the server offers it, and closed; only then does it take p's
// name:
//
//   - with a trusted atomic posix-rename (Options.AtomicPosixRename), in one step;
//   - otherwise the old p is first renamed to AsidePath(p), then the new file to p, then
//     the aside copy is removed. Between the two renames p is missing, but its old content
//     is kept aside, and Recover (which every WriteFileAtomic runs first) puts it back.
//     Plain SSH_FXP_RENAME is used there: both targets are free, and Win32-OpenSSH's plain
//     rename fails on an existing target.
//
// Win32-OpenSSH answers fsync@openssh.com with OK even when the flush fails, so on such a
// node durability rests on the server's file system (see docs/windows-transport.md).
func (c *Client) WriteFileAtomic(p string, data []byte, perm os.FileMode) error {
	if _, err := c.Recover(p); err != nil {
		return err
	}
	// A directory at p is never replaced: the move-aside way would put it aside and a file in
	// its place (checked again by the rename itself, which refuses a directory target).
	if info, err := c.Stat(p); err != nil {
		return err
	} else if info.IsDir {
		return fmt.Errorf("write %s: %w; nothing was written", p, transport.ErrIsDirectory)
	}
	tmp := tempPath(p)
	if _, err := c.writeNew(tmp, data, perm); err != nil {
		return err
	}
	if c.atomicReplace() {
		if err := c.rename(tmp, p, true); err != nil {
			c.sc.Remove(tmp)
			return err
		}
		return nil
	}
	c.warnNotAtomic()
	return c.replaceAside(tmp, p)
}

func (c *Client) replaceAside(tmp, p string) error {
	aside := AsidePath(p)
	had, err := c.exists(p)
	if err != nil {
		c.sc.Remove(tmp)
		return err
	}
	if had {
		if err := c.rename(p, aside, false); err != nil {
			c.sc.Remove(tmp)
			return err
		}
	}
	if err := c.rename(tmp, p, false); err != nil {
		if had {
			if back := c.rename(aside, p, false); back != nil {
				return fmt.Errorf("%w; and restoring the old content from %s failed: %v", err, aside, back)
			}
		}
		c.sc.Remove(tmp)
		return err
	}
	if had {
		// A failure here leaves only a stale copy, which the next Recover removes.
		c.sc.Remove(aside)
	}
	return nil
}

// Recover finishes what a crash during a non-atomic replace of p left: when p is missing
// and AsidePath(p) exists, the old content goes back to p (restored is true); when both
// exist, the replace had completed and the aside copy is removed.
func (c *Client) Recover(p string) (restored bool, err error) {
	aside := AsidePath(p)
	hasAside, err := c.exists(aside)
	if err != nil || !hasAside {
		return false, err
	}
	has, err := c.exists(p)
	if err != nil {
		return false, err
	}
	if has {
		if err := c.sc.Remove(aside); err != nil && !notExist(err) {
			return false, fmt.Errorf("remove stale %s: %w", aside, err)
		}
		return false, nil
	}
	if err := c.rename(aside, p, false); err != nil {
		return false, fmt.Errorf("restore %s: %w", p, err)
	}
	return true, nil
}

// writeNew creates p exclusively and writes data whole; on any failure after the create,
// the partial file is removed.
func (c *Client) writeNew(p string, data []byte, perm os.FileMode) (created bool, err error) {
	f, err := c.sc.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
	if err != nil {
		return false, fmt.Errorf("create %s: %w", p, err)
	}
	fail := func(err error) (bool, error) {
		f.Close()
		c.sc.Remove(p)
		return true, err
	}
	if n, err := f.Write(data); err != nil || n != len(data) {
		if err == nil {
			err = fmt.Errorf("short write: %d of %d bytes", n, len(data))
		}
		return fail(fmt.Errorf("write %s: %w", p, err))
	}
	if perm != 0 {
		if err := f.Chmod(perm); err != nil {
			return fail(fmt.Errorf("chmod %s: %w", p, err))
		}
	}
	if c.has(extFsync) {
		if err := f.Sync(); err != nil {
			return fail(fmt.Errorf("fsync %s: %w", p, err))
		}
	}
	if err := f.Close(); err != nil {
		c.sc.Remove(p)
		return true, fmt.Errorf("close %s: %w", p, err)
	}
	return true, nil
}

// CreateExclusive creates p with data if p does not exist (SSH_FXF_EXCL, which
// Win32-OpenSSH maps to CREATE_NEW): true when this call created it, false when p already
// existed. The whole record is written before it returns; a failure after the create
// removes the partial file. SFTP version 3 has no "already exists" status (OpenSSH sends
// SSH_FX_FAILURE), so a refused create is told from other failures by a stat.
func (c *Client) CreateExclusive(p string, data []byte, perm os.FileMode) (bool, error) {
	created, err := c.writeNew(p, data, perm)
	if err == nil {
		return true, nil
	}
	if !created {
		if has, serr := c.exists(p); serr == nil && has {
			return false, nil
		}
	}
	return false, err
}
