package winquote

import "strings"

// CmdDisplay is the command line of CmdLine as a person reads it: the same program and
// arguments, accepted and refused alike, but an argument that cmd.exe and the C runtime
// both take literally stands bare ("--suspend", `C:\dir`), one they take literally inside
// plain double quotes is written so (`"C:\Program Files\x"`), and only the others carry
// CmdLine's escaped quotes and carets. Typed at cmd.exe, it gives the program the same argv
// as the request the transport sends.
func CmdDisplay(program string, args []string) (string, error) {
	if _, err := CmdLine(program, args); err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`"` + program + `"`)
	for _, a := range args {
		b.WriteByte(' ')
		switch {
		case bareCmdArg(a):
			b.WriteString(a)
		case plainQuotedCmdArg(a):
			b.WriteString(`"` + a + `"`)
		default:
			b.WriteString(caretEscape(quoteCRT(a)))
		}
	}
	return b.String(), nil
}

// bareCmdArg reports whether a needs no quoting on a cmd.exe command line: not empty, and no
// blank, double quote, cmd.exe special character or control character. (Backslashes are
// literal to the C runtime unless a double quote follows them.)
func bareCmdArg(a string) bool {
	if a == "" {
		return false
	}
	for _, r := range a {
		if r <= ' ' || r == 0x7f || r == '"' || strings.ContainsRune(cmdSpecial, r) {
			return false
		}
	}
	return true
}

// plainQuotedCmdArg reports whether "a" in plain double quotes passes a unchanged: cmd.exe
// takes everything inside quotes literally except "%" (and "!" with delayed expansion, which
// the transport refuses), and the C runtime everything except a double quote and backslashes
// before the closing quote.
func plainQuotedCmdArg(a string) bool {
	if strings.HasSuffix(a, `\`) || strings.ContainsAny(a, `"%!`) {
		return false
	}
	for _, r := range a {
		if r < ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

// PowerShellDisplay is the command of PowerShellLine as a person reads it: the call without
// the trailing "; exit $LASTEXITCODE" that only carries the exit status back.
func PowerShellDisplay(program string, args []string) (string, error) {
	line, err := PowerShellLine(program, args)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(line, psExitSuffix), nil
}
