package wincmd

import "strings"

// slashC applies cmd.exe's /c quote rule to the rest of its command line, which Win32-OpenSSH
// always makes `"<command>"`. The rule, as `cmd /?` prints it (Microsoft, "cmd",
// https://learn.microsoft.com/windows-server/administration/windows-commands/cmd):
//
//  1. quote characters are preserved when all of: no /S switch (OpenSSH passes none); exactly
//     two quote characters; no special character &<>()@^| between them; one or more
//     whitespace characters between them; the string between them is the name of an
//     executable file;
//  2. otherwise, when the first character is a quote, it is stripped and the last quote
//     character on the line is removed, the text after it kept.
//
// isExecutable answers the last condition of rule 1.
func slashC(rest string, isExecutable func(name string) bool) string {
	if strings.Count(rest, `"`) == 2 {
		first := strings.IndexByte(rest, '"')
		last := strings.LastIndexByte(rest, '"')
		between := rest[first+1 : last]
		if !strings.ContainsAny(between, "&<>()@^|") && strings.ContainsAny(between, " \t") && isExecutable(between) {
			return rest // rule 1
		}
	}
	if !strings.HasPrefix(rest, `"`) {
		return rest
	}
	last := strings.LastIndexByte(rest, '"')
	if last == 0 {
		return rest[1:]
	}
	return rest[1:last] + rest[last+1:] // rule 2
}
