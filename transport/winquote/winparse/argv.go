// Package winparse is an independent model of how a Windows node turns the exec request
// string of Microsoft's OpenSSH into the argv a program receives: cmd.exe's "/c" quote
// stripping (cmd /?), its percent expansion and caret/quote handling (phases 1 and 2 of
// its line parser), and the Microsoft C runtime's argument splitting (CommandLineToArgvW).
//
// It exists to test transport/winquote against rules written down separately from the
// encoder, and for the Windows lab node to reuse. It is deliberately strict: whatever real
// cmd.exe would treat as a command separator, redirection or block is reported as an
// error instead of being emulated.
package winparse

import "strings"

// CommandLineToArgv splits a Windows command line as the Microsoft C runtime does for a
// program's main (Microsoft Learn, "Parsing C command-line arguments"; the same rules as
// shell32 CommandLineToArgvW for the cases below):
//
//   - argv[0] is the program name: a double quote toggles quoting and is dropped, and a
//     space or tab outside quotes ends it; backslashes are never special there.
//   - Later arguments are separated by spaces and tabs outside quotes.
//   - A double quote outside quotes starts a quoted part; inside quotes it ends it, except
//     that two double quotes in a row inside quotes yield one literal double quote and end
//     the quoted part: `a"b"" c d` gives `ab"`, `c`, `d` (the examples table as corrected
//     by MicrosoftDocs/cpp-docs#4643). Implementations differ here (CommandLineToArgvW,
//     older C runtimes), which is why transport/winquote never produces "" inside a
//     quoted part.
//   - Backslashes are literal unless they precede a double quote: 2n backslashes and a
//     quote give n backslashes and a quote delimiter, 2n+1 backslashes and a quote give n
//     backslashes and a literal quote.
//   - "" alone makes an empty argument.
func CommandLineToArgv(line string) []string {
	r := []rune(line)
	i := 0
	var argv []string

	// argv[0]
	var b strings.Builder
	inQuote := false
	for ; i < len(r); i++ {
		c := r[i]
		if c == '"' {
			inQuote = !inQuote
			continue
		}
		if !inQuote && (c == ' ' || c == '\t') {
			break
		}
		b.WriteRune(c)
	}
	argv = append(argv, b.String())

	for {
		for i < len(r) && (r[i] == ' ' || r[i] == '\t') {
			i++
		}
		if i >= len(r) {
			return argv
		}
		b.Reset()
		inQuote = false
		for i < len(r) {
			c := r[i]
			if !inQuote && (c == ' ' || c == '\t') {
				break
			}
			switch c {
			case '\\':
				n := 0
				for i < len(r) && r[i] == '\\' {
					n++
					i++
				}
				if i < len(r) && r[i] == '"' {
					b.WriteString(strings.Repeat(`\`, n/2))
					if n%2 == 1 {
						b.WriteRune('"')
						i++
					}
					// even: the quote is handled as a delimiter on the next turn
				} else {
					b.WriteString(strings.Repeat(`\`, n))
				}
				continue
			case '"':
				if inQuote && i+1 < len(r) && r[i+1] == '"' {
					b.WriteRune('"')
					inQuote = false
					i += 2
					continue
				}
				inQuote = !inQuote
				i++
				continue
			default:
				b.WriteRune(c)
				i++
			}
		}
		argv = append(argv, b.String())
	}
}
