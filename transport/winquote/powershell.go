package winquote

import (
	"fmt"
	"strings"
)

// PowerShellLine returns the exec request string for a node whose DefaultShell is Windows
// PowerShell (or pwsh), so that program receives exactly args as argv[1:]:
//
//	& 'C:\path\prog.exe' 'arg1' 'arg2'; exit $LASTEXITCODE
//
// Why this form and not -EncodedCommand: OpenSSH passes the request as the one argument
// after "-c" (w32-doexec.c). Its argv-to-command-line conversion (misc.c,
// build_commandline_string) wraps an element with a space in double quotes unless it
// begins with a single quote, escapes double quotes with a backslash, and leaves a
// backslash before its own closing quote undoubled. This request begins with "&",
// contains a space, contains no double quote and ends in a letter, so it arrives as
// exactly one argument, unchanged; PowerShell runs it as the -Command text. Ansible's
// -EncodedCommand form (plugins/shell/powershell.py) survives too, but needs a second
// powershell.exe started from the first one for every command.
//
// Inside, each string is a PowerShell single-quoted literal: nothing is expanded, and a
// single quote is written twice; PowerShell also takes the typographic quotes U+2018,
// U+2019, U+201A and U+201B as single quotes, so they are doubled as well.
//
// PowerShell then builds the program's command line itself. Windows PowerShell 5.1 (what
// Windows Server ships; "Legacy" argument passing) drops empty arguments, wraps an
// argument that contains whitespace in double quotes without escaping anything, and does
// not escape embedded double quotes (PowerShell/PowerShell#1995; about_Parsing,
// $PSNativeCommandArgumentPassing). PowerShell 7.3+ escapes correctly, and 7.3+ on Windows
// still uses the legacy rules for some programs. So only arguments that every mode passes
// unchanged are accepted: not empty, no double quote, and no whitespace together with a
// trailing backslash. Anything else is refused with an error naming the argument: use a
// cmd.exe DefaultShell (CmdLine) for such arguments.
func PowerShellLine(program string, args []string) (string, error) {
	if err := checkProgram(program); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("& " + psSingleQuote(program))
	for i, a := range args {
		name := argName(i)
		if err := checkText(name, a); err != nil {
			return "", err
		}
		switch {
		case a == "":
			return "", fmt.Errorf("%s is empty: Windows PowerShell drops empty arguments to programs", name)
		case strings.ContainsRune(a, '"'):
			return "", fmt.Errorf("%s contains a double quote, which Windows PowerShell does not pass to programs unchanged: %q", name, a)
		case strings.ContainsAny(a, " \t") && strings.HasSuffix(a, `\`):
			return "", fmt.Errorf("%s contains whitespace and ends in a backslash, which Windows PowerShell does not pass to programs unchanged: %q", name, a)
		}
		b.WriteString(" " + psSingleQuote(a))
	}
	b.WriteString(psExitSuffix)
	return b.String(), nil
}

// psExitSuffix ends every PowerShellLine: the program's exit status becomes the session's.
const psExitSuffix = "; exit $LASTEXITCODE"

// psSingleQuotes are the characters PowerShell's tokenizer takes as a single quote
// (PowerShell/PowerShell src/System.Management.Automation/engine/parser/CharTraits.cs,
// IsSingleQuote).
const psSingleQuotes = "'\u2018\u2019\u201a\u201b"

func psSingleQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		if strings.ContainsRune(psSingleQuotes, r) {
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}
