package sshnode

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/clusterctl/cluster/transport"
)

// A remote script is sent on the session's standard input, followed by the data it consumes,
// if any. A script without data runs as "sh -s", reading itself from stdin (so no command in it
// may read stdin: Batch gives each /dev/null or its own file). A script with data is loaded by
// the session command, which reads exactly its length with head -c and evaluates it; the script
// then reads each data block with head -c N ("sh -s" cannot be used there: dash (Debian's
// /bin/sh) reads its script in blocks and would swallow the data behind it). Either way the
// script is one brace group, and a shell runs no part of a group it has not read to the closing
// brace: a script cut short in transit runs not at all, rather than up to a cut-off command.
//
// Scripts answer on stdout with frames, or with markers (Batch, see batchScript).

// A frame is a header line "@cluster <fields...>" followed by payloads whose byte counts are
// the header's trailing numbers, so output of any bytes is carried intact. The last frame is
// "@cluster end"; a stream without it was cut.

// framePrefix starts every frame header.
const framePrefix = "@cluster "

// scriptPreamble is shared by every script: a private temporary directory removed on exit, also
// when the session is cut (SIGHUP/SIGPIPE) or killed politely.
const scriptPreamble = `d=$(mktemp -d "${TMPDIR:-/tmp}/cluster.XXXXXX") || exit 70
trap 'rm -rf -- "$d"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM
# recv N FILE: read exactly N bytes of stdin into FILE, or stop: never act on partial input.
recv() {
	head -c "$1" >"$2" || exit 71
	[ "$(exec wc -c <"$2")" -eq "$1" ] || { echo "cluster: input cut short" >&2; exit 71; }
}
`

// bootstrap is the session command that runs a script of n bytes read from stdin, with data
// behind it or not. It is started through "exec /bin/sh" so that the login shell, whatever it
// is, only parses plain or quoted words.
func bootstrap(n int, withData bool) string {
	if !withData {
		return "exec /bin/sh -s"
	}
	return "exec /bin/sh -c " + transport.Quote(`eval "$(head -c `+strconv.Itoa(n)+`)"`)
}

// shellWord renders a path for a script, under the node root.
func shellWord(p transport.NodePath) string { return transport.Cmd(p).String() }

// runScript runs script in one session, with data behind it on stdin, and returns its stdout,
// stderr and exit status. Like a command, it may run for atLeast when that is longer than the
// node's command timeout.
func (n *Node) runScript(ctx context.Context, atLeast time.Duration, script string, data io.Reader) (stdout, stderr []byte, code int, err error) {
	var out, errb bytes.Buffer
	script = "{\n" + script + "}\n"
	stdin := io.Reader(strings.NewReader(script))
	if data != nil {
		stdin = io.MultiReader(stdin, data)
	}
	code, err = n.session(ctx, atLeast, bootstrap(len(script), data != nil), stdin, &out, &errb)
	if err != nil {
		// The abandoned session may still be writing to the buffers.
		return nil, nil, 0, err
	}
	return out.Bytes(), errb.Bytes(), code, nil
}

// frames reads the frame stream of a script.
type frames struct {
	r *bufio.Reader
}

func newFrames(b []byte) *frames { return &frames{r: bufio.NewReader(bytes.NewReader(b))} }

// next returns the fields of the next header; ok is false at a clean end, err for a cut or
// corrupt stream.
func (f *frames) next() (fields []string, ok bool, err error) {
	line, err := f.r.ReadString('\n')
	if err != nil {
		return nil, false, fmt.Errorf("output ended early (missing end frame)")
	}
	if !strings.HasPrefix(line, framePrefix) {
		return nil, false, fmt.Errorf("unexpected output %q", truncate(line, 80))
	}
	fields = strings.Fields(strings.TrimPrefix(line, framePrefix))
	if len(fields) == 1 && fields[0] == "end" {
		return nil, false, nil
	}
	return fields, true, nil
}

// payload reads the next n bytes.
func (f *frames) payload(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(f.r, b); err != nil {
		return nil, fmt.Errorf("output ended inside a payload: %w", err)
	}
	return b, nil
}

// ints parses header fields as non-negative integers.
func ints(fields []string) ([]int, error) {
	out := make([]int, len(fields))
	for i, s := range fields {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v < 0 {
			return nil, fmt.Errorf("bad frame field %q", s)
		}
		out[i] = v
	}
	return out, nil
}

// scriptError describes a script that failed as a whole; stderr is its error output as text
// (Node.outputText).
func scriptError(node, what string, code int, stderr string, cause error) error {
	msg := strings.TrimSpace(stderr)
	if msg != "" {
		msg = ": " + truncate(msg, 500)
	}
	if cause != nil {
		return fmt.Errorf("%s: %s (exit %d%s): %w", node, what, code, msg, cause)
	}
	return fmt.Errorf("%s: %s failed (exit %d)%s", node, what, code, msg)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
