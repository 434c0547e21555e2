package sftpops

import (
	"fmt"
	"path"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// WindowsToSFTP converts an absolute Windows drive path ("C:\Program Files\X") to the form
// Win32-OpenSSH's sftp-server takes ("/C:/Program Files/X"). The drive root "C:\" becomes
// "/C:/". What transport.CheckWindowsDrivePath refuses is refused.
func WindowsToSFTP(p string) (string, error) {
	if err := transport.CheckWindowsDrivePath(p); err != nil {
		return "", err
	}
	rest := strings.TrimSuffix(p[3:], `\`)
	return "/" + p[:2] + "/" + strings.ReplaceAll(rest, `\`, "/"), nil
}

// SFTPToWindows converts "/C:/Program Files/X" back to "C:\Program Files\X" ("/C:/" and
// "/C:" to "C:\").
func SFTPToWindows(p string) (string, error) {
	if len(p) < 3 || p[0] != '/' || !isLetter(p[1]) || p[2] != ':' || (len(p) > 3 && p[3] != '/') {
		return "", fmt.Errorf("%q is not a Win32-OpenSSH drive path (like /C:/dir)", p)
	}
	rest := strings.TrimSuffix(strings.TrimPrefix(p[3:], "/"), "/")
	if strings.ContainsRune(rest, '\\') {
		return "", fmt.Errorf("%q contains a backslash", p)
	}
	return p[1:3] + `\` + strings.ReplaceAll(rest, "/", `\`), nil
}

// isWindowsSFTPPath reports a "/X:/" path: on such paths names compare without regard to
// case, as NTFS does.
func isWindowsSFTPPath(p string) bool {
	return len(p) >= 3 && p[0] == '/' && isLetter(p[1]) && p[2] == ':'
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// SamePath reports whether a and b name the same file: exactly, or on a Windows path
// without regard to case (renaming a file onto its own name deletes it on
// Win32-OpenSSH, PowerShell/Win32-OpenSSH#1849, so this check must not miss).
// Windows also drops trailing dots and spaces from a name ("a." is "a"), so those are
// trimmed before comparing Windows paths. 8.3 short names (PROGRA~1) are not resolved:
// callers use the names they created.
func SamePath(a, b string) bool {
	a, b = path.Clean(a), path.Clean(b)
	if a == b {
		return true
	}
	if !isWindowsSFTPPath(a) || !isWindowsSFTPPath(b) {
		return false
	}
	return strings.EqualFold(trimWindowsName(a), trimWindowsName(b))
}

// trimWindowsName removes trailing dots and spaces from every element, as Win32 path
// normalization does.
func trimWindowsName(p string) string {
	els := strings.Split(p, "/")
	for i, el := range els {
		if i > 1 { // keep "" and "C:"
			els[i] = strings.TrimRight(el, ". ")
		}
	}
	return strings.Join(els, "/")
}
