package servergroup

import (
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// A failed site command is named by its arguments and its own message; a shell script by its
// step, not by the first line of its text ("sh -c 'set -e").
func TestFailedNamesTheCommandAndItsMessage(t *testing.T) {
	one := failed(transport.Cmd("/usr/local/bin/lbctl", "detach", "web3"), "detach from the load balancer",
		transport.Result{ExitCode: 1, Stdout: []byte("no such backend\n")})
	if want := "/usr/local/bin/lbctl detach web3 exited with status 1: no such backend"; one.Error() != want {
		t.Errorf("one-line command: %q, want %q", one.Error(), want)
	}
	script := failed(transport.Shell("set -e\nfalse", "x"), "read", transport.Result{ExitCode: 2, Stderr: []byte("boom\nmore\n")})
	if want := `the "read" script exited with status 2: boom`; script.Error() != want {
		t.Errorf("script: %q, want %q", script.Error(), want)
	}
}
