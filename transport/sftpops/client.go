package sftpops

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/pkg/sftp"
)

// SFTP extensions the operations use when the server offers them (OpenSSH PROTOCOL,
// sections "posix-rename@openssh.com" and "fsync@openssh.com").
const (
	extPosixRename = "posix-rename@openssh.com"
	extFsync       = "fsync@openssh.com"
)

// Options say what the caller knows about the server.
type Options struct {
	// AtomicPosixRename says the server's posix-rename@openssh.com replaces an existing
	// target atomically. True for OpenSSH on POSIX systems. On Win32-OpenSSH it depends
	// on the version (PowerShell/Win32-OpenSSH#1534: v8.1 deletes the target and then
	// renames), so the caller sets it only for a version it knows. When false (or the
	// server lacks the extension) WriteFileAtomic moves the old file aside first.
	AtomicPosixRename bool
	// Warn receives, at most once per Client, the notice that replaces on this server
	// are not atomic. Nil: no notice.
	Warn func(msg string)
}

// Client runs the operations on one SFTP session.
type Client struct {
	sc       *sftp.Client
	opts     Options
	warnOnce sync.Once
}

// New wraps an open SFTP client.
func New(sc *sftp.Client, opts Options) *Client { return &Client{sc: sc, opts: opts} }

// SFTP returns the underlying client.
func (c *Client) SFTP() *sftp.Client { return c.sc }

func (c *Client) has(ext string) bool {
	_, ok := c.sc.HasExtension(ext)
	return ok
}

// atomicReplace reports whether WriteFileAtomic can replace with one posix-rename.
func (c *Client) atomicReplace() bool {
	return c.opts.AtomicPosixRename && c.has(extPosixRename)
}

func (c *Client) warnNotAtomic() {
	c.warnOnce.Do(func() {
		if c.opts.Warn == nil {
			return
		}
		why := "the server does not offer " + extPosixRename
		if c.has(extPosixRename) {
			why = "its " + extPosixRename + " is not known to be atomic"
		}
		c.opts.Warn("file replaces on this node are not atomic (" + why + "): each old file is " +
			"moved aside before the new one takes its name; after a crash in between, the next " +
			"write (or Recover) restores it")
	})
}

// notExist reports an SFTP "no such file" answer.
func notExist(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, sftp.ErrSSHFxNoSuchFile)
}

// exists stats p: false with no error when it is missing.
func (c *Client) exists(p string) (bool, error) {
	_, err := c.sc.Lstat(p)
	if err == nil {
		return true, nil
	}
	if notExist(err) {
		return false, nil
	}
	return false, fmt.Errorf("stat %s: %w", p, err)
}

// Info is what Stat reports.
type Info struct {
	Exists  bool
	IsDir   bool
	Size    int64
	Mode    os.FileMode
	ModTime time.Time // last modification, whole seconds (SFTP v3 sends seconds)
}

// Stat reports p without following a final symbolic link; a missing p is Exists false.
func (c *Client) Stat(p string) (Info, error) {
	fi, err := c.sc.Lstat(p)
	if notExist(err) {
		return Info{}, nil
	}
	if err != nil {
		return Info{}, fmt.Errorf("stat %s: %w", p, err)
	}
	return Info{Exists: true, IsDir: fi.IsDir(), Size: fi.Size(), Mode: fi.Mode(), ModTime: fi.ModTime()}, nil
}
