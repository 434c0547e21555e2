package views

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnifiedDiff(t *testing.T) {
	tenLines := func(change int, with string) string {
		var sb strings.Builder
		for i := 1; i <= 10; i++ {
			if i == change {
				sb.WriteString(with + "\n")
				continue
			}
			fmt.Fprintf(&sb, "line %d\n", i)
		}
		return sb.String()
	}
	const header = "--- f (observed)\n+++ f (desired)\n"
	tests := map[string]struct {
		before, after, want string
	}{
		"equal": {"a\nb\n", "a\nb\n", ""},
		"middle line, three lines of context": {
			tenLines(0, ""), tenLines(5, "five"),
			header + "@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+five\n line 6\n line 7\n line 8\n",
		},
		"two distant changes make two hunks": {
			tenLines(0, ""), strings.Replace(tenLines(1, "one"), "line 10\n", "ten\n", 1),
			header + "@@ -1,4 +1,4 @@\n-line 1\n+one\n line 2\n line 3\n line 4\n@@ -7,4 +7,4 @@\n line 7\n line 8\n line 9\n-line 10\n+ten\n",
		},
		"new file": {"", "a\nb\n", header + "@@ -0,0 +1,2 @@\n+a\n+b\n"},
		"emptied":  {"a\n", "", header + "@@ -1 +0,0 @@\n-a\n"},
		"missing final newline": {
			"a\nb", "a\nb\n",
			header + "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		"crlf lines print without the carriage return": {
			"@echo off\r\nARMLOAD a\r\n", "@echo off\r\nARMLOAD b\r\n",
			header + "@@ -1,2 +1,2 @@\n @echo off\n-ARMLOAD a\n+ARMLOAD b\n",
		},
		"only line endings": {"a\r\nb\r\n", "a\nb\n", header + "\\ Only line endings differ (CRLF and LF)\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := formatDiff(unifiedDiff("f", tc.before, tc.after, lineShower("")))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnifiedDiffAgreesWithDiff checks the hunks against diff(1) where it is installed.
func TestUnifiedDiffAgreesWithDiff(t *testing.T) {
	diffCmd, err := exec.LookPath("diff")
	if err != nil {
		t.Skip("diff(1) is not installed")
	}
	before := "#!/bin/sh\ncase \"$CLP_EVENT\" in\nSTART)\n  armload w3svc /S\n  ;;\nFAILOVER)\n  armload w3svc /S\n  ;;\nesac\nexit 0\n"
	after := "#!/bin/sh\ncase \"$CLP_EVENT\" in\nSTART)\n  armload w3svc /S\n  armload smtp /S /M\n  ;;\nFAILOVER)\n  armload w3svc /S\n  ;;\n*)\n  echo no cluster\n  ;;\nesac\nexit 0\n"
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(a, []byte(before), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte(after), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(diffCmd, "-U3", a, b).Output() // exit status 1 means "differ"
	_, wantHunks, ok := strings.Cut(string(out), "\n@@")
	if !ok {
		t.Fatalf("diff(1) printed no hunk: %s", out)
	}
	_, gotHunks, _ := strings.Cut(formatDiff(unifiedDiff("f", before, after, lineShower(""))), "\n@@")
	if diff := cmp.Diff(wantHunks, gotHunks); diff != "" {
		t.Errorf("hunks differ from diff(1) (-diff +ours):\n%s", diff)
	}
}

func TestHunkRange(t *testing.T) {
	tests := map[[2]int]string{{0, 0}: "0,0", {4, 4}: "4,0", {0, 1}: "1", {2, 3}: "3", {2, 7}: "3,5"}
	for in, want := range tests {
		if got := hunkRange(in[0], in[1]); got != want {
			t.Errorf("hunkRange(%d, %d) = %q, want %q", in[0], in[1], got, want)
		}
	}
}
