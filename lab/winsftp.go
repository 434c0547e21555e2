package lab

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"

	"github.com/clusterctl/cluster/lab/wincmd"
)

// serveSFTP serves the sftp subsystem of a Windows node as Win32-OpenSSH's sftp-server does
// it, as far as the tool can tell: paths are /C:/Program Files/... (drive letter after a
// leading slash), "/" lists the drives, names are matched without regard to case as NTFS does,
// a plain rename (SSH_FXP_RENAME) fails when the target exists (MoveFileW), and
// posix-rename@openssh.com replaces it (MoveFileExW with MOVEFILE_REPLACE_EXISTING,
// Win32-OpenSSH >= 8.6, as issue 17 records it); fsync@openssh.com is offered (withFsync).
// A path that names no drive (/etc/passwd) is
// not found. The session starts in the user's profile, /C:/Users/Administrator.
func (s *nodeServer) serveSFTP(ch ssh.Channel) int {
	h := &winFS{drives: wincmd.Drives{Root: s.root}}
	handlers := sftp.Handlers{FileGet: h, FilePut: h, FileCmd: h, FileList: h}
	srv := sftp.NewRequestServer(withFsync(ch), handlers, sftp.WithStartDirectory("/C:/Users/"+WindowsUser))
	if err := srv.Serve(); err != nil && !errors.Is(err, io.EOF) {
		s.logf("%s: sftp: %v", s.name, err)
	}
	srv.Close()
	return 0
}

// winFS maps SFTP requests onto a Windows node root.
type winFS struct{ drives wincmd.Drives }

// host maps a cleaned SFTP path (/C:/a/b) to the host. found is false when the last component
// is missing; an error when the path names no drive or a missing directory.
func (w *winFS) host(p string) (host string, found bool, err error) {
	p = path.Clean("/" + p)
	first, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	if len(first) != 2 || first[1] != ':' {
		return "", false, os.ErrNotExist
	}
	host, found, ok := w.drives.Host(first + `\` + strings.ReplaceAll(rest, "/", `\`))
	if !ok || host == "" {
		return "", false, os.ErrNotExist
	}
	return host, found, nil
}

// existing maps a path that must exist.
func (w *winFS) existing(p string) (string, error) {
	host, found, err := w.host(p)
	if err != nil {
		return "", err
	}
	if !found {
		return "", os.ErrNotExist
	}
	return host, nil
}

func (w *winFS) Fileread(r *sftp.Request) (io.ReaderAt, error) {
	host, err := w.existing(r.Filepath)
	if err != nil {
		return nil, status(err)
	}
	f, err := os.Open(host)
	return f, status(err)
}

func (w *winFS) Filewrite(r *sftp.Request) (io.WriterAt, error) { return w.OpenFile(r) }

// OpenFile honours the open flags: SSH_FXF_EXCL creates exclusively (CREATE_NEW).
func (w *winFS) OpenFile(r *sftp.Request) (sftp.WriterAtReaderAt, error) {
	host, _, err := w.host(r.Filepath)
	if err != nil {
		return nil, status(err)
	}
	pf := r.Pflags()
	if (pf.Write || pf.Append || pf.Trunc) && w.isProgram(host) {
		return nil, sftp.ErrSSHFxPermissionDenied
	}
	flags := 0
	switch {
	case pf.Read && pf.Write:
		flags = os.O_RDWR
	case pf.Write:
		flags = os.O_WRONLY
	}
	if pf.Creat {
		flags |= os.O_CREATE
	}
	if pf.Trunc {
		flags |= os.O_TRUNC
	}
	if pf.Excl {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(host, flags, 0o644)
	return f, status(err)
}

func (w *winFS) Filecmd(r *sftp.Request) error {
	switch r.Method {
	case "Setstat":
		host, err := w.existing(r.Filepath)
		if err != nil {
			return status(err)
		}
		if w.isProgram(host) {
			return sftp.ErrSSHFxPermissionDenied
		}
		a, flags := r.Attributes(), r.AttrFlags()
		if flags.Size {
			if err := os.Truncate(host, int64(a.Size)); err != nil {
				return status(err)
			}
		}
		if flags.Acmodtime {
			return status(os.Chtimes(host, time.Unix(int64(a.Atime), 0), time.Unix(int64(a.Mtime), 0)))
		}
		return nil // permissions and owners: NTFS ACLs, not emulated
	case "Rename":
		return w.rename(r, false)
	case "Mkdir":
		host, found, err := w.host(r.Filepath)
		if err == nil && found {
			err = os.ErrExist
		}
		if err != nil {
			return status(err)
		}
		return status(os.Mkdir(host, 0o755))
	case "Rmdir":
		host, err := w.existing(r.Filepath)
		if err != nil {
			return status(err)
		}
		if st, err := os.Stat(host); err != nil || !st.IsDir() {
			return sftp.ErrSSHFxFailure
		}
		return status(os.Remove(host))
	case "Remove":
		host, err := w.existing(r.Filepath)
		if err != nil {
			return status(err)
		}
		if st, err := os.Lstat(host); err != nil || st.IsDir() {
			return sftp.ErrSSHFxFailure
		}
		if w.isProgram(host) {
			return sftp.ErrSSHFxPermissionDenied
		}
		return status(os.Remove(host))
	}
	return sftp.ErrSSHFxOpUnsupported // Link, Symlink
}

// PosixRename replaces the target. Renaming a file onto its own name deletes it on the real
// server (Win32-OpenSSH issue 1849, as issue 17 records it): the lab does the same, so a tool
// that does it loses the file in its tests too.
func (w *winFS) PosixRename(r *sftp.Request) error { return w.rename(r, true) }

func (w *winFS) rename(r *sftp.Request, replace bool) error {
	from, err := w.existing(r.Filepath)
	if err != nil {
		return status(err)
	}
	to, found, err := w.host(r.Target)
	if err != nil {
		return status(err)
	}
	if w.isProgram(from) || found && w.isProgram(to) {
		return sftp.ErrSSHFxPermissionDenied
	}
	if found && replace && from == to {
		return status(os.Remove(from))
	}
	if found && !replace {
		return sftp.ErrSSHFxFailure // MoveFileW: ERROR_ALREADY_EXISTS
	}
	return status(os.Rename(from, to))
}

// isProgram reports a program the lab laid out (a link to the emulations' binary, laidOut).
// Windows keeps system32 and Program Files programs from being changed even by an administrator
// (owner TrustedInstaller: access denied); the lab does the same, and so never writes through
// the link to the binary on the host. A link a test made inside the root is a symbolic link the
// node may remove or rename, as Windows lets it.
func (w *winFS) isProgram(host string) bool {
	st, err := os.Lstat(host)
	return err == nil && st.Mode()&os.ModeSymlink != 0 && w.laidOut(host)
}

func (w *winFS) Filelist(r *sftp.Request) (sftp.ListerAt, error) {
	if path.Clean("/"+r.Filepath) == "/" {
		return w.drivesList(r.Method)
	}
	host, err := w.existing(r.Filepath)
	if err != nil {
		return nil, status(err)
	}
	switch r.Method {
	case "List":
		entries, err := os.ReadDir(host)
		if err != nil {
			return nil, status(err)
		}
		var infos []fs.FileInfo
		for _, e := range entries {
			if info, err := w.lstat(filepath.Join(host, e.Name())); err == nil {
				infos = append(infos, info)
			}
		}
		return lister(infos), nil
	case "Stat":
		info, err := os.Stat(host)
		if err != nil {
			return nil, status(err)
		}
		if isDriveRoot(r.Filepath) {
			info = driveInfo{info, strings.ToUpper(info.Name()) + ":"}
		}
		return lister{info}, nil
	}
	return nil, sftp.ErrSSHFxOpUnsupported // Readlink
}

// Lstat answers SSH_FXP_LSTAT as Win32-OpenSSH does: a symbolic link is reported as a link,
// not followed (lstat). The drives and "/" are answered as by Stat.
func (w *winFS) Lstat(r *sftp.Request) (sftp.ListerAt, error) {
	if path.Clean("/"+r.Filepath) == "/" || isDriveRoot(r.Filepath) {
		r.Method = "Stat"
		return w.Filelist(r)
	}
	host, err := w.existing(r.Filepath)
	if err != nil {
		return nil, status(err)
	}
	info, err := w.lstat(host)
	if err != nil {
		return nil, status(err)
	}
	return lister{info}, nil
}

// lstat is what Win32-OpenSSH's lstat (readdir uses it too) reports for host: a symbolic link
// as a link (PowerShell/openssh-portable contrib/win32/win32compat/fileio.c,
// fileio_stat_or_lstat_internal: a reparse point whose link target can be read, i.e. tag
// IO_REPARSE_TAG_SYMLINK, becomes S_IFLNK; a junction is not, and reads as the directory it
// points to: junctions are not emulated). A program the lab laid out is a link to the cluster
// binary on the host but a plain file on Windows: it is reported as the file.
func (w *winFS) lstat(host string) (fs.FileInfo, error) {
	info, err := os.Lstat(host)
	if err == nil && info.Mode()&os.ModeSymlink != 0 && w.laidOut(host) {
		return os.Stat(host)
	}
	return info, err
}

// laidOut reports a link PrepareWindowsRoot made: its target is absolute and outside the
// node root (the cluster binary). A link a test makes for the node points inside it.
func (w *winFS) laidOut(host string) bool {
	target, err := os.Readlink(host)
	if err != nil || !filepath.IsAbs(target) {
		return false
	}
	rel, err := filepath.Rel(w.drives.Root, target)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// RealPath answers SSH_FXP_REALPATH in the /C:/... form, relative paths taken from the start
// directory.
func (w *winFS) RealPath(p string) (string, error) {
	if !strings.HasPrefix(p, "/") {
		p = "/C:/Users/" + WindowsUser + "/" + p
	}
	return path.Clean(p), nil
}

// drivesList is "/": one directory per drive of the node.
func (w *winFS) drivesList(method string) (sftp.ListerAt, error) {
	root, err := os.Stat(w.drives.Root)
	if err != nil {
		return nil, status(err)
	}
	if method != "List" {
		return lister{driveInfo{root, "/"}}, nil
	}
	entries, _ := os.ReadDir(w.drives.Root)
	var infos []fs.FileInfo
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && len(n) == 1 && n[0] >= 'a' && n[0] <= 'z' {
			if info, err := e.Info(); err == nil {
				infos = append(infos, driveInfo{info, strings.ToUpper(n) + ":"})
			}
		}
	}
	return lister(infos), nil
}

func isDriveRoot(p string) bool {
	p = strings.Trim(path.Clean("/"+p), "/")
	return len(p) == 2 && p[1] == ':'
}

type driveInfo struct {
	fs.FileInfo
	name string
}

func (d driveInfo) Name() string { return d.name }

type lister []fs.FileInfo

func (l lister) ListAt(out []fs.FileInfo, offset int64) (int, error) {
	if offset >= int64(len(l)) {
		return 0, io.EOF
	}
	n := copy(out, l[offset:])
	if offset+int64(n) >= int64(len(l)) {
		return n, io.EOF
	}
	return n, nil
}

// status turns a host error into the SFTP status a client sees, without the host path in
// the message (the real server's messages name no lab directory).
func status(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return sftp.ErrSSHFxNoSuchFile
	case errors.Is(err, fs.ErrPermission):
		return sftp.ErrSSHFxPermissionDenied
	}
	return sftp.ErrSSHFxFailure
}
