package wincmd

import "strings"

// delayedExpand performs cmd.exe's delayed expansion (the DelayedExpansion registry value, cmd
// /V:ON) on one token of a parsed command: the program token, or the argument text after it.
// Microsoft documents only that "!VAR!" is then expanded when the command runs (cmd /?, /V:ON;
// the DelayedExpansion entry); the rules below are those of dbenham's and jeb's analysis of
// the parser ("How does the Windows Command Interpreter (CMD.EXE) parse scripts?",
// https://stackoverflow.com/a/4095133, phase 5, and jeb on dostips.com, "there are exactly
// three different caret phases": the delayed phase "doesn't care about quotes" and "is only
// executed if there is at least one exclamation mark"):
//
//   - it runs after the special-character phase (parse), on each token separately;
//   - a token without "!" is left exactly as it is, carets included;
//   - in a token with "!", quotes mean nothing: a caret makes the next character literal and
//     is removed, inside quotes too;
//   - "!NAME!" is replaced by the value of NAME (carets are not looked at between the two).
//
// What the analysis describes but the lab does not emulate is refused: an undefined name, an
// empty "!!", an unpaired "!", a caret ending the token, and the ":" modifiers. The tool refuses
// nodes with delayed expansion (transport/sshnode, dialect check), so only its probe, whose
// name holds "!OS!", meets this code.
func delayedExpand(token string, env Env) (string, error) {
	if !strings.Contains(token, "!") {
		return token, nil
	}
	var b strings.Builder
	for i := 0; i < len(token); i++ {
		switch c := token[i]; c {
		case '^':
			if i+1 == len(token) {
				return "", refuse("delayed expansion: a caret ending %q is not emulated", token)
			}
			i++
			b.WriteByte(token[i])
		case '!':
			end := strings.IndexByte(token[i+1:], '!')
			if end < 0 {
				return "", refuse("delayed expansion: the unpaired ! in %q is not emulated", token)
			}
			name := token[i+1 : i+1+end]
			if name == "" || strings.ContainsRune(name, ':') {
				return "", refuse("delayed expansion: !%s! is not emulated", name)
			}
			v, ok := env.Get(name)
			if !ok {
				return "", refuse("delayed expansion: !%s! names an undefined variable, which the lab does not emulate", name)
			}
			b.WriteString(v)
			i += end + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
