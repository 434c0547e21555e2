package config

import (
	"fmt"
	"strings"
)

// CmdArg quotes s as one argument for cmd.exe: bare when it holds only characters that are
// never special, else in double quotes. Inside double quotes cmd still expands %VAR% (and
// !VAR! when delayed expansion is on, which a registry value can make the default), a quote
// cannot be escaped, and a line break ends the command; such values are refused, as are the
// other metacharacters, so that no quoting mistake can turn a name into a command. The error
// says why, as a phrase ("contains '%'"). Windows scripts are rendered with it, and validation
// uses it to refuse what they could not render.
func CmdArg(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("is empty")
	}
	if strings.HasPrefix(s, "/") {
		// ARMLOAD would read it as one of its own options, quoted or not.
		return "", fmt.Errorf("starts with %q", "/")
	}
	bare := true
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			return "", fmt.Errorf("contains control character %U", r)
		case strings.ContainsRune(`"%^&|<>!`, r):
			return "", fmt.Errorf("contains %q", r)
		case r < 0x80 && (isAlnum(byte(r)) || strings.ContainsRune(`_-.:\`, r)):
		default:
			bare = false
		}
	}
	if bare {
		return s, nil
	}
	return `"` + s + `"`, nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
