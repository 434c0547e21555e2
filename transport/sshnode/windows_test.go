package sshnode

import (
	"errors"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// winRequest quotes for the node's shell, and refuses what the shell cannot run, naming the
// node and the command, before anything is sent.
func TestWinRequest(t *testing.T) {
	clpcl := transport.NodePath(`C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe`)
	tests := []struct {
		shell   string
		cmd     transport.Command
		want    string
		wantErr string
	}{
		{transport.ShellCmd, transport.Cmd(clpcl, "--suspend"), `"C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe" ^"--suspend^"`, ""},
		{transport.ShellPowerShell, transport.Cmd(clpcl, "--suspend"), `& 'C:\Program Files\EXPRESSCLUSTER\bin\clpcl.exe' '--suspend'; exit $LASTEXITCODE`, ""},
		{transport.ShellCmd, transport.Cmd(transport.NodePath(`C:\Windows\system32\reg.exe`), "query", transport.NodePath(`C:\x y`)), `"C:\Windows\system32\reg.exe" ^"query^" ^"C:\x y^"`, ""},
		{transport.ShellPowerShell, transport.Cmd(clpcl, ""), "", "argument 1 is empty"},
		{transport.ShellCmd, transport.Cmd(clpcl, "a\nb"), "", "argument 1 contains a line break"},
		{transport.ShellCmd, transport.Cmd(transport.NodePath("/opt/nec/clusterpro/bin/clpcl")), "", "use backslashes"},
		{transport.ShellCmd, transport.Shell("exit 0"), "", "POSIX-only"},
		{transport.ShellPowerShell, transport.Cmd("whoami"), "", "POSIX-only"},
	}
	for _, tt := range tests {
		n := &Node{name: "sv1", shell: tt.shell}
		got, err := n.winRequest(tt.cmd)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "sv1") {
				t.Errorf("%s %s: %q, %v; want an error naming sv1 and containing %q", tt.shell, tt.cmd.Display(), got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s %s = %s, %v\nwant %s", tt.shell, tt.cmd.Display(), got, err, tt.want)
		}
	}
	var u *transport.UnsupportedError
	if _, err := (&Node{name: "sv1", shell: transport.ShellCmd}).winRequest(transport.Cmd("cat")); !errors.As(err, &u) {
		t.Errorf("a utility by name: %v; want an UnsupportedError", err)
	}
}
