package lab

import (
	"errors"
	"os"
	"testing"

	"github.com/pkg/sftp"

	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/transport/sftpops"
)

// A Windows lab node answers statvfs@openssh.com as Win32-OpenSSH does (cluster size in
// f_bsize and f_frsize, f_bfree equal to f_bavail, -1 in the inode counts), reports nothing
// free while its disk-full fault is on, and fails for a path that does not exist.
func TestWindowsNodeStatVFS(t *testing.T) {
	l := startWindowsLab(t, "sv1")
	c, err := dial(t, l, "sv1", clientConfig(t, l.Dir))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fs, err := sftp.NewClient(c)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()

	st, err := fs.StatVFS("/C:/")
	if err != nil {
		t.Fatal(err)
	}
	if st.Bsize == 0 || st.Frsize != st.Bsize || st.Bfree != st.Bavail || st.Bavail == 0 || st.Files != ^uint64(0) || st.Favail != ^uint64(0) {
		t.Errorf("statvfs /C:/ = %+v; want Win32-OpenSSH's shape with room", st)
	}
	if _, err := fs.StatVFS("/C:/no/such/dir"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("statvfs of a missing path: %v; want not found", err)
	}

	if err := labdir.SetFault(l.Registry().Nodes[0].Root, labdir.DiskFull, ""); err != nil {
		t.Fatal(err)
	}
	full, err := fs.StatVFS("/C:/Windows")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := sftpops.AvailableBytes(full); err != nil || got != 0 || full.Blocks != st.Blocks {
		t.Errorf("with the disk full: %d bytes available (%v), blocks %d; want 0 of %d", got, err, full.Blocks, st.Blocks)
	}
}
