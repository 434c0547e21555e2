package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// shellCluster is becomeCluster with a charset: a two-node cluster with ssh blocks at every level.
func shellCluster(platform, charset, top, cluster, node string) string {
	return strings.Replace(becomeCluster(platform, top, cluster, node), `platform = "`+platform+`"`,
		`platform = "`+platform+`"`+"\n  charset = \""+charset+`"`, 1)
}

// shell and code_page merge like the other ssh settings (innermost wins); the default shell
// follows the platform (TestShellDefaultByPlatform), and a cmd or powershell node's code page
// follows the charset.
func TestShellSettingsMerge(t *testing.T) {
	type eff struct {
		Shell    string
		CodePage int
	}
	tests := []struct {
		name               string
		platform, charset  string
		top, cluster, node string
		wantN1, wantN2     eff
	}{
		{"unset on windows: cmd, SJIS: 932", "windows", "SJIS", ``, ``, ``, eff{"cmd", 932}, eff{"cmd", 932}},
		{"unset on linux: posix", "linux", "EUC-JP", ``, ``, ``, eff{"posix", 0}, eff{"posix", 0}},
		{"cmd at the top, SJIS: 932", "windows", "SJIS", `shell = "cmd"`, ``, ``, eff{"cmd", 932}, eff{"cmd", 932}},
		{"node overrides", "windows", "ASCII", `shell = "cmd"`, ``, `shell = "posix"`, eff{"posix", 0}, eff{"cmd", 437}},
		{"powershell on the cluster, GB2312", "windows", "GB2312", ``, `shell = "powershell"`, ``, eff{"powershell", 936}, eff{"powershell", 936}},
		{"UTF-8", "windows", "UTF-8", ``, `shell = "cmd"`, ``, eff{"cmd", 65001}, eff{"cmd", 65001}},
		{"code page set wins", "windows", "SJIS", `shell = "cmd"`, `code_page = 65001`, `code_page = 437`, eff{"cmd", 437}, eff{"cmd", 65001}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustLoad(t, writeDir(t, map[string]string{"main.hcl": shellCluster(tt.platform, tt.charset, tt.top, tt.cluster, tt.node)}), LoadOptions{})
			got := map[string]eff{}
			for _, n := range cfg.Clusters["c"].Nodes {
				got[n.Name] = eff{n.Endpoint.SSH.Shell, n.Endpoint.SSH.CodePage}
			}
			if d := cmp.Diff(map[string]eff{"n1": tt.wantN1, "n2": tt.wantN2}, got); d != "" {
				t.Errorf("effective settings (-want +got):\n%s", d)
			}
		})
	}
}

// Refused shell settings: located errors that say what to write instead.
func TestShellInvalid(t *testing.T) {
	tests := []struct {
		name               string
		top, cluster, node string
		summary, detail    string
		line               int
	}{
		{"unknown shell", ``, `shell = "bash"`, ``, "Invalid value", `"posix", "cmd" or "powershell", not "bash"`, 17},
		{"unsupported code page", `code_page = 1252`, ``, ``, "Unsupported code page", "932 (Japanese Shift-JIS)", 11},
		{"become with cmd", `become = true`, `shell = "cmd"`, ``, "become with a Windows shell", `no sudo`, 11},
		{"become with powershell on the node", ``, ``, "shell = \"powershell\"\nbecome = true", "become with a Windows shell", `shell = "powershell"`, 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(writeDir(t, map[string]string{"main.hcl": shellCluster("linux", "EUC-JP", tt.top, tt.cluster, tt.node)}), LoadOptions{})
			var found []*hcl.Diagnostic
			for _, d := range diags {
				if d.Summary == tt.summary {
					found = append(found, d)
				}
			}
			if len(found) != 1 {
				t.Fatalf("want one %q diagnostic, got:\n%s", tt.summary, describe(diags))
			}
			if !strings.Contains(found[0].Detail, tt.detail) {
				t.Errorf("detail %q does not contain %q", found[0].Detail, tt.detail)
			}
			if found[0].Subject == nil || found[0].Subject.Start.Line != tt.line {
				t.Errorf("%q at %v, want line %d", tt.summary, found[0].Subject, tt.line)
			}
		})
	}
}
