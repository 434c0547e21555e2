package sshnode

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The wrapped command quotes the user and the inner script as single words, and never holds
// the password.
func TestBecomeWrapCommand(t *testing.T) {
	const tok = "@cluster:00ff"
	const show = `printf '\''%s\n'\'' @cluster:00ff; printf '\''%s\n'\'' @cluster:00ff >&2; `
	tests := []struct {
		name    string
		b       Become
		wantCmd string
	}{
		{"no password: sudo -n", Become{},
			`exec sudo -n -- /bin/sh -c '` + show + `[ -z "$1" ] || export CLUSTER_NODE_ROOT="$1"; exec /bin/sh -s' sh "${CLUSTER_NODE_ROOT-}"`},
		{"another user, quoted", Become{User: "o'brien"},
			`exec sudo -n -u 'o'\''brien' -- /bin/sh -c '` + show + `[ -z "$1" ] || export CLUSTER_NODE_ROOT="$1"; exec /bin/sh -s' sh "${CLUSTER_NODE_ROOT-}"`},
		{"password: sudo -S with a prompt of its own, then the lines up to the marker", Become{Password: []byte("pa ss'$(x)")},
			`exec sudo -S -p '@cluster:00ff:password ' -- /bin/sh -c '` + show + `IFS= read -r l; [ "$l" = @cluster:00ff ] || IFS= read -r l; [ "$l" = @cluster:00ff ] || { echo "cluster: sudo'\''s input is out of step" >&2; exit 1; }; l=; [ -z "$1" ] || export CLUSTER_NODE_ROOT="$1"; exec /bin/sh -s' sh "${CLUSTER_NODE_ROOT-}"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := tt.b.wrap("exec /bin/sh -s", tok)
			if d := cmp.Diff(tt.wantCmd, cmd); d != "" {
				t.Errorf("command (-want +got):\n%s", d)
			}
		})
	}
}

// fakeSudo is a sudo for the wrapper's shell side: it checks the flags and, when told to ask,
// prompts on stderr and reads password lines (as sudo -S does, up to the newline) for up to three
// tries, saying "Sorry, try again." after a wrong one; it refuses like sudo when told to, and
// runs the command after "--" with an empty environment (env_reset). It counts the tries in
// $TRIES.
const fakeSudo = `#!/bin/sh
while [ "$1" != "--" ]; do
	case "$1" in
	-S) asks=1 ;;
	-p) prompt=$2; shift ;;
	-u) shift ;;
	esac
	shift
done
shift
if [ "$FAKE" = refuse ]; then echo "sudo: a password is required" >&2; exit 1; fi
if [ "$FAKE" = ask ]; then
	[ -n "$asks" ] || { echo "sudo: a password is required" >&2; exit 1; }
	n=0
	while :; do
		printf '%s' "$prompt" >&2
		n=$((n+1)); echo $n >"$TRIES"
		if ! IFS= read -r pw; then echo; echo "sudo: $((n-1)) incorrect password attempt" >&2; exit 1; fi
		[ "$pw" = "$WANT" ] && break
		echo "Sorry, try again." >&2
		[ $n -lt 3 ] || { echo "sudo: 3 incorrect password attempts" >&2; exit 1; }
	done
fi
exec env -i PATH=/usr/bin:/bin "$@"
`

// The wrapper, run by a real /bin/sh against a fake sudo, gives the command exactly its own
// stdin whether sudo reads the password or not, passes the node root through env_reset, keeps
// sudo's words apart from the command's stderr, and lets a wrong password cost one try.
func TestBecomeWrapRuns(t *testing.T) {
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "sudo"), []byte(fakeSudo), 0o755); err != nil {
		t.Fatal(err)
	}
	// The command prints its stdin and the node root, and writes to stderr.
	const command = `cat; echo "root=$CLUSTER_NODE_ROOT"; echo oops >&2`
	tests := []struct {
		name      string
		b         Become
		fake      string
		wantOut   string
		wantErr   string // the command's stderr
		wantSudo  string // sudo's, before the marker, prompts left out
		wantRan   bool
		wantTries string
	}{
		{"NOPASSWD, no password", Become{}, "", "script\nroot=/r\n", "oops\n", "", true, ""},
		{"NOPASSWD, password given: the line is skipped", Become{Password: []byte("pw")}, "", "script\nroot=/r\n", "oops\n", "", true, ""},
		{"password read by sudo", Become{Password: []byte("pw")}, "ask", "script\nroot=/r\n", "oops\n", "", true, "1\n"},
		{"wrong password: one try", Become{Password: []byte("nope")}, "ask", "", "", "Sorry, try again.\nsudo: 1 incorrect password attempt\n", false, "2\n"},
		{"sudo -n refused", Become{}, "refuse", "", "", "sudo: a password is required\n", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tries := filepath.Join(t.TempDir(), "tries")
			var out, errb bytes.Buffer
			wrapped, stdin, stdout, stderr, s := tt.b.start(command, strings.NewReader("script\n"), &out, &errb)
			defer s.end()
			cmd := exec.Command("/bin/sh", "-c", wrapped)
			cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "CLUSTER_NODE_ROOT=/r", "FAKE=" + tt.fake, "WANT=pw", "TRIES=" + tries}
			cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
			done := make(chan struct{})
			go func() { cmd.Run(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the session hangs")
			}
			gotTries, _ := os.ReadFile(tries)
			got := []any{out.String(), errb.String(), string(s.said()), s.ran(), string(gotTries)}
			want := []any{tt.wantOut, tt.wantErr, tt.wantSudo, tt.wantRan, tt.wantTries}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("stdout, command's stderr, sudo's stderr, ran, tries (-want +got):\n%s", d)
			}
			if tt.b.Password != nil && strings.Contains(out.String()+errb.String()+string(s.said()), string(tt.b.Password)) {
				t.Errorf("the password reached an output")
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

// A password sudo -S could not take as one line is refused before anything is sent.
func TestBecomePasswordMustBeOneLine(t *testing.T) {
	for _, pw := range []string{"a\nb", "a\rb", "a\x00b"} {
		if err := (&Become{Password: []byte(pw)}).check(); err == nil || strings.Contains(err.Error(), pw) {
			t.Errorf("%q: %v", pw, err)
		}
	}
	if err := (&Become{Password: []byte("fine pw")}).check(); err != nil {
		t.Error(err)
	}
}
