//go:build unix

package lab

import (
	"math"
	"os"
	"syscall"

	"github.com/pkg/sftp"

	"github.com/clusterctl/cluster/lab/labdir"
)

// StatVFS answers statvfs@openssh.com as Win32-OpenSSH's sftp-server does (PowerShell/
// openssh-portable sftp-server.c process_extended_statvfs; its statvfs in
// contrib/win32/win32compat/misc.c): GetDiskFreeSpaceW on the path, which reports the cluster
// size as f_bsize and f_frsize, the clusters as f_blocks, and the clusters free to the caller
// as both f_bfree and f_bavail; f_files, f_ffree and f_favail are -1, f_fsid and f_flag 0.
// The lab measures the host file system holding the drive, and reports nothing free while the
// node's disk-full fault is on. A path that does not exist fails, as GetDiskFreeSpaceW does.
// f_namemax is PATH_MAX-1 in misc.c; the lab takes PATH_MAX as Windows' MAX_PATH (260), which
// no public source read confirms (the tool never reads it).
func (w *winFS) StatVFS(r *sftp.Request) (*sftp.StatVFS, error) {
	host, err := w.existing(r.Filepath)
	if err != nil {
		return nil, status(err)
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(host, &st); err != nil {
		return nil, status(os.NewSyscallError("statfs", err))
	}
	cluster := uint64(st.Bsize)
	free := st.Bavail
	if labdir.HasFault(w.drives.Root, labdir.DiskFull, "") {
		free = 0
	}
	const minusOne = math.MaxUint64 // -1 in an unsigned field
	return &sftp.StatVFS{
		Bsize: cluster, Frsize: cluster, Blocks: st.Blocks, Bfree: free, Bavail: free,
		Files: minusOne, Ffree: minusOne, Favail: minusOne, Fsid: 0, Flag: 0, Namemax: 259,
	}, nil
}
