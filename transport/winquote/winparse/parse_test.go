package winparse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The examples of Microsoft Learn, "Parsing C command-line arguments" (the table of
// interpreted results), with a program name in front.
func TestCommandLineToArgvMicrosoftExamples(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{`p "abc" d e`, []string{"p", "abc", "d", "e"}},
		{`p a\\b d"e f"g h`, []string{"p", `a\\b`, "de fg", "h"}},
		{`p a\\\"b c d`, []string{"p", `a\"b`, "c", "d"}},
		{`p a\\\\"b c" d e`, []string{"p", `a\\b c`, "d", "e"}},
		{`p a"b"" c d`, []string{"p", `ab"`, "c", "d"}}, // as corrected by MicrosoftDocs/cpp-docs#4643
		{`"C:\Program Files\x.exe" ""`, []string{`C:\Program Files\x.exe`, ""}},
		{`"C:\a b\"x y`, []string{`C:\a b\x`, "y"}}, // argv[0]: backslash not special
		{"p \t a \t", []string{"p", "a"}},
		{`p "a`, []string{"p", "a"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, CommandLineToArgv(tt.line)); diff != "" {
			t.Errorf("CommandLineToArgv(%s) (-want +got):\n%s", tt.line, diff)
		}
	}
}

func TestSlashCCommand(t *testing.T) {
	exe := func(s string) bool { return s == `C:\Program Files\a.exe` }
	tests := []struct{ rest, want string }{
		// more than two quotes: first and last removed
		{`""C:\p.exe" "a""`, `"C:\p.exe" "a"`},
		// text after the last quote is kept
		{`"a" b"c`, `a" bc`},
		// exactly two quotes, whitespace, no specials, an executable: kept
		{`"C:\Program Files\a.exe"`, `"C:\Program Files\a.exe"`},
		// the same but not an executable: stripped
		{`"C:\Program Files\b.exe"`, `C:\Program Files\b.exe`},
		// a special character between the two quotes: stripped
		{`"C:\Program Files\a.exe&"`, `C:\Program Files\a.exe&`},
		// no leading quote: unchanged
		{`x "y"`, `x "y"`},
	}
	for _, tt := range tests {
		if got := SlashCCommand(tt.rest, exe); got != tt.want {
			t.Errorf("SlashCCommand(%s) = %s, want %s", tt.rest, got, tt.want)
		}
	}
}

func TestExpandPercent(t *testing.T) {
	env := map[string]string{"PATH": "P", "=C:": "D"}
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"%PATH%", "P", false},
		{"%path%", "P", false},
		{"%NOPE%", "%NOPE%", true},
		{"%^PATH%", "%^PATH%", true},
		{"%PATH:a=b%", "P", false},
		{"%=C:%", "D", false},
		{"100%", "100%", true},
		{"%%", "%%", true},
		// any % may open: "a%x%PATH%" reaches PATH when the scan restarts after "%x"
		{"%x%PATH%", "%xP", false},
	}
	for _, tt := range tests {
		got, ok := ExpandPercent(tt.in, env)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ExpandPercent(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCaretPhase(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{`"C:\p.exe" ^"a b^"`, `"C:\p.exe" "a b"`, ""},
		{`"a & b" c`, `"a & b" c`, ""},
		{`a ^& b ^^ c`, `a & b ^ c`, ""},
		{`"q" ^"x`, `"q" "x`, ""},
		{`a & b`, "", "unescaped '&'"},
		{`a | b`, "", "unescaped '|'"},
		{`a > b`, "", "unescaped '>'"},
		{`a (b`, "", "unescaped '('"},
		{`"x" ^"a^"&b`, "", "unescaped '&'"}, // escaped quotes never open: & is outside
		{`"x" ^"a"&b`, `"x" "a"&b`, ""},      // an unescaped quote opens: & is inside
		{`a ^`, "", "caret at end"},
		{"a\nb", "", "control character"},
	}
	for _, tt := range tests {
		got, err := CaretPhase(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("CaretPhase(%s) = %q, %v; want error %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CaretPhase(%s) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestRunCmdRefusesExpansion(t *testing.T) {
	if _, err := RunCmd(`"C:\p.exe" %PATH%`, map[string]string{"PATH": "x"}); err == nil {
		t.Fatal("RunCmd let %PATH% expand without an error")
	}
}

func TestOpenSSHSpawnCommandLine(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-c", "a b"}, `"C:\sh.exe" -c "a b"`},
		{[]string{"-c", `a"b`}, `"C:\sh.exe" -c a\"b`},
		{[]string{"-c", `a\"b c`}, `"C:\sh.exe" -c "a\\\"b c"`},
		{[]string{"-c", `a b\`}, `"C:\sh.exe" -c "a b\"`}, // not doubled: the closing quote is escaped
		{[]string{"-c", `'a b'`}, `"C:\sh.exe" -c 'a b'`}, // a leading single quote: no quotes
		{[]string{"-c", "a\tb"}, "\"C:\\sh.exe\" -c a\tb"},
	}
	for _, tt := range tests {
		if got := OpenSSHSpawnCommandLine(`C:\sh.exe`, tt.args); got != tt.want {
			t.Errorf("OpenSSHSpawnCommandLine(%q) = %s, want %s", tt.args, got, tt.want)
		}
	}
	// The consequence PowerShellLine avoids: a trailing backslash swallows the closing quote.
	if got := CommandLineToArgv(OpenSSHSpawnCommandLine(`C:\sh.exe`, []string{"-c", `a b\`})); len(got) != 3 || got[2] != `a b"` {
		t.Errorf("argv = %q", got)
	}
}
