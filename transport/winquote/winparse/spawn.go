package winparse

import "strings"

// OpenSSHSpawnCommandLine is the command line Microsoft's OpenSSH builds from argv when it
// starts a PowerShell, bash or cygwin DefaultShell (argv {shell, "-c", request} through
// posix_spawn; PowerShell/openssh-portable contrib/win32/win32compat/misc.c,
// build_commandline_string):
//
//   - the program path is enclosed in double quotes;
//   - an argument that contains a space and does not begin with a single quote is enclosed
//     in double quotes (a tab alone does not count);
//   - each double quote gets a backslash before it;
//   - a run of backslashes is doubled when a double quote follows it in the argument, and
//     left as it is otherwise, also before the closing quote added above.
func OpenSSHSpawnCommandLine(program string, args []string) string {
	var b strings.Builder
	b.WriteString(`"` + program + `"`)
	for _, a := range args {
		b.WriteByte(' ')
		quote := !strings.HasPrefix(a, "'") && strings.Contains(a, " ")
		if quote {
			b.WriteByte('"')
		}
		r := []rune(a)
		for i := 0; i < len(r); i++ {
			switch r[i] {
			case '\\':
				n := 0
				for i < len(r) && r[i] == '\\' {
					n++
					i++
				}
				if i < len(r) && r[i] == '"' {
					n *= 2
				}
				b.WriteString(strings.Repeat(`\`, n))
				i--
			case '"':
				b.WriteString(`\"`)
			default:
				b.WriteRune(r[i])
			}
		}
		if quote {
			b.WriteByte('"')
		}
	}
	return b.String()
}
