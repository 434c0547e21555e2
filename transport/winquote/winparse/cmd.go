package winparse

import (
	"fmt"
	"strings"
	"unicode"
)

// OpenSSHCmdLine is the command line Microsoft's OpenSSH gives CreateProcess for an exec
// request without a pty when the DefaultShell is cmd.exe: the shell path in quotes, the
// command option ("/c" unless DefaultShellCommandOption says otherwise) and the request
// string in quotes, inserted without any escaping (PowerShell/openssh-portable
// contrib/win32/win32compat/w32-doexec.c, do_exec_windows: `"%s %s \"%s\""` with
// shell_type SH_CMD).
func OpenSSHCmdLine(shell, option, command string) string {
	return `"` + shell + `" ` + option + ` "` + command + `"`
}

// SlashCCommand returns the command cmd.exe runs for "cmd.exe /c <rest>", where rest is
// the text after "/c". The rule is cmd.exe's own (cmd /?, "If /C or /K is specified"):
// the quotes are kept only when all of these hold: no /S switch, exactly two quote
// characters, no special character (&<>()@^|) between them, whitespace between them, and
// the text between them names an executable file. Otherwise, when the first character is
// a quote, that quote and the last quote on the line are removed and the text after the
// last quote is kept. isExecutable answers condition 5; nil means "no such file".
func SlashCCommand(rest string, isExecutable func(string) bool) string {
	s := strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(s, `"`) {
		return s
	}
	if strings.Count(s, `"`) == 2 {
		last := strings.LastIndex(s, `"`)
		inner := s[1:last]
		if !strings.ContainsAny(inner, "&<>()@^|") && strings.ContainsAny(inner, " \t") &&
			isExecutable != nil && isExecutable(inner) {
			return s
		}
	}
	last := strings.LastIndex(s, `"`)
	return s[1:last] + s[last+1:]
}

// ExpandPercent models phase 1 of cmd.exe's line parser in command-line context (not a
// batch file). Microsoft does not document the parser; the phases are those of the
// experimental model in Stack Overflow question 4094699, "How does the Windows Command
// Interpreter (CMD.EXE) parse scripts?" (percent expansion, then special characters and
// carets, then delayed expansion): "%name%" is replaced by the value of the environment variable name, and
// left as it is when name is not defined (on a command line an undefined variable stays
// literally, unlike in a batch file where it becomes empty). Names compare without regard
// to case; "%name:...%" (substring or substitution) expands when the part before the
// colon is defined. To be conservative, every "%" is tried as an opening one, so the
// result reports an expansion that any scanning order could make. ok is false when any
// expansion happened.
func ExpandPercent(line string, env map[string]string) (out string, ok bool) {
	ok = true
	var b strings.Builder
	i := 0
	for i < len(line) {
		if line[i] != '%' {
			b.WriteByte(line[i])
			i++
			continue
		}
		j := strings.IndexByte(line[i+1:], '%')
		if j < 0 {
			b.WriteString(line[i:])
			break
		}
		name := line[i+1 : i+1+j]
		v, defined := lookupEnv(env, name)
		if base, _, colon := strings.Cut(name, ":"); !defined && colon {
			v, defined = lookupEnv(env, base)
		}
		if defined && name != "" {
			ok = false
			b.WriteString(v)
			i += j + 2
			continue
		}
		b.WriteByte('%')
		i++
	}
	return b.String(), ok
}

func lookupEnv(env map[string]string, name string) (string, bool) {
	for k, v := range env {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// CaretPhase models phase 2 of cmd.exe's line parser (same source as ExpandPercent) for a
// line that runs one external program: outside double quotes a caret makes the next character literal and is
// removed; a double quote (not escaped) toggles quoting and is kept; inside quotes
// carets and special characters are literal. Any unescaped & | < > ( ) outside quotes
// would make cmd.exe chain, pipe, redirect or open a block, so it is an error here, as
// is a caret at the end of the line (a line continuation) and CR or LF. The result is the
// command line cmd.exe hands to CreateProcess.
func CaretPhase(line string) (string, error) {
	var b strings.Builder
	inQuote := false
	r := []rune(line)
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c == '\r' || c == '\n' || c == 0 {
			return "", fmt.Errorf("control character %U at %d ends the command", c, i)
		}
		if inQuote {
			if c == '"' {
				inQuote = false
			}
			b.WriteRune(c)
			continue
		}
		switch c {
		case '^':
			if i+1 >= len(r) {
				return "", fmt.Errorf("caret at end of line (continuation)")
			}
			i++
			b.WriteRune(r[i])
		case '"':
			inQuote = true
			b.WriteRune(c)
		case '&', '|', '<', '>', '(', ')':
			return "", fmt.Errorf("unescaped %q at %d outside quotes", c, i)
		default:
			b.WriteRune(c)
		}
	}
	return b.String(), nil
}

// RunCmd takes what a cmd.exe node does with an exec request string, end to end, and
// returns the argv of the program it starts: OpenSSH's wrapping, the /c quote
// stripping, percent expansion (an error if any variable of env expanded), the caret
// phase, and the C runtime's argument splitting. Delayed expansion (!) is assumed off,
// cmd.exe's default.
func RunCmd(request string, env map[string]string) ([]string, error) {
	line := OpenSSHCmdLine(`C:\Windows\system32\cmd.exe`, "/c", request)
	_, rest, _ := strings.Cut(line, " /c ")
	cmd := SlashCCommand(rest, nil)
	expanded, ok := ExpandPercent(cmd, env)
	if !ok {
		return nil, fmt.Errorf("an environment variable expanded: %q became %q", cmd, expanded)
	}
	prog, err := CaretPhase(expanded)
	if err != nil {
		return nil, err
	}
	prog = strings.TrimLeftFunc(prog, unicode.IsSpace)
	return CommandLineToArgv(prog), nil
}
