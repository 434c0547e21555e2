package winquote

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clusterctl/cluster/transport/winquote/winparse"
	"github.com/google/go-cmp/cmp"
)

// nodeEnv is the environment the reference cmd.exe expands from: real Windows names, and
// names an argument below tries to reach.
var nodeEnv = map[string]string{
	"PATH": `C:\Windows\system32;C:\Windows`, "SystemRoot": `C:\Windows`, "USERNAME": "admin",
	"TEMP": `C:\Users\admin\AppData\Local\Temp`, "=C:": `C:\Users\admin`, "=ExitCode": "00000000",
	"x": "EXPANDED", "A B": "EXPANDED", "PATH^": "EXPANDED-CARET-SUFFIX",
}

const prog = `C:\Program Files (x86)\EXPRESSCLUSTER\bin\clpcl.exe`

func TestCmdLineTable(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // the request string; "" = only check the round trip
	}{
		{"no args", nil, `"` + prog + `"`},
		{"plain", []string{"--suspend"}, `"` + prog + `" ^"--suspend^"`},
		{"empty", []string{""}, `"` + prog + `" ^"^"`},
		{"space", []string{"a b"}, `"` + prog + `" ^"a b^"`},
		{"quote", []string{`a"b`}, `"` + prog + `" ^"a\^"b^"`},
		{"trailing backslash", []string{`C:\dir\`}, `"` + prog + `" ^"C:\dir\\^"`},
		{"backslashes before quote", []string{`a\\"b`}, `"` + prog + `" ^"a\\\\\^"b^"`},
		{"percent var", []string{"%PATH%"}, `"` + prog + `" ^"^%^PATH^%^"`},
		{"percent twice", []string{"%%"}, `"` + prog + `" ^"^%^%^"`},
		{"metachars", []string{"a&b|c<d>e(f)g^h!i"}, `"` + prog + `" ^"a^&b^|c^<d^>e^(f^)g^^h^!i^"`},
		{"substitution", []string{"%PATH:a=b%"}, ""},
		{"hidden vars", []string{"%=C:%", "%=ExitCode%"}, ""},
		{"caret suffix name", []string{"%PATH^%"}, ""},
		{"japanese", []string{"最高プライオリティサーバで起動中です", "/A"}, ""},
		{"tab", []string{"a\tb"}, ""},
		{"only backslashes", []string{`\`, `\\`, `\\\`}, ""},
		{"quotes only", []string{`"`, `""`, `"""`}, ""},
		{"leading trailing space", []string{" a ", "  "}, ""},
		{"percent at end", []string{"100%", "%", "a%b"}, ""},
		{"special var", []string{"%x%", "%A B%", "%x", "x%"}, ""},
		{"dash args", []string{"/MSG", "-x", "--", "/c"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CmdLine(prog, tt.args)
			if err != nil {
				t.Fatalf("CmdLine: %v", err)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("CmdLine = %s\nwant      %s", got, tt.want)
			}
			argv, err := winparse.RunCmd(got, nodeEnv)
			if err != nil {
				t.Fatalf("reference cmd.exe on %s: %v", got, err)
			}
			want := append([]string{prog}, tt.args...)
			if diff := cmp.Diff(want, argv); diff != "" {
				t.Errorf("argv differs (-want +got) for request %s:\n%s", got, diff)
			}
		})
	}
}

func TestCmdLineRefuses(t *testing.T) {
	tests := []struct {
		name, program string
		args          []string
		wantErr       string
	}{
		{"LF", prog, []string{"ok", "a\nb"}, "argument 2 contains a line break"},
		{"CR", prog, []string{"a\rb"}, "argument 1 contains a line break"},
		{"NUL", prog, []string{"a\x00b"}, "argument 1 contains NUL"},
		{"control", prog, []string{"a\x1ab"}, "argument 1 contains control character U+001A"},
		{"invalid utf8", prog, []string{"\xff"}, "argument 1 is not valid UTF-8"},
		{"relative program", `clpcl.exe`, nil, "not an absolute Windows path"},
		{"posix program", `/usr/bin/true`, nil, "contains '/'"},
		{"percent program", `C:\%x%\a.exe`, nil, "would expand"},
		{"quote program", `C:\a"b\a.exe`, nil, "does not allow"},
		{"slash program", `C:/a/b.exe`, nil, "use backslashes"},
		{"directory program", `C:\a\`, nil, "names a directory"},
		{"too long", prog, []string{strings.Repeat("x", MaxCmdLine)}, "more than cmd.exe's limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CmdLine(tt.program, tt.args)
			if err == nil {
				t.Fatalf("CmdLine = %q, want an error containing %q", got, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

// alphabet is what random arguments are made of: every cmd.exe special character, the C
// runtime's quote and backslash, blanks, letters that form variable names, and text
// outside ASCII.
var alphabet = []string{
	" ", "\t", `"`, `\`, `\\`, "^", "&", "|", "<", ">", "(", ")", "%", "!", "=", ":", "~",
	",", ";", "@", "'", "`", "$", "*", "?", "/", "-", "a", "b", "x", "PATH", "%PATH%",
	"%PATH:a=b%", "%x%", "%=C:%", "!x!", "^%", "%^", `\"`, `"\`, "最高", "プライオリティ",
	"é", "😀",
}

func randomArgs(r *rand.Rand) []string {
	args := make([]string, r.IntN(5))
	for i := range args {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		args[i] = b.String()
	}
	return args
}

// TestCmdLineRoundTrip sends random argument lists through the reference model of the
// node (OpenSSH's wrapping, cmd /c, %-expansion, carets, C runtime) and expects them back.
func TestCmdLineRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 1))
	for i := range 20000 {
		args := randomArgs(r)
		req, err := CmdLine(prog, args)
		if err != nil {
			t.Fatalf("CmdLine(%q): %v", args, err)
		}
		argv, err := winparse.RunCmd(req, nodeEnv)
		if err != nil {
			t.Fatalf("case %d: request %s: %v", i, req, err)
		}
		if diff := cmp.Diff(append([]string{prog}, args...), argv); diff != "" {
			t.Fatalf("case %d: request %s: argv differs (-want +got):\n%s", i, req, diff)
		}
	}
}

func FuzzCmdLine(f *testing.F) {
	for _, s := range []string{"", "a b", `"`, `\`, "%PATH%", "^&|<>()!", "最高"} {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		args := []string{a, b}
		req, err := CmdLine(prog, args)
		if err != nil {
			if checkText("a", a) == nil && checkText("b", b) == nil && utf8.RuneCountInString(a+b) < 2000 {
				t.Fatalf("refused passable arguments %q: %v", args, err)
			}
			return
		}
		argv, err := winparse.RunCmd(req, nodeEnv)
		if err != nil {
			t.Fatalf("request %s: %v", req, err)
		}
		if diff := cmp.Diff(append([]string{prog}, args...), argv); diff != "" {
			t.Fatalf("request %s: (-want +got):\n%s", req, diff)
		}
	})
}
