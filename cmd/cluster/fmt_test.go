package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fmt's exit codes are the ones the README and --help promise.
func TestFmtExitCodesMatchTheReadme(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const promise = "`fmt`: `1` with `--check` when a file would change, `2` when a file does not parse"
	if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), promise) {
		t.Errorf("README does not say %q", promise)
	}
	for _, tc := range []struct {
		name, content string
		args          []string
		want          int
	}{
		{"formatted", "a = 1\n", []string{"--check"}, 0},
		{"unformatted", "a    =   1\n", []string{"--check"}, 1},
		{"broken", "a = {\n", []string{"--check"}, 2},
		{"broken-write", "a = {\n", nil, 2},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut, code := runRoot(t, nil, append(append([]string{"fmt"}, tc.args...), dir)...)
		if code != tc.want {
			t.Errorf("%s: exit %d, want %d\n%s", tc.name, code, tc.want, errOut)
		}
	}
}
