package sftpops

import (
	"fmt"
	"math"
	"path"

	"github.com/pkg/sftp"
)

// extStatVFS is OpenSSH's free-space request (OpenSSH PROTOCOL, "statvfs@openssh.com").
// openssh-portable's sftp-server answers it with statvfs(3); Win32-OpenSSH builds the same
// handler (PowerShell/openssh-portable sftp-server.c, extended_handlers: only fstatvfs is left
// out #ifdef WINDOWS), its statvfs calling GetDiskFreeSpaceW (contrib/win32/win32compat/misc.c).
const extStatVFS = "statvfs@openssh.com"

// FreeSpace is the bytes available to the session's user on the file system holding p: the
// nearest existing ancestor of p is measured. On a Win32-OpenSSH drive path (/C:/...) the
// drive's root is measured: Win32-OpenSSH answers with GetDiskFreeSpaceW, which Microsoft
// documents for the root directory of a disk ("C:\" with its trailing backslash), so a volume
// mounted in a folder of the drive is not seen. A server without the extension fails.
func (c *Client) FreeSpace(p string) (int64, error) {
	target, err := c.measured(p)
	if err != nil {
		return 0, err
	}
	st, err := c.sc.StatVFS(target)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w (the server cannot report free space)", extStatVFS, target, err)
	}
	return AvailableBytes(st)
}

// measured is the path FreeSpace asks about for p.
func (c *Client) measured(p string) (string, error) {
	p = path.Clean(p)
	if isWindowsSFTPPath(p) {
		return p[:3] + "/", nil
	}
	for {
		ok, err := c.exists(p)
		if err != nil || ok || p == "/" || p == "." {
			return p, err
		}
		p = path.Dir(p)
	}
}

// AvailableBytes reads a statvfs@openssh.com reply: f_bavail blocks of f_frsize bytes (of
// f_bsize when a server leaves f_frsize zero), capped at the largest int64. Win32-OpenSSH
// fills f_bsize and f_frsize with the cluster size and f_bavail with the free clusters
// GetDiskFreeSpaceW reports, which Microsoft documents as those available to the calling
// user (less than the disk's when per-user quotas are in use).
func AvailableBytes(st *sftp.StatVFS) (int64, error) {
	unit := st.Frsize
	if unit == 0 {
		unit = st.Bsize
	}
	if unit == 0 {
		return 0, fmt.Errorf("%s: the reply gives no block size", extStatVFS)
	}
	if st.Bavail > math.MaxInt64/unit {
		return math.MaxInt64, nil
	}
	return int64(st.Bavail * unit), nil
}
