package wincmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testNode is a node root with C:\Windows\system32\sc.exe and a program with a space in its
// path, and a Shell whose Exec records what a program received and prints it.
type testNode struct {
	sh   *Shell
	got  []Program
	root string
}

func newTestNode(t *testing.T, cp CodePage) *testNode {
	t.Helper()
	n := &testNode{root: t.TempDir()}
	for _, f := range []string{"c/Windows/system32/sc.exe", "c/Program Files/EXPRESSCLUSTER/bin/clpstat.exe", "c/Windows/system32/run.bat", "c/Users/Administrator/notes.txt"} {
		p := filepath.Join(n.root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := NodeEnv("sv1", "Administrator")
	env.Set("GREETING", "hello world")
	n.sh = &Shell{
		Drives: Drives{Root: n.root}, Env: env, Cwd: `C:\Users\Administrator`, CodePage: cp,
		Exec: func(ctx context.Context, p Program) int {
			n.got = append(n.got, p)
			fmt.Fprintf(p.Stdout, "ran %s\n", p.Path)
			for _, a := range p.Args {
				fmt.Fprintf(p.Stdout, "[%s]\n", a)
			}
			return 7
		},
	}
	return n
}

func (n *testNode) run(command string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = n.sh.Run(context.Background(), command, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), code
}

// TestShellRunsOneProgram: quoting, carets and %VAR% reach the program as cmd.exe hands them
// over, and its exit status is the session's.
func TestShellRunsOneProgram(t *testing.T) {
	for _, tc := range []struct {
		name, command, path string
		args                []string
	}{
		{"absolute path, quoted, /c rule 2 strips only the outer quotes",
			`"C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe" -s`, `C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe`, []string{"-s"}},
		{"/c rule 1: exactly two quotes around an executable name are preserved",
			`"C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe"`, `C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe`, nil},
		{"/c rule 2 without quotes inside: the whole command as it is",
			`C:\Windows\system32\sc.exe qc W3SVC`, `C:\Windows\system32\sc.exe`, []string{"qc", "W3SVC"}},
		{"name on PATH with PATHEXT, case-insensitive",
			`SC qc W3SVC`, `C:\Windows\system32\sc.exe`, []string{"qc", "W3SVC"}},
		{"path without extension: PATHEXT appended, NTFS case",
			`c:\windows\SYSTEM32\sc qc x`, `c:\windows\SYSTEM32\sc.EXE`, []string{"qc", "x"}},
		{"caret escapes outside quotes are consumed",
			`C:\Windows\system32\sc.exe a^&b ^"c d^"`, `C:\Windows\system32\sc.exe`, []string{"a&b", "c d"}}, // cmd drops the carets, the program then sees the quotes
		{"inside quotes caret and operators are literal",
			`C:\Windows\system32\sc.exe "a^&b|c>d"`, `C:\Windows\system32\sc.exe`, []string{"a^&b|c>d"}},
		{"%VAR% expands (case-insensitive), undefined stays, %% stays",
			`C:\Windows\system32\sc.exe %greeting% %NOPE% 100%% %NOPE%USERNAME%`, `C:\Windows\system32\sc.exe`,
			[]string{"hello", "world", "%NOPE%", "100%%", "%NOPEAdministrator"}},
		{"backslash-quote rules of the program's own parser",
			`C:\Windows\system32\sc.exe "a\"b" "C:\dir\\"`, `C:\Windows\system32\sc.exe`, []string{`a"b`, `C:\dir\`}},
	} {
		n := newTestNode(t, CP437)
		stdout, stderr, code := n.run(tc.command)
		if code != 7 || stderr != "" || len(n.got) != 1 {
			t.Errorf("%s: %q: code %d, stderr %q, %d programs run", tc.name, tc.command, code, stderr, len(n.got))
			continue
		}
		if !strings.EqualFold(n.got[0].Path, tc.path) {
			t.Errorf("%s: ran %q, want %q", tc.name, n.got[0].Path, tc.path)
		}
		if diff := cmp.Diff(tc.args, n.got[0].Args, cmp.Comparer(func(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") })); diff != "" {
			t.Errorf("%s: %q args (-want +got):\n%s", tc.name, tc.command, diff)
		}
		if !strings.HasPrefix(stdout, "ran ") || strings.Count(stdout, "\r\n") != len(tc.args)+1 {
			t.Errorf("%s: stdout %q: want CRLF line ends", tc.name, stdout)
		}
	}
}

// TestShellRefuses: what the tool must never send fails loudly, nothing runs.
func TestShellRefuses(t *testing.T) {
	for _, tc := range []struct{ command, want string }{
		{`C:\Windows\system32\sc.exe qc a & C:\Windows\system32\sc.exe qc b`, "operator &"},
		{`C:\Windows\system32\sc.exe qc a && x`, "operator &&"},
		{`C:\Windows\system32\sc.exe qc a || x`, "operator ||"},
		{`C:\Windows\system32\sc.exe qc a | x`, "operator |"},
		{`C:\Windows\system32\sc.exe qc a > out.txt`, "operator >"},
		{`C:\Windows\system32\sc.exe qc a 2>&1`, "operator >&"},
		{`C:\Windows\system32\sc.exe < in.txt`, "operator <"},
		{`(C:\Windows\system32\sc.exe)`, "block"},
		{`@C:\Windows\system32\sc.exe`, "leading @"},
		{"C:\\Windows\\system32\\sc.exe a\nb", "line break"},
		{`C:\Windows\system32\sc.exe a^`, "More?"},
		{`echo hello`, "builtin echo"},
		{`ECHO.`, "builtin echo"},
		{`type C:\x`, "builtin type"},
		{`set`, "builtin set"},
		{`C:\Windows\system32\run.bat`, "batch file"},
		{`C:\Windows\system32\sc.exe %GREETING:~0,2%`, "modifiers"},
		{`C:\Program^ Files\x.exe`, "escaped program name"},
	} {
		n := newTestNode(t, CP437)
		_, stderr, code := n.run(tc.command)
		if code != Refused || !strings.Contains(stderr, tc.want) || len(n.got) != 0 {
			t.Errorf("%q: code %d, stderr %q, ran %d: want status %d and %q", tc.command, code, stderr, len(n.got), Refused, tc.want)
		}
	}
}

// TestShellNotRecognized: an unknown program is exit status 9009 with cmd.exe's message, in
// the node's language and code page, CRLF.
func TestShellNotRecognized(t *testing.T) {
	for _, tc := range []struct {
		command string
		cp      CodePage
		want    string
	}{
		{`/bin/sh -c true`, CP437, "'/bin/sh' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"},
		{`sh -c "exit 0"`, CP437, "'sh' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"},
		// Without quotes the space ends the program name: rule 1 needs exactly two quotes
		// around an existing executable, rule 2 leaves C:\Program as the token.
		{`C:\Program Files\EXPRESSCLUSTER\bin\clpstat.exe -s`, CP437, "'C:\\Program' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"},
		{`"C:\no such\x.exe" a "b"`, CP437, "'\"C:\\no such\\x.exe\"' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"},
		{`notes.txt.exe`, CP437, "'notes.txt.exe' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"},
		{`/bin/sh -c true`, CP932, "'/bin/sh' は、内部コマンドまたは外部コマンド、\r\n操作可能なプログラムまたはバッチ ファイルとして認識されていません。\r\n"},
	} {
		n := newTestNode(t, tc.cp)
		_, stderr, code := n.run(tc.command)
		got, err := tc.cp.Decode([]byte(stderr))
		if err != nil {
			t.Fatal(err)
		}
		if code != NotRecognized || got != tc.want || len(n.got) != 0 {
			t.Errorf("%q: code %d, stderr %q: want %d and %q", tc.command, code, got, NotRecognized, tc.want)
		}
		if tc.cp == CP932 && !bytes.Contains([]byte(stderr), []byte{0x82, 0xcd}) { // は in CP932
			t.Errorf("%q: stderr %x is not CP932", tc.command, stderr)
		}
	}
}

// TestConsoleCP932: program output in UTF-8 with LF reaches the client in CP932 with CRLF.
func TestConsoleCP932(t *testing.T) {
	var buf bytes.Buffer
	w := CP932.Console(&buf)
	io.WriteString(w, "最高プライオリティ\nok\r\n")
	w.Close()
	want := []byte{0x8d, 0xc5, 0x8d, 0x82, 0x83, 0x76, 0x83, 0x89, 0x83, 0x43, 0x83, 0x49, 0x83, 0x8a, 0x83, 0x65, 0x83, 0x42, '\r', '\n', 'o', 'k', '\r', '\n'}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("console bytes %x, want %x", buf.Bytes(), want)
	}
}

// ansibleQuote is Ansible's quoting of one argument for cmd.exe (ansible/ansible
// lib/ansible/plugins/shell/cmd.py, ShellModule.quote): unsafe values are wrapped in ^"...^",
// every cmd metacharacter gets a caret, a double quote gets \^. Test-only: an independent
// quoter to run against the emulator.
func ansibleQuote(s string) string {
	if s == "" {
		return `""`
	}
	if !strings.ContainsAny(s, " \t\n\r\f\v()%!^\"<>&|") {
		return s
	}
	for _, c := range `^()%!"<>&|` {
		esc := "^"
		if c == '"' {
			esc = `\^`
		}
		s = strings.ReplaceAll(s, string(c), esc+string(c))
	}
	return `^"` + s + `^"`
}

// TestShellAgainstAnsibleQuoting: what Ansible's cmd quoting sends reaches the program intact,
// except backslashes before a quote, which Ansible does not double (a value ending in \, or
// holding \"): the C runtime rules then eat them, and the emulator shows that flaw as Windows
// would.
func TestShellAgainstAnsibleQuoting(t *testing.T) {
	for _, v := range []string{
		"plain", "two words", `a&b|c<d>e`, `(x) ^y^ !z!`, `say "hi"`, `100%`, `%USERNAME%`,
		`C:\Program Files\EXPRESSCLUSTER`, `最高プライオリティサーバで起動中です`, `""`,
	} {
		n := newTestNode(t, CP437)
		command := `C:\Windows\system32\sc.exe ` + ansibleQuote(v) + " end"
		_, stderr, code := n.run(command)
		if code != 7 || len(n.got) != 1 {
			t.Errorf("%q as %s: code %d, stderr %q", v, command, code, stderr)
			continue
		}
		if diff := cmp.Diff([]string{v, "end"}, n.got[0].Args); diff != "" {
			t.Errorf("%q as %s (-want +got):\n%s", v, command, diff)
		}
	}
	for _, v := range []string{`C:\dir with space\`, `a\"b`} {
		n := newTestNode(t, CP437)
		n.run(`C:\Windows\system32\sc.exe ` + ansibleQuote(v) + " end")
		if len(n.got) != 1 || cmp.Equal(n.got[0].Args, []string{v, "end"}) {
			t.Errorf("%q survived Ansible's quoting, which does not double backslashes: %v", v, n.got)
		}
	}
}
