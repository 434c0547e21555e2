package wincmd

import "strings"

// SplitArgs splits a program's command line into argv the way the Microsoft C runtime and
// CommandLineToArgvW do, as Microsoft documents it in "Parsing C command-line arguments"
// (https://learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments, with the
// corrected example row of MicrosoftDocs/cpp-docs pull request 4643), rule by rule:
//
//   - R0 argv[0], the program name, is special: it runs to the first space or tab outside
//     double quotes; quotes only switch the quoted state and are dropped; backslashes are
//     always literal.
//   - R1 Arguments are delimited by white space: a space or a tab.
//   - R2 A string in double quotes is one argument whatever white space it holds; a quoted
//     string can be embedded in an argument ( a"b c"d is one argument, ab cd).
//   - R3 The caret ^ is neither an escape nor a delimiter (cmd.exe has already consumed it).
//   - R4 Backslashes are literal unless they immediately precede a double quote.
//   - R5 2n backslashes and a double quote: n backslashes, and the quote switches the quoted
//     state.
//   - R6 2n+1 backslashes and a double quote: n backslashes and a literal double quote.
//   - R7 Inside a quoted string, a pair of double quotes "" gives one literal double quote and
//     ends the quoted string (the documented example a"b"" c d gives ab", c, d).
//   - R8 A command line that ends inside a quoted string: what was read is the last argument.
func SplitArgs(line string) []string {
	var argv []string
	i := 0
	// R0: the program name.
	var name strings.Builder
	quoted := false
	for ; i < len(line); i++ {
		c := line[i]
		if c == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (c == ' ' || c == '\t') {
			break
		}
		name.WriteByte(c)
	}
	argv = append(argv, name.String())

	for {
		// R1: skip the white space between arguments.
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			return argv
		}
		var arg strings.Builder
		quoted = false
		for i < len(line) {
			c := line[i]
			switch {
			case c == '\\':
				n := 0
				for i < len(line) && line[i] == '\\' {
					n++
					i++
				}
				if i < len(line) && line[i] == '"' {
					arg.WriteString(strings.Repeat(`\`, n/2))
					if n%2 == 1 { // R6
						arg.WriteByte('"')
						i++
					}
					// R5: the quote is handled by the next iteration.
					continue
				}
				arg.WriteString(strings.Repeat(`\`, n)) // R4
				continue
			case c == '"':
				if quoted && i+1 < len(line) && line[i+1] == '"' { // R7
					arg.WriteByte('"')
					quoted = false
					i += 2
					continue
				}
				quoted = !quoted // R2, R5
				i++
				continue
			case !quoted && (c == ' ' || c == '\t'): // R1
				goto next
			}
			arg.WriteByte(c) // R3: ^ and everything else is literal
			i++
		}
	next:
		argv = append(argv, arg.String()) // R8 when the line ended quoted
	}
}
