package servergroup

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// commandFailure is a command that ran on a node and exited with a non-zero status.
type commandFailure struct {
	what string // the command as shown: its arguments, or `the "<step>" script` for a shell script
	code int
	line string // the first line of its error output (its output when it wrote no error)
}

func (e *commandFailure) Error() string {
	return fmt.Sprintf("%s exited with status %d: %s", e.what, e.code, e.line)
}

// failed describes the failure of cmd, run as step on a node of the given shell, from its
// result.
func failed(cmd transport.Command, shell, step string, res transport.Result) *commandFailure {
	out := strings.TrimSpace(string(res.Stderr))
	if out == "" {
		out = strings.TrimSpace(string(res.Stdout))
	}
	what := cmd.DisplayFor(shell)
	if strings.Contains(what, "\n") {
		// A shell script: its text would only show up to its first line ("sh -c 'set -e").
		what = fmt.Sprintf("the %q script", step)
	}
	return &commandFailure{what: what, code: res.ExitCode, line: transport.FirstLine([]byte(out))}
}
