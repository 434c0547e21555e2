package winquote

import "strings"

// quoteCRT quotes one argument so that the Microsoft C runtime (and CommandLineToArgvW)
// reads it back unchanged (Microsoft Learn, "Parsing C command-line arguments"): the
// argument is always enclosed in double quotes; a run of n backslashes followed by a
// double quote becomes 2n+1 backslashes and the quote; a run of n backslashes at the end
// becomes 2n backslashes before the closing quote; other backslashes stay single.
// Always quoting keeps the empty argument ("") and leading or trailing blanks.
func quoteCRT(arg string) string {
	var b strings.Builder
	b.WriteByte('"')
	backslashes := 0
	for _, r := range arg {
		switch r {
		case '\\':
			backslashes++
			continue
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*backslashes+1))
			b.WriteByte('"')
		default:
			b.WriteString(strings.Repeat(`\`, backslashes))
			b.WriteRune(r)
		}
		backslashes = 0
	}
	b.WriteString(strings.Repeat(`\`, 2*backslashes))
	b.WriteByte('"')
	return b.String()
}
