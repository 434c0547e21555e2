package transport

import (
	"fmt"
	"strings"
)

// CheckWindowsDrivePath accepts an absolute Windows drive path with backslashes ("C:\dir"),
// the form a Windows-dialect node is sent: relative paths, UNC paths (Win32-OpenSSH's
// sftp-server resolves "/x:" drive paths only), "/" and "." / ".." or empty elements are
// refused. sftpops.WindowsToSFTP converts what it accepts; configuration validates by it.
func CheckWindowsDrivePath(p string) error {
	if len(p) < 3 || !isASCIILetter(p[0]) || p[1] != ':' || p[2] != '\\' {
		return fmt.Errorf("%q is not an absolute Windows drive path (like C:\\dir)", p)
	}
	if strings.ContainsRune(p, '/') {
		return fmt.Errorf("%q contains '/': use backslashes in Windows paths", p)
	}
	for _, el := range strings.Split(p[3:], `\`) {
		if el == "." || el == ".." {
			return fmt.Errorf("%q contains a %q element", p, el)
		}
	}
	if strings.Contains(strings.TrimSuffix(p[3:], `\`), `\\`) {
		return fmt.Errorf("%q contains an empty path element", p)
	}
	return nil
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
