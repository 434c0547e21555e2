package sshnode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/clusterctl/cluster/transport"
)

// Become makes every session of a node run as another user (root by default) through sudo.
// sudo wraps the session's whole command, so a batch, a file read or a file write is one sudo
// process and at most one password check, never one per command.
//
// The session command becomes
//
//	exec sudo -n|-S -p PROMPT [-u USER] -- /bin/sh -c 'INNER' sh "${CLUSTER_NODE_ROOT-}"
//
// INNER first writes a marker line to stdout and to stderr: what a stream carries before it is
// sudo's (a refusal, a lecture, its prompts) or the login shell's (a banner from its rc files),
// and is dropped; what follows is the command's. A session whose stderr lacks the marker never
// ran its command, and fails with a *BecomeError that quotes sudo. CLUSTER_NODE_ROOT (set on lab
// and test nodes, see docs/design.md) is passed as an argument because sudo's env_reset drops
// the environment.
type Become struct {
	// User is the user to run as ("" is root).
	User string
	// Password is the login user's sudo password, nil to run sudo -n (never prompt). It is sent
	// on the session's stdin only: never on a command line, in the environment or in an error.
	Password []byte
}

// errBadPassword refuses a password sudo -S could not read as one line.
var errBadPassword = errors.New("become_password must not contain a line break or a NUL byte")

func (b *Become) check() error {
	if b != nil && bytes.ContainsAny(b.Password, "\n\r\x00") {
		return errBadPassword
	}
	return nil
}

// wrap returns the session command that runs command through sudo. tok is a marker drawn for
// this session; with a password, tok+promptSuffix is sudo's prompt.
//
// Without a password, sudo -n fails at once where it would ask, instead of waiting for an
// answer that never comes. With one, stdin carries "<password>\n" first and, once INNER has
// printed its marker (see becomeSession), "<tok>\n" and then the command's own stdin. sudo -S
// reads the password's line when it asks (a byte at a time, up to the newline); when it does
// not ask (NOPASSWD, !authenticate), INNER reads that line itself: INNER reads lines until the
// one that holds tok, so the command starts exactly where its own stdin starts, and the
// password is never read by a shell as a command.
func (b *Become) wrap(command, tok string) string {
	var inner strings.Builder
	flags := "-n"
	fmt.Fprintf(&inner, `printf '%%s\n' %[1]s; printf '%%s\n' %[1]s >&2; `, tok)
	if b.Password != nil {
		flags = "-S -p " + transport.Quote(tok+promptSuffix)
		fmt.Fprintf(&inner, `IFS= read -r l; [ "$l" = %[1]s ] || IFS= read -r l; [ "$l" = %[1]s ] || { echo "cluster: sudo's input is out of step" >&2; exit 1; }; l=; `, tok)
	}
	fmt.Fprintf(&inner, `[ -z "$1" ] || export CLUSTER_NODE_ROOT="$1"; %s`, command)
	if b.User != "" {
		flags += " -u " + transport.Quote(b.User)
	}
	return "exec sudo " + flags + " -- /bin/sh -c " + transport.Quote(inner.String()) + ` sh "${CLUSTER_NODE_ROOT-}"`
}

// promptSuffix ends sudo's prompt, so that the prompt differs from the marker line.
const promptSuffix = ":password "

// becomeSession is one session's traffic through the wrapper.
type becomeSession struct {
	tok            string
	stdout, stderr *markerCut
	gate           *passwordGate // nil without a password
}

// start wraps command and the session's streams. Call end when the session is over.
func (b *Become) start(command string, stdin io.Reader, stdout, stderr io.Writer) (string, io.Reader, io.Writer, io.Writer, *becomeSession) {
	s := &becomeSession{tok: newMarker()}
	s.stdout = &markerCut{tok: []byte(s.tok), out: stdout}
	s.stderr = &markerCut{tok: []byte(s.tok), out: stderr}
	if b.Password != nil {
		if stdin == nil {
			stdin = bytes.NewReader(nil)
		}
		s.gate = newPasswordGate(io.MultiReader(strings.NewReader(s.tok+"\n"), stdin))
		prompt := []byte(s.tok + promptSuffix)
		s.stderr.progress = func(before []byte, ran bool) {
			switch {
			case ran:
				s.gate.pass()
			case bytes.Count(before, prompt) > 1:
				s.gate.stop() // sudo asks again: the password was wrong
			}
		}
		stdin = io.MultiReader(bytes.NewReader(append(append([]byte{}, b.Password...), '\n')), s.gate)
	}
	return b.wrap(command, s.tok), stdin, s.stdout, s.stderr, s
}

// end releases what the session holds back.
func (s *becomeSession) end() {
	if s.gate != nil {
		s.gate.stop()
	}
}

// ran reports whether sudo started the command.
func (s *becomeSession) ran() bool { return s.stderr.seen }

// said is what stderr carried before the command, sudo's prompts left out.
func (s *becomeSession) said() []byte {
	return bytes.ReplaceAll(s.stderr.before.Bytes(), []byte(s.tok+promptSuffix), nil)
}

// passwordGate holds back the rest of a session's stdin (after the password's line) until
// sudo has started the command, and ends it instead when sudo asks for the password again: sudo
// then meets the end of its input and gives up after one wrong attempt, not three (each counts
// for pam_faillock and its like), and no line of the script is ever offered to sudo as a
// password.
type passwordGate struct {
	rest       io.Reader
	open, shut chan struct{}
	openOnce   sync.Once
	shutOnce   sync.Once
}

func newPasswordGate(rest io.Reader) *passwordGate {
	return &passwordGate{rest: rest, open: make(chan struct{}), shut: make(chan struct{})}
}

func (g *passwordGate) pass() { g.openOnce.Do(func() { close(g.open) }) }
func (g *passwordGate) stop() { g.shutOnce.Do(func() { close(g.shut) }) }

func (g *passwordGate) Read(p []byte) (int, error) {
	select {
	case <-g.open:
		return g.rest.Read(p)
	case <-g.shut:
		return 0, io.EOF
	}
}

// markerCut splits a become session's stream at the marker line: before it is sudo's or the
// login shell's, kept in before; after it the command's, passed to out.
type markerCut struct {
	tok    []byte
	out    io.Writer
	before bytes.Buffer
	seen   bool
	// progress, when set, is told what came before the marker so far, and when it is seen.
	progress func(before []byte, seen bool)
}

func (w *markerCut) Write(p []byte) (int, error) {
	if w.seen {
		return w.out.Write(p)
	}
	w.before.Write(p)
	line := append(append([]byte{}, w.tok...), '\n')
	i := bytes.Index(w.before.Bytes(), line)
	if i < 0 {
		if w.progress != nil {
			w.progress(w.before.Bytes(), false)
		}
		return len(p), nil
	}
	w.seen = true
	if w.progress != nil {
		w.progress(nil, true)
	}
	rest := append([]byte{}, w.before.Bytes()[i+len(line):]...)
	w.before.Truncate(i)
	if len(rest) > 0 {
		if _, err := w.out.Write(rest); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
