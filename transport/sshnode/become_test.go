package sshnode

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The wrapped command quotes the user and the inner script as single words, and puts the
// password nowhere but in the stdin prefix.
func TestBecomeWrapCommand(t *testing.T) {
	const tok = "@cluster:00ff"
	tests := []struct {
		name       string
		b          Become
		wantCmd    string
		wantPrefix string
	}{
		{"no password: sudo -n", Become{},
			`exec sudo -n -- /bin/sh -c 'printf '\''%s\n'\'' @cluster:00ff; printf '\''%s\n'\'' @cluster:00ff >&2; [ -z "$1" ] || export CLUSTER_NODE_ROOT="$1"; exec /bin/sh -s' sh "${CLUSTER_NODE_ROOT-}"`,
			""},
		{"another user, quoted", Become{User: "o'brien"},
			`exec sudo -n -u 'o'\''brien' -- /bin/sh -c 'printf '\''%s\n'\'' @cluster:00ff; printf '\''%s\n'\'' @cluster:00ff >&2; [ -z "$1" ] || export CLUSTER_NODE_ROOT="$1"; exec /bin/sh -s' sh "${CLUSTER_NODE_ROOT-}"`,
			""},
		{"password: sudo -S, password then marker on stdin", Become{Password: []byte("pa ss'$(x)")},
			`exec sudo -S -p '' -- /bin/sh -c 'IFS= read -r l; [ "$l" = @cluster:00ff ] || IFS= read -r l; [ "$l" = @cluster:00ff ] || { echo "cluster: sudo'\''s input is out of step" >&2; exit 1; }; l=; printf '\''%s\n'\'' @cluster:00ff; printf '\''%s\n'\'' @cluster:00ff >&2; [ -z "$1" ] || export CLUSTER_NODE_ROOT="$1"; exec /bin/sh -s' sh "${CLUSTER_NODE_ROOT-}"`,
			"pa ss'$(x)\n" + tok + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, prefix := tt.b.wrap("exec /bin/sh -s", tok)
			if d := cmp.Diff(tt.wantCmd, cmd); d != "" {
				t.Errorf("command (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantPrefix, string(prefix)); d != "" {
				t.Errorf("stdin prefix (-want +got):\n%s", d)
			}
			if tt.b.Password != nil && strings.Contains(cmd, string(tt.b.Password)) {
				t.Errorf("the password is on the command line: %s", cmd)
			}
		})
	}
}

// fakeSudo is a sudo for the wrapper's shell side: it checks the flags, reads the password line
// when told to ask (as sudo -S does, up to the newline), refuses like sudo when told to, and
// runs the command after "--" with an empty environment (env_reset).
const fakeSudo = `#!/bin/sh
while [ "$1" != "--" ]; do
	case "$1" in
	-S) asks=1 ;;
	-n|-p|-u) [ "$1" = -n ] || [ "$1" = -S ] || shift ;;
	esac
	shift
done
shift
if [ "$FAKE" = greedy ]; then cat >/dev/null; fi
if [ "$FAKE" = refuse ]; then echo "sudo: a password is required" >&2; exit 1; fi
if [ "$FAKE" = ask ]; then
	[ -n "$asks" ] || { echo "sudo: a password is required" >&2; exit 1; }
	IFS= read -r pw
	[ "$pw" = "$WANT" ] || { echo "sudo: 1 incorrect password attempt" >&2; exit 1; }
fi
exec env -i PATH=/usr/bin:/bin "$@"
`

// The wrapper, run by a real /bin/sh against a fake sudo, gives the command exactly its own
// stdin whether sudo reads the password or not, passes the node root through env_reset, and
// keeps sudo's words apart from the command's stderr.
func TestBecomeWrapRuns(t *testing.T) {
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "sudo"), []byte(fakeSudo), 0o755); err != nil {
		t.Fatal(err)
	}
	const tok = "@cluster:1234"
	// The command prints its stdin and the node root, and writes to stderr.
	const command = `cat; echo "root=$CLUSTER_NODE_ROOT"; echo oops >&2`
	tests := []struct {
		name       string
		b          Become
		fake       string
		wantOut    string
		wantErr    string // the command's stderr
		wantSudo   string // sudo's, before the marker
		wantRanCmd bool
	}{
		{"NOPASSWD, no password", Become{}, "", "script\nroot=/r\n", "oops\n", "", true},
		{"NOPASSWD, password given: the line is skipped", Become{Password: []byte("pw")}, "", "script\nroot=/r\n", "oops\n", "", true},
		{"password read by sudo", Become{Password: []byte("pw")}, "ask", "script\nroot=/r\n", "oops\n", "", true},
		{"wrong password", Become{Password: []byte("nope")}, "ask", "", "", "sudo: 1 incorrect password attempt\n", false},
		{"sudo -n refused", Become{}, "refuse", "", "", "sudo: a password is required\n", false},
		{"a sudo that reads past the password's line", Become{Password: []byte("pw")}, "greedy", "", "", "cluster: sudo's input is out of step\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wrapped, prefix := tt.b.wrap(command, tok)
			cmd := exec.Command("/bin/sh", "-c", wrapped)
			cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "CLUSTER_NODE_ROOT=/r", "FAKE=" + tt.fake, "WANT=pw"}
			cmd.Stdin = bytes.NewReader(append(prefix, "script\n"...))
			var out bytes.Buffer
			cut := &markerCut{tok: []byte(tok), out: &bytes.Buffer{}}
			cmd.Stdout, cmd.Stderr = &markerCut{tok: []byte(tok), out: &out}, cut
			cmd.Run()
			got := [4]string{out.String(), cut.out.(*bytes.Buffer).String(), cut.before.String(), map[bool]string{true: "ran"}[cut.seen]}
			want := [4]string{tt.wantOut, tt.wantErr, tt.wantSudo, map[bool]string{true: "ran"}[tt.wantRanCmd]}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("stdout, command's stderr, sudo's stderr, ran (-want +got):\n%s", d)
			}
			if bytes.Contains(out.Bytes(), []byte("pw")) && tt.b.Password != nil {
				t.Errorf("the password reached the command's output")
			}
		})
	}
}

// The stderr splitter finds the marker across writes.
func TestBecomeStderrAcrossWrites(t *testing.T) {
	var out bytes.Buffer
	w := &markerCut{tok: []byte("@cluster:ab"), out: &out}
	for _, p := range []string{"lecture\n@clu", "ster:ab", "\nfirst", " second\n"} {
		w.Write([]byte(p))
	}
	if got := [2]string{w.before.String(), out.String()}; got != [2]string{"lecture\n", "first second\n"} {
		t.Errorf("got %q", got)
	}
}

// Each refusal of sudo gets advice that names the fix.
func TestBecomeErrorAdvice(t *testing.T) {
	tests := []struct {
		said string
		code int
		want string
	}{
		{"sudo: a password is required\n", 1, "become_password"},
		{"sudo: sorry, you must have a tty to run sudo\n", 1, `"Defaults:op !requiretty"`},
		{"Sorry, try again.\nsudo: 3 incorrect password attempts\n", 1, "become_password is wrong for op"},
		{"op is not in the sudoers file.\n", 1, "needs a sudoers rule"},
		{"sh: 1: exec: sudo: not found\n", 127, "sudo is not installed"},
	}
	for _, tt := range tests {
		err := &BecomeError{Node: "n1", LoginUser: "op", Message: tt.said, ExitCode: tt.code}
		if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "n1: sudo did not run the command as root") {
			t.Errorf("%q: %v, want advice %q", tt.said, err, tt.want)
		}
	}
}
