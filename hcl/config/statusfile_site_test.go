package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckDefinitionText(t *testing.T) {
	lf := func(name string) *LogicalFile {
		return &LogicalFile{Name: name, AFile: `D:\sts\` + name + "a", BFile: `E:\sts\` + name + "b"}
	}
	both := []*LogicalFile{lf("sts1"), lf("sts2")}
	tests := map[string]struct {
		text string
		want []DefinitionProblem
	}{
		"both named in order, any syntax, any case": {
			"x=\"d:\\STS\\sts1a\",E:\\sts\\sts1b\n(D:\\sts\\sts2a E:\\sts\\sts2b)", nil},
		"a longer name is not the file": {
			`D:\sts\sts1a E:\sts\sts1bb D:\sts\sts2a E:\sts\sts2b`,
			[]DefinitionProblem{{Logical: "sts1", Missing: []string{`E:\sts\sts1b`}}}},
		"a longer directory is not the file": {
			`D:\sts\sts1a XE:\sts\sts1b D:\sts\sts2a E:\sts\sts2b`,
			[]DefinitionProblem{{Logical: "sts1", Missing: []string{`E:\sts\sts1b`}}}},
		"a logical file not named at all": {
			`D:\sts\sts1a E:\sts\sts1b`,
			[]DefinitionProblem{{Logical: "sts2", Missing: []string{`D:\sts\sts2a`, `E:\sts\sts2b`}}}},
		"the other order": {
			`D:\sts\sts2a E:\sts\sts2b D:\sts\sts1a E:\sts\sts1b`,
			[]DefinitionProblem{{Logical: "sts1", After: "sts2"}}},
		"the A files in order, the B files after them": {
			`D:\sts\sts1a D:\sts\sts2a E:\sts\sts1b E:\sts\sts2b`, nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, CheckDefinitionText(tt.text, both)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefinitionDrivePaths(t *testing.T) {
	got := DefinitionDrivePaths("# D:\\x\nlogical a \"D:\\Sts\\a\",E:\\sts\\b;D:\\x\n  c:\\dir\\f\tnotD:\\y")
	if diff := cmp.Diff([]string{`d:\x`, `d:\sts\a`, `e:\sts\b`, `c:\dir\f`}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestStatusFileInitCommand(t *testing.T) {
	for argv, want := range map[string]string{
		"xodstsinit {file}":        "",
		" {file}":                  "names no program",
		"xodstsinit":               "does not name the file to create",
		"xodstsinit {File} {file}": "uses the unknown placeholder {File}",
	} {
		got := StatusFileInitCommandProblem(splitBlank(argv))
		if (want == "") != (got == "") || len(got) < len(want) || got[:len(want)] != want {
			t.Errorf("%q: %q, want %q…", argv, got, want)
		}
	}
	got := StatusFileInitArgs([]string{"x", "--{side}={logical}", "{file}{file}"}, `D:\a`, "sts1", "B")
	if diff := cmp.Diff([]string{"x", "--B=sts1", `D:\aD:\a`}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// splitBlank splits at single blanks, keeping a leading empty program.
func splitBlank(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
