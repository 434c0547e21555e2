package clusterpro

import (
	"slices"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// windowsCluster is testCluster on Windows nodes reached through cmd.exe, with a Japanese
// (Shift_JIS) charset.
func windowsCluster(shell string) *config.Cluster {
	c := testCluster()
	c.Platform, c.InstallDir, c.Charset = config.Windows, `C:\Program Files\EXPRESSCLUSTER`, "SJIS"
	for _, n := range c.Nodes {
		n.Endpoint.SSH.Shell, n.Endpoint.SSH.CodePage = shell, 932
	}
	return c
}

// windowsPlan plans u against two running nodes whose start script differs from u's.
func windowsPlan(t *testing.T, u *unit, script []byte) planner.UnitPlan {
	t.Helper()
	edit := func(f map[string][]byte) {
		for p := range f {
			if strings.HasSuffix(p, "start.bat") {
				f[p] = script
			}
		}
	}
	up := u.Plan(observation(t, map[string]observed{"sv1": holding(u, "Running", edit), "sv2": holding(u, "Running", edit)}))
	if len(up.Changes) == 0 || len(up.Changes[0].Operations) == 0 {
		t.Fatalf("no planned operations: %+v", up)
	}
	return up
}

// The plan of a Windows node names its paths as Windows does and shows each command as the
// node's shell receives it, never the MSYS form or POSIX quotes.
func TestWindowsPlanShowsWindowsPathsAndCommands(t *testing.T) {
	tests := []struct {
		shell   string
		suspend string
		push    string
	}{
		{transport.ShellCmd, `"C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe" --suspend`,
			`"C:\Program Files\EXPRESSCLUSTER\bin\clpcfctrl.exe" --push -w -x "C:\Program Files\EXPRESSCLUSTER\work\cluster\staged"`},
		{transport.ShellPowerShell, `& 'C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe' '--suspend'`,
			`& 'C:\Program Files\EXPRESSCLUSTER\bin\clpcfctrl.exe' '--push' '-w' '-x' 'C:\Program Files\EXPRESSCLUSTER\work\cluster\staged'`},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			up := windowsPlan(t, mustUnit(t, windowsCluster(tt.shell)), []byte("@echo off\r\n"))
			got := map[string]string{}
			var all strings.Builder
			for _, op := range up.Changes[0].Operations {
				got[op.Step] = op.Command
				all.WriteString(op.Step + " (" + op.Command + ")\n")
			}
			for _, want := range []string{
				`back up the installed configuration under C:\Program Files\EXPRESSCLUSTER\work\cluster\backup`,
				`write the configuration directory to C:\Program Files\EXPRESSCLUSTER\work\cluster\staged`,
			} {
				if _, ok := got[want]; !ok {
					t.Errorf("no step %q in:\n%s", want, all.String())
				}
			}
			if got["suspend the cluster"] != tt.suspend {
				t.Errorf("suspend shown as %s, want %s", got["suspend the cluster"], tt.suspend)
			}
			if got["distribute the configuration to every node"] != tt.push {
				t.Errorf("push shown as %s, want %s", got["distribute the configuration to every node"], tt.push)
			}
			if s := all.String(); strings.Contains(s, "/c/") || strings.Contains(s, "'C:") && tt.shell == transport.ShellCmd {
				t.Errorf("MSYS paths or POSIX quotes in:\n%s", s)
			}
		})
	}
}

// A changed script carries the charset its files are in, so that views decode it for display
// (the bytes stay as they are).
func TestScriptTextsCarryTheirCharset(t *testing.T) {
	sjis := "@echo off\r\nARMBCAST /MSG \"\x8d\xc5\x8d\x82\" /A\r\n" // 最高 in Shift_JIS
	up := windowsPlan(t, mustUnit(t, windowsCluster(transport.ShellCmd)), []byte(sjis))
	var got []string
	for _, c := range up.Changes {
		for _, tx := range c.Texts {
			got = append(got, tx.Path+" "+tx.Charset)
			if strings.HasSuffix(tx.Path, "start.bat") && tx.Before != sjis {
				t.Errorf("%s: before is %q, want the node's bytes %q", tx.Path, tx.Before, sjis)
			}
		}
	}
	if want := []string{"scripts/app/exec1/start.bat SJIS"}; !slices.Equal(got, want) {
		t.Errorf("texts %v, want %v", got, want)
	}
	// A Linux cluster's generated scripts are EUC-JP (config.ScriptCharset).
	if got := fileCharset(testCluster(), "scripts/app/exec1/start.sh"); got != "EUC-JP" {
		t.Errorf("Linux script charset %q, want EUC-JP", got)
	}
	if got := fileCharset(windowsCluster(transport.ShellCmd), "scripts/gone/exec9/start.bat"); got != "SJIS" {
		t.Errorf("charset of a file no script owns %q, want the cluster's generated SJIS", got)
	}
}
