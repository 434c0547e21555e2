package sshnode

import (
	"errors"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport"
)

func TestAtomicPosixRenameByVersion(t *testing.T) {
	for _, tt := range []struct {
		version string
		want    bool
	}{
		{"SSH-2.0-OpenSSH_for_Windows_7.7", false}, // Windows Server 2019
		{"SSH-2.0-OpenSSH_for_Windows_8.1", false}, // delete, then rename (Win32-OpenSSH#1534)
		{"SSH-2.0-OpenSSH_for_Windows_8.6", true},
		{"SSH-2.0-OpenSSH_for_Windows_9.5", true},
		{"SSH-2.0-OpenSSH_for_Windows_10.0", true},
		{"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13", false}, // not Microsoft's: not trusted
		{"SSH-2.0-cluster-lab", false},
		{"SSH-2.0-OpenSSH_for_Windows_x", false},
	} {
		if got := atomicPosixRename(tt.version); got != tt.want {
			t.Errorf("atomicPosixRename(%q) = %v, want %v", tt.version, got, tt.want)
		}
	}
}

func TestCheckShell(t *testing.T) {
	yes := true
	for _, tt := range []struct {
		s       transport.SSHSettings
		want    string
		wantErr string
	}{
		{transport.SSHSettings{}, "posix", ""},
		{transport.SSHSettings{Shell: "cmd", CodePage: 932}, "cmd", ""},
		{transport.SSHSettings{Shell: "powershell"}, "powershell", ""},
		{transport.SSHSettings{Shell: "posix", Become: &yes}, "posix", ""},
		{transport.SSHSettings{Shell: "cmd", Become: &yes}, "", "Windows has no sudo"},
		{transport.SSHSettings{Shell: "bash"}, "", `unknown shell "bash"`},
		{transport.SSHSettings{Shell: "cmd", CodePage: 1252}, "", "code page 1252 is not supported"},
	} {
		got, err := checkShell(tt.s)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("checkShell(%+v) = %q, %v; want an error containing %q", tt.s, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("checkShell(%+v) = %q, %v; want %q", tt.s, got, err, tt.want)
		}
	}
}

func TestConsoleDecoder(t *testing.T) {
	for _, tt := range []struct {
		cp   int
		in   []byte
		want string
	}{
		{932, []byte("\x8d\xc5\x8d\x82\r\nline2\r\n"), "最高\nline2\n"}, // Shift_JIS
		{437, []byte("\x82\r\n"), "é\n"},                              // CP437 0x82
		{65001, []byte("最高\r\nlone\rCR\n"), "最高\nlone\rCR\n"},
		{0, []byte("a\r\n"), "a\n"},
		{936, []byte("\xd6\xd0\r\n"), "中\n"}, // GBK
	} {
		dec, err := consoleDecoder(tt.cp)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(dec(tt.in)); got != tt.want {
			t.Errorf("code page %d: %q, want %q", tt.cp, got, tt.want)
		}
	}
}

func TestProbeAnswer(t *testing.T) {
	for _, tt := range []struct {
		code      int
		stdout    string
		microsoft bool
		want      string
	}{
		{9009, "", true, "cmd"},
		{9009 % 256, "", false, "cmd"}, // the e2e harness: sshd on Linux
		{9009 % 256, "", true, ""},     // Microsoft's OpenSSH sends 9009 whole
		{0, shellProbe + "\n", true, "powershell"},
		{0, "", true, ""},
		{1, shellProbe, true, ""},
		{0, "banner from AutoRun\n" + shellProbe, true, ""},
	} {
		if got := probeAnswer(tt.code, []byte(tt.stdout), tt.microsoft); got != tt.want {
			t.Errorf("probeAnswer(%d, %q, %v) = %q, want %q", tt.code, tt.stdout, tt.microsoft, got, tt.want)
		}
	}
}

// TestCheckCmdSetup: cmd.exe's answer to the probe shows an AutoRun that prints and delayed
// expansion; either refuses the node with the registry value to change.
func TestCheckCmdSetup(t *testing.T) {
	const english = "'\"" + shellProbe + "\"' is not recognized as an internal or external command,\noperable program or batch file.\n"
	const japanese = "'\"" + shellProbe + "\"' は、内部コマンドまたは外部コマンド、\n操作可能なプログラムまたはバッチ ファイルとして認識されていません。\n"
	expanded := strings.ReplaceAll(english, "!OS!", "Windows_NT")
	for _, tt := range []struct {
		name, stdout, stderr string
		value                string // the CmdSetupError's value; "" for none
		wantErr              string // an error that is not a CmdSetupError
	}{
		{"healthy, English", "", english, "", ""},
		{"healthy, Japanese", "", japanese, "", ""},
		{"AutoRun prints", "Welcome to sv1\n", english, "AutoRun", ""},
		{"AutoRun prints, delayed expansion too: AutoRun first", "hi\n", expanded, "AutoRun", ""},
		{"delayed expansion", "", expanded, "DelayedExpansion", ""},
		{"delayed expansion, OS undefined", "", strings.ReplaceAll(english, "!OS!", ""), "DelayedExpansion", ""},
		{"AutoRun output on stderr only: not detected, stdout stays the commands' own", "", "banner\n" + english, "", ""},
		{"no message naming the probe", "", "something else\n", "", "cannot confirm that delayed expansion is off"},
	} {
		err := checkCmdSetup("sv1", []byte(tt.stdout), []byte(tt.stderr))
		var setup *CmdSetupError
		switch {
		case tt.value != "":
			if !errors.As(err, &setup) || setup.Value != tt.value || !strings.Contains(err.Error(), tt.value) || !strings.Contains(err.Error(), `Software\Microsoft\Command Processor`) {
				t.Errorf("%s: %v; want a CmdSetupError naming %s under the Command Processor key", tt.name, err, tt.value)
			}
		case tt.wantErr != "":
			if err == nil || errors.As(err, &setup) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: %v; want an error containing %q", tt.name, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v; want none", tt.name, err)
		}
	}
}
