package transport

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPosixInlineData: CreateExclusive and RemoveIfSame carry small data without NUL bytes in
// their script (no stdin, so no program to receive it), and anything else on a checked stdin.
func TestPosixInlineData(t *testing.T) {
	big := bytes.Repeat([]byte("x"), inlineMax+1)
	for _, tt := range []struct {
		name   string
		data   []byte
		inline bool
	}{
		{"lock record", []byte(`{"id":"0123","holder":"me@here"}`), true},
		{"empty", nil, true},
		{"at the limit", big[:inlineMax], true},
		{"over the limit", big, false},
		{"NUL byte", []byte("a\x00b"), false},
	} {
		for _, op := range []Op{CreateExclusive{Path: "/l", Data: tt.data}, RemoveIfSame{Path: "/l", Data: tt.data}} {
			c, err := PosixCommand(op)
			if err != nil {
				t.Fatal(err)
			}
			_, args, _ := c.ShellScript()
			carried := len(args) > 1 && args[1] == Lit(string(tt.data))
			if tt.inline != (c.Stdin == nil && carried) || !tt.inline != c.StdinChecked {
				t.Errorf("%s, %T: stdin %d bytes (checked %v), data in the script %v; want inline %v", tt.name, op, len(c.Stdin), c.StdinChecked, carried, tt.inline)
			}
		}
	}
}

// TestCreateInlineScriptStaleTemporary: a file left at the temporary name ($t.$$) by a killed
// run whose shell had the same process ID is neither used nor removed: mktemp names another,
// and the target holds exactly the data. Run by /bin/sh and, where installed, bash.
func TestCreateInlineScriptStaleTemporary(t *testing.T) {
	data := "it's \"$(date)\" `x` \\ %s -n\n\n"
	for _, shell := range []string{"/bin/sh", "/bin/bash"} {
		if _, err := os.Stat(shell); err != nil {
			continue
		}
		t.Run(filepath.Base(shell), func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "work", "lock")
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				t.Fatal(err)
			}
			// The stale file is made by the shell that runs the script, so it has its $$.
			script := `echo stale >"$1.$$"` + "\n" + createInlineScript
			out, err := exec.Command(shell, "-c", script, "sh", target, data).CombinedOutput()
			if err != nil || len(out) != 0 {
				t.Fatalf("create: %v, output %q; want success and no output", err, out)
			}
			if got, _ := os.ReadFile(target); string(got) != data {
				t.Errorf("the target holds %q; want %q", got, data)
			}
			left, _ := filepath.Glob(target + ".*")
			if len(left) != 1 {
				t.Fatalf("left beside the target: %v; want only the stale file", left)
			}
			if got, _ := os.ReadFile(left[0]); string(got) != "stale\n" || strings.Contains(left[0], "XXXXXX") {
				t.Errorf("%s holds %q: the stale file was used", left[0], got)
			}
		})
	}
}
