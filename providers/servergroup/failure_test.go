package servergroup

import (
	"errors"
	"fmt"
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// A failed shell script is named by its step, and the roster keeps the command's own message,
// not the first line of the script's text ("sh -c 'set -e").
func TestFailureReasonIsTheCommandsMessage(t *testing.T) {
	cmd := transport.Shell(unpackScript, "/var/tmp/a.tgz")
	res := transport.Result{ExitCode: 2, Stderr: []byte("tar: /opt/wsmgr: Cannot mkdir: Not a directory\ntar: Error is not recoverable\n")}
	err := fmt.Errorf("server_group.web.member.web3: %w", failed(cmd, "sync the settings", res))

	want := `server_group.web.member.web3: the "sync the settings" script exited with status 2: tar: /opt/wsmgr: Cannot mkdir: Not a directory`
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", err, want)
	}
	if got := failureReason(err); got != "tar: /opt/wsmgr: Cannot mkdir: Not a directory" {
		t.Errorf("reason %q", got)
	}
	if got := failureReason(errors.New("3 file(s) differ from the management node\nmore")); got != "3 file(s) differ from the management node" {
		t.Errorf("reason of a plain error %q", got)
	}
	one := failed(transport.Cmd("/usr/local/bin/lbctl", "detach", "web3"), "detach from the load balancer", transport.Result{ExitCode: 1, Stdout: []byte("no such backend\n")})
	if want := "/usr/local/bin/lbctl detach web3 exited with status 1: no such backend"; one.Error() != want {
		t.Errorf("one-line command: %q, want %q", one.Error(), want)
	}
}
