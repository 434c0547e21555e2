package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stsOnShell is a node reached with shell and a status_file block on it; attrs go into the
// block (one per line, from line 8 on).
func stsOnShell(shell string, attrs ...string) string {
	return `node "objsv" {
  address = "10.0.0.30"
  ssh {
    shell = "` + shell + `"
  }
}
status_file "sts" {
  node = node.objsv
` + strings.Join(attrs, "\n") + `
  logical_file "sts1" {
    a_file = "D:\\HiOBJ\\sts\\sts1a"
    b_file = "E:\\HiOBJ\\sts\\sts1b"
  }
}
ssh { code_page = 932 } # a Japanese Windows; last, so that the lines above keep their numbers
`
}

// On a cmd or powershell node a status_file needs drive paths and an .exe named by its full
// path: each refusal is located on the attribute and says what to write. The same values are
// fine on a POSIX node.
func TestStatusFileOnAWindowsShell(t *testing.T) {
	const install = `  install_dir = "D:\\HiOBJ"`
	const exe = `  init_command = ["D:\\HiOBJ\\bin\\xodstsinit.exe", "-f", "{file}"]`
	type diag struct {
		Summary string
		Line    int
	}
	tests := []struct {
		name  string
		shell string
		attrs []string
		want  []diag
		hint  string
	}{
		{"drive paths and an .exe: fine", "cmd", []string{install, exe}, nil, ""},
		{"the same on powershell", "powershell", []string{install, `  definition_file = "D:\\HiOBJ\\conf\\sts"`, exe}, nil, ""},
		{"POSIX paths on a POSIX node: fine", "posix", []string{`  install_dir = "/opt/HiOBJ"`, `  init_command = ["/opt/HiOBJ/bin/xodstsinit", "-f", "{file}"]`}, nil, ""},
		{"no install_dir", "cmd", []string{exe}, []diag{{"install_dir needed on a Windows node", 7}}, `install_dir = "D:\\HiOBJ"`},
		{"a POSIX install_dir", "cmd", []string{`  install_dir = "/opt/HiOBJ"`, exe}, []diag{{"install_dir not a Windows path", 9}}, "drive letter"},
		{"a POSIX definition_file", "cmd", []string{install, `  definition_file = "/opt/HiOBJ/conf/sts"`, exe}, []diag{{"definition_file not a Windows path", 10}}, "drive letter"},
		{"a program on PATH", "cmd", []string{install, `  init_command = ["xodstsinit", "-f", "{file}"]`}, []diag{{"init_command program not a Windows program path", 10}}, `D:\\HiOBJ\\bin\\xodstsinit.exe`},
		{"a program without .exe", "powershell", []string{install, `  init_command = ["D:\\HiOBJ\\bin\\xodstsinit", "-f", "{file}"]`}, []diag{{"init_command program not a Windows program path", 10}}, ".exe"},
		{"a batch file", "cmd", []string{install, `  init_command = ["D:\\HiOBJ\\bin\\init.bat", "{file}"]`}, []diag{{"init_command program not a Windows program path", 10}}, "batch file"},
		{"a POSIX program", "cmd", []string{install, `  init_command = ["/opt/HiOBJ/bin/xodstsinit", "-f", "{file}"]`}, []diag{{"init_command program not a Windows program path", 10}}, "full path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(writeDir(t, map[string]string{"main.hcl": stsOnShell(tt.shell, tt.attrs...)}), LoadOptions{})
			var got []diag
			for _, d := range diags {
				line := 0
				if d.Subject != nil {
					line = d.Subject.Start.Line
				}
				got = append(got, diag{d.Summary, line})
				if tt.hint != "" && !strings.Contains(d.Detail, tt.hint) {
					t.Errorf("%s: detail lacks %q: %s", d.Summary, tt.hint, d.Detail)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}
