package wincmd

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The examples of Microsoft's "Parsing C command-line arguments"
// (learn.microsoft.com/cpp/c-language/parsing-c-command-line-arguments; the last row as
// corrected by MicrosoftDocs/cpp-docs pull request 4643), each behind the program name, plus
// one case per rule of SplitArgs.
func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		rule, line string
		want       []string
	}{
		{"doc 1", `p "a b c" d e`, []string{"p", "a b c", "d", "e"}},
		{"doc 2", `p "ab\"c" "\\" d`, []string{"p", `ab"c`, `\`, "d"}},
		{"doc 3", `p a\\\b d"e f"g h`, []string{"p", `a\\\b`, "de fg", "h"}},
		{"doc 4", `p a\\\"b c d`, []string{"p", `a\"b`, "c", "d"}},
		{"doc 5", `p a\\\\"b c" d e`, []string{"p", `a\\b c`, "d", "e"}},
		{"doc 6 (PR 4643)", `p a"b"" c d`, []string{"p", `ab"`, "c", "d"}},
		{"R0 quoted program name", `"C:\Program Files\x\a.exe" b`, []string{`C:\Program Files\x\a.exe`, "b"}},
		{"R0 backslash literal before quote", `C:\a\"b c`, []string{`C:\a\b c`}},
		{"R1 tabs and runs of blanks", "p a \t  b", []string{"p", "a", "b"}},
		{"R2 empty quoted argument", `p "" x`, []string{"p", "", "x"}},
		{"R3 caret literal", `p a^b`, []string{"p", "a^b"}},
		{"R4 trailing backslashes", `p C:\dir\ x`, []string{"p", `C:\dir\`, "x"}},
		{"R5 even backslashes before closing quote", `p "C:\dir\\" x`, []string{"p", `C:\dir\`, "x"}},
		{"R8 unterminated quote", `p "a b`, []string{"p", "a b"}},
		{"no arguments", `p`, []string{"p"}},
	} {
		if diff := cmp.Diff(tc.want, SplitArgs(tc.line)); diff != "" {
			t.Errorf("%s: SplitArgs(%q) (-want +got):\n%s", tc.rule, tc.line, diff)
		}
	}
}
