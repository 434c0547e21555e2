package opensshtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/lab"
)

// WithWindowsShell makes every node a Windows-dialect node on real sshd: a node whose only
// shell is shell (a static binary that behaves as `cmd.exe /c` does, lab/wincmd/cmd/labcmd)
// and whose SFTP is the real internal-sftp showing the node's drives C:, D: and E: at /C: ...
//
// How: sshd runs each session in a chroot (ChrootDirectory), the node root. Inside it the
// login shell's path (the current user's, from /etc/passwd) is a copy of shell, so that sshd's
// `<shell> -c <command>` reaches it and no POSIX shell exists; drive C: is the directory /C:
// (no bind mount needed: ext4 allows ':' in names), and c/ (where lab Windows nodes keep drive
// C:, and where the emulations look) a symlink to it; D: and E: alike. internal-sftp resolves paths with
// realpath, so /C: must be the real directory for SFTP paths to keep the /C:/ form. sshd demands a chroot whose
// every path component is owned by root and writable by no one else, so the roots live under a
// private root-owned directory (see chrootBase), not under the test's temporary directory; the
// harness must run as root.
func WithWindowsShell(shell string, codePage int) Option {
	return func(s *settings) { s.winShell, s.winCodePage = shell, codePage }
}

// Windows reports whether the node is a Windows-dialect node.
func (n *Node) Windows() bool { return n.winShell != "" }

// chrootBase returns a directory for chroots (the caller runs as root): root-owned, and no
// component writable by group or others. It is removed by the returned cleanup.
func chrootBase() (string, func(), error) {
	for _, parent := range []string{"/run", "/var/lib", "/root"} {
		if !safeChrootPath(parent) {
			continue
		}
		dir, err := os.MkdirTemp(parent, "opensshtest-win-")
		if err != nil {
			continue
		}
		return dir, func() { os.RemoveAll(dir) }, nil
	}
	return "", nil, errors.New("no root-owned directory without group/other write access for sshd chroots")
}

// safeChrootPath checks what sshd's safely_chroot checks: every component owned by root and
// not writable by group or others.
func safeChrootPath(p string) bool {
	for {
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm()&0o022 != 0 || !ownedByRoot(st) {
			return false
		}
		if p == "/" {
			return true
		}
		p = filepath.Dir(p)
	}
}

// prepareChroot lays out what sshd needs inside a Windows node's chroot: the login shell at
// the user's shell path, the user's home (sshd chdirs to it), and per drive the directory /X:
// internal-sftp serves and the x/ link the emulations use.
func (n *Node) prepareChroot() error {
	shellPath, home, err := passwdShellHome()
	if err != nil {
		return err
	}
	if err := os.Chmod(n.Root, 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(n.Root, home), 0o755); err != nil {
		return err
	}
	for _, d := range lab.WindowsDrives {
		if err := os.MkdirAll(filepath.Join(n.Root, d+":"), 0o755); err != nil {
			return err
		}
		if err := os.Symlink(d+":", filepath.Join(n.Root, strings.ToLower(d))); err != nil && !os.IsExist(err) {
			return err
		}
	}
	n.ShellPath = shellPath
	return copyFile(n.winShell, filepath.Join(n.Root, shellPath), 0o755)
}

// passwdShellHome reads the current user's login shell and home from /etc/passwd.
func passwdShellHome() (shell, home string, err error) {
	f, err := os.Open("/etc/passwd")
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	uid := strconv.Itoa(os.Geteuid())
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) >= 7 && fields[2] == uid {
			shell = fields[6]
			if shell == "" {
				shell = "/bin/sh"
			}
			return shell, fields[5], nil
		}
	}
	return "", "", fmt.Errorf("uid %s not in /etc/passwd", uid)
}

func copyFile(src, dst string, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// WindowsUser is the account whose profile SFTP sessions of a Windows-dialect node start in
// (C:\Users\Administrator), as on a lab Windows node.
const WindowsUser = "Administrator"
