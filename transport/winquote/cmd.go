package winquote

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// MaxCmdLine is cmd.exe's limit on a command line, in UTF-16 characters (Microsoft Learn,
// "Command prompt (Cmd.exe) command-line string limitation": 8191 characters).
const MaxCmdLine = 8191

// defaultCmdWrapping is what OpenSSH adds around the request for the default shell path:
// `"C:\Windows\System32\cmd.exe" /c "` and the closing quote.
const defaultCmdWrapping = len(`"C:\Windows\System32\cmd.exe" /c ""`)

// cmdSpecial are the characters cmd.exe's parser treats specially outside quotes and that
// get a caret: Ansible's plugins/shell/cmd.py escapes the same set (^ ( ) % ! " < > & |).
const cmdSpecial = `^&|<>()%!"`

// CmdLine returns the exec request string for a node whose DefaultShell is cmd.exe, so that
// program (an absolute path) receives exactly args as argv[1:].
//
// The request is `"<program>" <arg> <arg>...`. The program path stands in real double
// quotes: cmd.exe reads everything inside them literally except "%", which checkProgram
// refuses. Each argument is first quoted for the C runtime (quoteCRT), then every cmd.exe
// special character of the result gets a caret, the double quotes included. Escaped
// quotes do not switch cmd.exe into quoted mode, so the whole argument area is parsed
// outside quotes, where a caret makes the next character literal and is removed (the
// technique of Ansible's plugins/shell/cmd.py and of the Microsoft blog post it links,
// "Everyone quotes command line arguments the wrong way").
//
// Percent signs: cmd.exe expands "%name%" before it looks at carets, and on a command
// line an undefined name is left as it is. A caret cannot stop that ("^%PATH^%" still
// looks up a variable named "PATH^"; "%PATH:a=b^%" even expands PATH), so instead the
// character right after every "%" gets a caret too: every name cmd.exe could try then
// begins with "^". This relies on no environment variable having a name that begins with
// "^" (no public source says such names cannot exist; none are set by Windows).
//
// Exclamation marks are escaped as "^!", which is right while delayed expansion is off,
// the default for "cmd /c" (cmd /?: /V:ON enables it; the registry value
// HKLM\Software\Microsoft\Command Processor\DelayedExpansion can turn it on for every
// cmd.exe). With delayed expansion on, "!name!" would expand and carets would be taken a
// second time: the node check (transport/sshnode, checkCmdSetup) refuses such a node.
//
// An argument that cannot be passed (see checkText) is refused with an error naming it,
// and so is a request longer than cmd.exe's line limit.
func CmdLine(program string, args []string) (string, error) {
	if err := checkProgram(program); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`"` + program + `"`)
	for i, a := range args {
		if err := checkText(argName(i), a); err != nil {
			return "", err
		}
		b.WriteByte(' ')
		b.WriteString(caretEscape(quoteCRT(a)))
	}
	req := b.String()
	if n := len(utf16.Encode([]rune(req))) + defaultCmdWrapping; n > MaxCmdLine {
		return "", fmt.Errorf("command line for %s is %d characters, more than cmd.exe's limit of %d", program, n, MaxCmdLine)
	}
	return req, nil
}

// caretEscape puts a caret before every cmd.exe special character and before the
// character that follows a "%" (see CmdLine for why).
func caretEscape(s string) string {
	var b strings.Builder
	afterPercent := false
	for _, r := range s {
		if afterPercent || strings.ContainsRune(cmdSpecial, r) {
			b.WriteByte('^')
		}
		b.WriteRune(r)
		afterPercent = r == '%'
	}
	return b.String()
}
