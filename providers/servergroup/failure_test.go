package servergroup

import (
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// A failed site command is named by its arguments and its own message; a shell script by its
// step, not by the first line of its text ("sh -c 'set -e").
func TestFailedNamesTheCommandAndItsMessage(t *testing.T) {
	one := failed(transport.Cmd("/usr/local/bin/lbctl", "detach", "web3"), transport.ShellPosix, "detach from the load balancer",
		transport.Result{ExitCode: 1, Stdout: []byte("no such backend\n")})
	if want := "/usr/local/bin/lbctl detach web3 exited with status 1: no such backend"; one.Error() != want {
		t.Errorf("one-line command: %q, want %q", one.Error(), want)
	}
	script := failed(transport.Shell("set -e\nfalse", "x"), transport.ShellPosix, "read", transport.Result{ExitCode: 2, Stderr: []byte("boom\nmore\n")})
	if want := `the "read" script exited with status 2: boom`; script.Error() != want {
		t.Errorf("script: %q, want %q", script.Error(), want)
	}
}

// On a cmd node the command is named as cmd.exe receives it, and its message (decoded by the
// transport from the node's code page) is quoted as text.
func TestFailedOnCmdNode(t *testing.T) {
	lbctl := transport.NodePath(`C:\Program Files\LB\lbctl.exe`)
	got := failed(transport.Cmd(lbctl, "detach", "web 3"), transport.ShellCmd, "detach from the load balancer",
		transport.Result{ExitCode: 1, Stderr: []byte("バックエンドがありません\n")})
	if want := `"C:\Program Files\LB\lbctl.exe" detach "web 3" exited with status 1: バックエンドがありません`; got.Error() != want {
		t.Errorf("got  %s\nwant %s", got.Error(), want)
	}
}
