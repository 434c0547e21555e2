package sftpops

import (
	"errors"
	"fmt"
	"os"
	"path"
)

// Remove removes the file (or empty directory) p: false with no error when p was missing.
func (c *Client) Remove(p string) (bool, error) {
	err := c.sc.Remove(p)
	if err == nil {
		return true, nil
	}
	if notExist(err) {
		return false, nil
	}
	return false, fmt.Errorf("remove %s: %w", p, err)
}

// RemoveTree removes p and everything below it, without following symbolic links: false
// with no error when p was missing.
func (c *Client) RemoveTree(p string) (bool, error) {
	has, err := c.exists(p)
	if err != nil || !has {
		return false, err
	}
	if err := c.sc.RemoveAll(p); err != nil {
		return false, fmt.Errorf("remove tree %s: %w", p, err)
	}
	return true, nil
}

// MakeDirAll creates p and its missing parents; an existing directory is fine.
func (c *Client) MakeDirAll(p string) error {
	if err := c.sc.MkdirAll(p); err != nil {
		return fmt.Errorf("make directory %s: %w", p, err)
	}
	return nil
}

// CopyTree copies the tree at src to dst through this client (read, then write: SFTP has
// no server-side copy in OpenSSH's extensions), for backups. dst must not exist: a backup
// is never overwritten. At most limit bytes are copied (ErrTreeTooLarge otherwise, before
// anything is written). Files are created exclusively, written whole and synced
// (fsync@openssh.com, when the server offers it); modes and modification times are kept.
// A missing src is an error.
func (c *Client) CopyTree(src, dst string, limit int64) error {
	if SamePath(src, dst) {
		return fmt.Errorf("copy tree %s onto itself", src)
	}
	has, err := c.exists(dst)
	if err != nil {
		return err
	}
	if has {
		return fmt.Errorf("copy tree %s: %s already exists", src, dst)
	}
	t, err := c.ReadTree(src, limit)
	if err != nil {
		return err
	}
	if !t.Exists {
		return fmt.Errorf("copy tree %s: %w", src, os.ErrNotExist)
	}
	if err := c.MakeDirAll(dst); err != nil {
		return err
	}
	for _, d := range t.Dirs {
		if err := c.MakeDirAll(joinRel(dst, d)); err != nil {
			return err
		}
	}
	for _, f := range t.Files {
		p := joinRel(dst, f.Path)
		if _, err := c.writeNew(p, f.Data, f.Mode); err != nil {
			return fmt.Errorf("copy tree %s: %w", src, err)
		}
		if err := c.sc.Chtimes(p, f.ModTime, f.ModTime); err != nil {
			return fmt.Errorf("copy tree %s: keep the time of %s: %w", src, f.Path, err)
		}
	}
	return nil
}

// ErrExists is CreateTree's error when something is at the directory's path already.
var ErrExists = errors.New("already exists")

// NewFile is one file CreateTree writes.
type NewFile struct {
	Path string // slash path relative to the tree's directory
	Data []byte
	Perm os.FileMode // 0: the server's default
}

// CreateTree creates the directory dir (its missing parents too), the directories dirs below
// it (slash paths relative to dir, parents first) and the files. Something at dir fails it
// with ErrExists before anything is written; SSH_FXP_MKDIR fails on an existing path, so one
// appearing meanwhile fails it too. Each file is created exclusively, written whole and synced
// (fsync@openssh.com, when the server offers it) before the next; SFTP has no request that
// syncs a directory. A failure part-way leaves the directory partly written.
func (c *Client) CreateTree(dir string, dirs []string, files []NewFile) error {
	has, err := c.exists(dir)
	if err != nil {
		return err
	}
	if has {
		return fmt.Errorf("%s: %w", dir, ErrExists)
	}
	if err := c.MakeDirAll(path.Dir(dir)); err != nil {
		return err
	}
	if err := c.sc.Mkdir(dir); err != nil {
		return fmt.Errorf("make directory %s: %w", dir, err)
	}
	for _, d := range dirs {
		if err := c.sc.Mkdir(joinRel(dir, d)); err != nil {
			return fmt.Errorf("make directory %s: %w", joinRel(dir, d), err)
		}
	}
	for _, f := range files {
		if _, err := c.writeNew(joinRel(dir, f.Path), f.Data, f.Perm); err != nil {
			return err
		}
	}
	return nil
}
