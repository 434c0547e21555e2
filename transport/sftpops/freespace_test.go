package sftpops

import (
	"math"
	"testing"

	"github.com/pkg/sftp"
)

// The replies are shaped as Win32-OpenSSH sends them (f_bsize = f_frsize = cluster size,
// f_bfree = f_bavail = free clusters, f_files = -1) and as a POSIX sftp-server does.
func TestAvailableBytes(t *testing.T) {
	const minusOne = math.MaxUint64
	for name, c := range map[string]struct {
		st      sftp.StatVFS
		want    int64
		wantErr bool
	}{
		"win32 4 KiB clusters": {sftp.StatVFS{Bsize: 4096, Frsize: 4096, Blocks: 1000, Bfree: 250, Bavail: 250, Files: minusOne, Ffree: minusOne, Favail: minusOne}, 250 * 4096, false},
		"win32 full disk":      {sftp.StatVFS{Bsize: 4096, Frsize: 4096, Blocks: 1000, Files: minusOne}, 0, false},
		"posix reserve":        {sftp.StatVFS{Bsize: 4096, Frsize: 1024, Bfree: 100, Bavail: 80}, 80 * 1024, false},
		"no frsize":            {sftp.StatVFS{Bsize: 512, Bavail: 3}, 1536, false},
		"no block size":        {sftp.StatVFS{Bavail: 3}, 0, true},
		"overflow capped":      {sftp.StatVFS{Frsize: 1 << 20, Bavail: 1 << 50}, math.MaxInt64, false},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := AvailableBytes(&c.st)
			if (err != nil) != c.wantErr || got != c.want {
				t.Errorf("AvailableBytes = %d, %v; want %d (error: %v)", got, err, c.want, c.wantErr)
			}
		})
	}
}

// A Win32-OpenSSH drive path is measured at its drive's root; another path at its nearest
// existing ancestor.
func TestFreeSpaceMeasuresTheDriveRoot(t *testing.T) {
	c := &Client{}
	for p, want := range map[string]string{"/C:/WSMGR/config": "/C:/", "/d:/x": "/d:/", "/E:": "/E:/"} {
		got, err := c.measured(p)
		if err != nil || got != want {
			t.Errorf("measured(%q) = %q, %v; want %q", p, got, err, want)
		}
	}
}
