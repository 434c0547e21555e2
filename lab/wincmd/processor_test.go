package wincmd

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDelayedExpansion: with the DelayedExpansion registry value on, !NAME! expands in the
// program token and in the arguments, after the carets of the special-character phase; a
// token with "!" loses its carets inside quotes too; a token without "!" keeps them.
func TestDelayedExpansion(t *testing.T) {
	const sc = `C:\Windows\system32\sc.exe`
	for _, tc := range []struct {
		name, command string
		args          []string
	}{
		{"!NAME! expands, also inside quotes", sc + ` !OS! "x !USERNAME! y"`, []string{"Windows_NT", "x Administrator y"}},
		{"the escape for delayed expansion off (^!) is not enough", sc + ` ^!OS^!`, []string{"Windows_NT"}},
		{"^^^! passes a literal !", sc + ` ^^^!OS^^^!`, []string{"!OS!"}},
		{"a caret inside quotes is removed when the token has !", sc + ` "a^b" !OS!`, []string{"ab", "Windows_NT"}},
		{"a caret inside quotes stays when the token has no !", sc + ` "a^b"`, []string{"a^b"}},
		{"a percent-expanded value is expanded again", sc + ` %GREETING%!OS!`, []string{"hello", "worldWindows_NT"}},
	} {
		n := newTestNode(t, CP437)
		n.sh.Processor.DelayedExpansion = true
		_, stderr, code := n.run(tc.command)
		if code != 7 || len(n.got) != 1 {
			t.Errorf("%s: %q: code %d, stderr %q", tc.name, tc.command, code, stderr)
			continue
		}
		if diff := cmp.Diff(tc.args, n.got[0].Args); diff != "" {
			t.Errorf("%s: %q (-want +got):\n%s", tc.name, tc.command, diff)
		}
		// The same command on a node without delayed expansion keeps every "!".
		off := newTestNode(t, CP437)
		off.run(tc.command)
		if len(off.got) == 1 && strings.Contains(tc.command, "!OS") && !strings.Contains(strings.Join(off.got[0].Args, " "), "!") {
			t.Errorf("%s: delayed expansion off lost the ! of %q: %q", tc.name, tc.command, off.got[0].Args)
		}
	}
}

// TestDelayedExpansionProgramName: the program token expands before cmd.exe looks for it, and
// the not-recognized message names the expanded token: how the tool's probe detects the
// setting.
func TestDelayedExpansionProgramName(t *testing.T) {
	const probe = `"C:\Windows\system32\cluster-shell-probe-!OS!.exe"`
	for _, on := range []bool{false, true} {
		n := newTestNode(t, CP437)
		n.sh.Processor.DelayedExpansion = on
		_, stderr, code := n.run(probe)
		want := `'"C:\Windows\system32\cluster-shell-probe-!OS!.exe"' is not recognized`
		if on {
			want = `'"C:\Windows\system32\cluster-shell-probe-Windows_NT.exe"' is not recognized`
		}
		if code != NotRecognized || !strings.HasPrefix(stderr, want) {
			t.Errorf("delayed expansion %v: code %d, stderr %q; want %d and %q", on, code, stderr, NotRecognized, want)
		}
	}
}

// TestDelayedExpansionRefusesWhatIsNotEmulated: forms the lab does not model fail loudly.
func TestDelayedExpansionRefusesWhatIsNotEmulated(t *testing.T) {
	for _, command := range []string{
		`C:\Windows\system32\sc.exe !NOPE!`,
		`C:\Windows\system32\sc.exe a!b`,
		`C:\Windows\system32\sc.exe !! x`,
		`C:\Windows\system32\sc.exe !OS:~0,2!`,
		`C:\Windows\system32\sc.exe "!OS!"^^`,
	} {
		n := newTestNode(t, CP437)
		n.sh.Processor.DelayedExpansion = true
		_, stderr, code := n.run(command)
		if code != Refused || !strings.Contains(stderr, "delayed expansion") || len(n.got) != 0 {
			t.Errorf("%q: code %d, stderr %q, ran %d; want it refused", command, code, stderr, len(n.got))
		}
	}
}

// TestAutoRun: an AutoRun `echo TEXT` prints before every command, on standard output, in
// the console's code page with CRLF; the command's exit status stays the session's.
func TestAutoRun(t *testing.T) {
	n := newTestNode(t, CP932)
	n.sh.Processor.AutoRun = "echo 起動 %USERNAME%"
	stdout, stderr, code := n.run(`C:\Windows\system32\sc.exe qc x`)
	got, err := CP932.Decode([]byte(stdout))
	if err != nil {
		t.Fatal(err)
	}
	if want := "起動 Administrator\r\nran C:\\Windows\\system32\\sc.exe\r\n[qc]\r\n[x]\r\n"; code != 7 || got != want || stderr != "" {
		t.Errorf("code %d, stdout %q, stderr %q; want 7 and %q", code, got, stderr, want)
	}
	// Before the not-recognized message, too.
	n = newTestNode(t, CP437)
	n.sh.Processor.AutoRun = "echo hello"
	stdout, _, code = n.run(`C:\nosuch.exe`)
	if code != NotRecognized || stdout != "hello\r\n" {
		t.Errorf("unknown program: code %d, stdout %q; want %d and the AutoRun's line", code, stdout, NotRecognized)
	}
	for _, autorun := range []string{"@chcp 65001>nul", "echo", `C:\Windows\system32\sc.exe`, "cd /d C:\\"} {
		n := newTestNode(t, CP437)
		n.sh.Processor.AutoRun = autorun
		_, stderr, code := n.run(`C:\Windows\system32\sc.exe qc x`)
		if code != Refused || !strings.Contains(stderr, "AutoRun") || len(n.got) != 0 {
			t.Errorf("AutoRun %q: code %d, stderr %q, ran %d; want it refused", autorun, code, stderr, len(n.got))
		}
	}
}

// TestCommandProcessorFile: the lab-only setting round-trips; a missing file is a stock node.
func TestCommandProcessorFile(t *testing.T) {
	root := t.TempDir()
	if p, err := ReadCommandProcessor(root); err != nil || p != (CommandProcessor{}) {
		t.Fatalf("missing file: %+v, %v", p, err)
	}
	want := CommandProcessor{AutoRun: "echo hi", DelayedExpansion: true}
	if err := WriteCommandProcessor(root, want); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadCommandProcessor(root); err != nil || got != want {
		t.Errorf("read %+v, %v; want %+v", got, err, want)
	}
}
