package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// import --shell and --code-page say how the nodes run commands: the written cluster reaches
// its nodes that way (a stock Windows node: cmd, code page 932), and values the transport does
// not know, a code page without a Windows shell, or sudo on a Windows node are refused before
// anything is read.
func TestImportWritesTheShellOfWindowsNodes(t *testing.T) {
	conf := "../../providers/clusterpro/clpconf/testdata/reference/windows-2nodes-mirror.clp.conf"
	out := filepath.Join(t.TempDir(), "imported")
	stdout, stderr, code := runRoot(t, nil, "import", "--from-file", conf, "--placeholder-scripts", "--shell", "cmd", "--code-page", "932", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	loaded, diags := config.Load(out, config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, c := range loaded.Config.Clusters {
		for _, n := range c.Nodes {
			if d := cmp.Diff([]any{"cmd", 932}, []any{n.Endpoint.SSH.Shell, n.Endpoint.SSH.CodePage}); d != "" {
				t.Errorf("%s: shell, code_page (-want +got):\n%s", n.Addr, d)
			}
		}
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--shell", "bash"}, `--shell "bash": want posix, cmd or powershell`},
		{[]string{"--shell", "cmd", "--code-page", "1252"}, "--code-page 1252: want one of"},
		{[]string{"--code-page", "932"}, "--code-page applies to cmd and powershell nodes"},
		{[]string{"--shell", "posix", "--code-page", "932"}, "--code-page applies to cmd and powershell nodes"},
		{[]string{"--from", "sv1", "--shell", "cmd", "--become"}, "--become runs sudo, which a cmd node does not have"},
	} {
		args := append([]string{"import", "--out", filepath.Join(t.TempDir(), "x")}, tt.args...)
		if !strings.Contains(strings.Join(tt.args, " "), "--from") {
			args = append(args, "--from-file", conf)
		}
		_, stderr, code := runRoot(t, nil, args...)
		if code == 0 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant %q", tt.args, code, stderr, tt.want)
		}
	}
}

// import --from looks for clp.conf only where the node can hold it: on a Windows-dialect node
// only the Windows install directories, EXPRESSCLUSTER's and CLUSTERPRO's (a POSIX path is
// refused there and would fail the read).
func TestImportInstallDirsFollowTheShell(t *testing.T) {
	for _, tt := range []struct {
		f    importFlags
		want []string
	}{
		{importFlags{}, []string{config.DefaultLinuxInstallDir, config.DefaultWindowsInstallDir}},
		{importFlags{shell: "posix"}, []string{config.DefaultLinuxInstallDir, config.DefaultWindowsInstallDir}},
		{importFlags{shell: "cmd"}, []string{config.DefaultWindowsInstallDir, `C:\Program Files\CLUSTERPRO`}},
		{importFlags{shell: "powershell"}, []string{config.DefaultWindowsInstallDir, `C:\Program Files\CLUSTERPRO`}},
		{importFlags{shell: "cmd", installDir: `C:\Program Files\CLUSTERPRO`}, []string{`C:\Program Files\CLUSTERPRO`}},
	} {
		if d := cmp.Diff(tt.want, tt.f.installDirs()); d != "" {
			t.Errorf("shell %q, --install-dir %q (-want +got):\n%s", tt.f.shell, tt.f.installDir, d)
		}
	}
}

// A node that does not answer in the dialect import used is told with the flag that sets it,
// not only the configuration setting the transport names.
func TestImportDialectErrorNamesTheFlag(t *testing.T) {
	f := &importFlags{}
	err := f.dialectHint(fmt.Errorf("connect: %w", &sshnode.DialectError{Node: "sv1", Shell: "posix", Want: "cmd", Why: "sv1 has no POSIX shell"}))
	if err == nil || !strings.Contains(err.Error(), `set shell = "cmd"`) || !strings.HasSuffix(err.Error(), "for import, pass --shell cmd") {
		t.Errorf("error %v; want the transport's message and --shell cmd", err)
	}
	other := errors.New("connection refused")
	if got := f.dialectHint(other); got != other {
		t.Errorf("another error became %v", got)
	}
}

// A cluster installed elsewhere than the platform's default (the CLUSTERPRO-branded Windows
// product in C:\Program Files\CLUSTERPRO) is imported with install_dir, so that plan reads
// the directory import read; the default is not written.
func TestImportKeepsTheInstallDir(t *testing.T) {
	conf := "../../providers/clusterpro/clpconf/testdata/reference/windows-2nodes-mirror.clp.conf"
	for _, tt := range []struct{ flag, want string }{
		{"", config.DefaultWindowsInstallDir},
		{`C:\Program Files\CLUSTERPRO`, `C:\Program Files\CLUSTERPRO`},
	} {
		out := filepath.Join(t.TempDir(), "imported")
		args := []string{"import", "--from-file", conf, "--placeholder-scripts", "--out", out}
		if tt.flag != "" {
			args = append(args, "--install-dir", tt.flag)
		}
		stdout, stderr, code := runRoot(t, nil, args...)
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		loaded, diags := config.Load(out, config.LoadOptions{})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		for _, c := range loaded.Config.Clusters {
			if c.InstallDir != tt.want {
				t.Errorf("--install-dir %q: the imported cluster has install_dir %q, want %q", tt.flag, c.InstallDir, tt.want)
			}
		}
	}
}

// A node read as a POSIX one whose read fails (a Windows node whose server hides that it is
// Microsoft's OpenSSH: cmd.exe fails the POSIX batch) is told about --shell cmd; a read with a
// Windows shell, or one that already names the setting, is not.
func TestImportReadFailureHintsAtTheShell(t *testing.T) {
	batch := errors.New("sv1: batch (exit 49): output ended early (missing start marker)")
	mismatch := &sshnode.DialectError{Node: "sv1", Shell: "cmd", Want: "posix", Why: "sv1 answered like a POSIX node"}
	for _, tt := range []struct {
		shell string
		err   error
		hint  bool
	}{
		{"", batch, true},
		{"posix", batch, true},
		{"cmd", batch, false},
		{"cmd", mismatch, false},
		{"", fmt.Errorf("read: %w", mismatch), false},
	} {
		f := &importFlags{from: "10.0.0.11", shell: tt.shell}
		got := f.readHint(tt.err)
		if !errors.Is(got, tt.err) {
			t.Errorf("shell %q: %v does not wrap %v", tt.shell, got, tt.err)
		}
		if has := strings.Contains(got.Error(), "if 10.0.0.11 is a Windows node without a POSIX shell, pass --shell cmd"); has != tt.hint {
			t.Errorf("shell %q, %v: hint %v, want %v", tt.shell, got, has, tt.hint)
		}
	}
}
