package wincmd

import (
	"fmt"
	"strings"
)

// refusal is a command line the lab will not run: a real cmd.exe would do something the tool
// must never ask for (a chain, a redirection, a block, a builtin ...).
type refusal struct{ msg string }

func (r refusal) Error() string { return r.msg }

func refuse(format string, args ...any) error { return refusal{fmt.Sprintf(format, args...)} }

// parsed is a command line after cmd.exe's phase 2: the program token and the command line the
// program receives.
type parsed struct {
	token       string // the program token as typed, quotes kept ("C:\x y\a.exe")
	name        string // the token without its quotes: the name to resolve
	commandLine string // what CreateProcess gets: carets consumed, quotes kept
}

// parse performs cmd.exe's special-character phase on an expanded line, after dbenham's
// analysis (https://stackoverflow.com/a/4095133, phase 2) and Microsoft's documentation of the
// escape character and the operators
// (https://learn.microsoft.com/windows-server/administration/windows-commands/cmd, "You can
// use ... special characters ... &<>()@^|", and "Using command redirection operators"):
//
//   - a double quote switches the quoted state and is kept; inside quotes every character is
//     literal, ^ included;
//   - outside quotes, ^ makes the next character literal and is removed;
//   - outside quotes, & && | || < > (and the n> forms) chain or redirect: REFUSED;
//   - ( opening the command starts a block: REFUSED; a leading @ (echo off): REFUSED;
//   - CR and LF end the command line in cmd: REFUSED (the tool cannot send them);
//   - a ^ ending the line asks for "More?": REFUSED.
//
// Leading spaces and tabs are skipped. The program token runs to the first space or tab
// outside quotes; a token with a caret or with , ; = outside quotes is refused (cmd splits
// tokens there in ways the lab does not emulate).
func parse(line string) (parsed, error) {
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		return parsed{}, refuse("a line break inside the command line is refused (cmd.exe would end the command there)")
	}
	line = strings.TrimLeft(line, " \t")
	if line == "" {
		return parsed{}, refuse("an empty command line is refused")
	}
	switch line[0] {
	case '(':
		return parsed{}, refuse("a command block ( ... ) is refused")
	case '@':
		return parsed{}, refuse("a leading @ is refused")
	}
	var out strings.Builder
	quoted := false
	tokenEnd := -1 // index in out where the token ends
	tokenCaret := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		inToken := tokenEnd < 0
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '^':
			if i+1 >= len(line) {
				return parsed{}, refuse("a ^ at the end of the line is refused (cmd.exe would ask for More?)")
			}
			if inToken {
				tokenCaret = true
			}
			i++
			c = line[i]
		case c == '&' || c == '|' || c == '<' || c == '>':
			op := string(c)
			if i+1 < len(line) && (line[i+1] == c || c == '>' && line[i+1] == '&') {
				op += string(line[i+1])
			}
			return parsed{}, refuse("the operator %s is refused: the tool never chains commands or redirects (issue 17)", op)
		case inToken && (c == ' ' || c == '\t'):
			tokenEnd = out.Len()
		case inToken && (c == ',' || c == ';' || c == '='):
			return parsed{}, refuse("%q in the program name is refused (cmd.exe splits the command there)", string(c))
		}
		out.WriteByte(c)
	}
	cl := out.String()
	if tokenEnd < 0 {
		tokenEnd = len(cl)
	}
	token := cl[:tokenEnd]
	if tokenCaret {
		return parsed{}, refuse("an escaped program name (%s) is refused: quote it", token)
	}
	return parsed{token: token, name: strings.ReplaceAll(token, `"`, ""), commandLine: cl}, nil
}

// builtins are cmd.exe's internal commands (Microsoft, "Windows commands",
// https://learn.microsoft.com/windows-server/administration/windows-commands/windows-commands,
// and the list `help` prints). cmd.exe runs them itself before any program search: the lab
// refuses them all.
var builtins = map[string]bool{
	"assoc": true, "break": true, "call": true, "cd": true, "chdir": true, "cls": true,
	"color": true, "copy": true, "date": true, "del": true, "dir": true, "dpath": true,
	"echo": true, "endlocal": true, "erase": true, "exit": true, "for": true, "ftype": true,
	"goto": true, "if": true, "keys": true, "md": true, "mkdir": true, "mklink": true,
	"move": true, "path": true, "pause": true, "popd": true, "prompt": true, "pushd": true,
	"rd": true, "rem": true, "ren": true, "rename": true, "rmdir": true, "set": true,
	"setlocal": true, "shift": true, "start": true, "time": true, "title": true, "type": true,
	"ver": true, "verify": true, "vol": true,
}

// builtin reports whether name is a cmd.exe internal command, also in the glued forms cmd
// accepts (echo. cd\ cd.. echo( ...).
func builtin(name string) (string, bool) {
	lower := strings.ToLower(name)
	if builtins[lower] {
		return lower, true
	}
	if i := strings.IndexAny(lower, `./\:(+[]`); i > 0 && builtins[lower[:i]] {
		return lower[:i], true
	}
	return "", false
}
