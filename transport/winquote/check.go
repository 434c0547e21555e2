package winquote

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkText refuses what no Windows command line can carry literally: text that is not
// UTF-8 (OpenSSH converts the request with utf8_to_utf16), NUL (ends the C string), CR
// and LF (end the command for cmd.exe; PowerShell would start a new statement), and the
// other C0 control characters except TAB (their handling by cmd.exe is not documented;
// refused rather than guessed). what names the argument in the error.
func checkText(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8: %q", what, s)
	}
	for i, r := range s {
		switch {
		case r == 0:
			return fmt.Errorf("%s contains NUL at byte %d, which a Windows command line cannot carry: %q", what, i, s)
		case r == '\r' || r == '\n':
			return fmt.Errorf("%s contains a line break at byte %d, which a Windows command line cannot carry: %q", what, i, s)
		case r < 0x20 && r != '\t', r == 0x7f:
			return fmt.Errorf("%s contains control character %U at byte %d, which is refused on Windows nodes: %q", what, r, i, s)
		}
	}
	return nil
}

// checkProgram accepts an absolute Windows path to the program: a drive path "C:\..." or
// a UNC path "\\server\share\...", without the characters Windows forbids in file names
// (< > " | ? *) and without "%", which cmd.exe would expand even inside quotes.
func checkProgram(program string) error {
	if err := checkText("program path", program); err != nil {
		return err
	}
	if strings.ContainsRune(program, '/') {
		return fmt.Errorf("program path %q contains '/': use backslashes", program)
	}
	drive := len(program) >= 3 && isASCIILetter(program[0]) && program[1] == ':' && program[2] == '\\'
	unc := strings.HasPrefix(program, `\\`) && len(program) > 2
	if !drive && !unc {
		return fmt.Errorf("program path %q is not an absolute Windows path (C:\\... or \\\\server\\share\\...)", program)
	}
	if i := strings.IndexAny(program[2:], `<>"|?*:`); i >= 0 {
		return fmt.Errorf("program path %q contains %q, which Windows does not allow in a path", program, program[2+i])
	}
	if strings.ContainsRune(program, '%') {
		return fmt.Errorf("program path %q contains '%%', which cmd.exe would expand", program)
	}
	if strings.HasSuffix(program, `\`) {
		return fmt.Errorf("program path %q names a directory", program)
	}
	return nil
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// argName names argument i (0-based among the arguments, the program not counted).
func argName(i int) string { return fmt.Sprintf("argument %d", i+1) }
