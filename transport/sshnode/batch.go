package sshnode

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clusterctl/cluster/transport"
)

// Batch runs cmds in order in one session. Each command runs in a subshell with its own stdin
// (its Stdin bytes, or /dev/null); its stdout and stderr go straight to the session's, each
// closed by a marker line carrying a token drawn for this batch (and, on stdout, the exit
// status). Nothing is staged in files on the node: on a busy node process starts are what a
// batch costs, and this way the batch starts none beyond the commands themselves. A failing
// command does not stop the next.
//
// Like any command run over SSH, a command that leaves a background child holding its stdout
// keeps the session open until that child exits.
func (n *Node) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	if len(cmds) == 0 {
		return nil, nil
	}
	if n.windows() {
		return n.batchWindows(ctx, cmds)
	}
	tok := newMarker()
	script, data := batchScript(cmds, tok)
	// The session carries every command, so it may last as long as the longest asks.
	var atLeast time.Duration
	for _, c := range cmds {
		atLeast = max(atLeast, c.Timeout)
	}
	stdout, stderr, code, err := n.runScript(ctx, atLeast, script, data)
	if err != nil {
		return nil, err
	}
	results, perr := parseBatch(stdout, stderr, tok, len(cmds))
	if perr != nil {
		return nil, scriptError(n.name, "batch", code, n.outputText(withoutMarkers(stderr, tok)), perr)
	}
	return results, nil
}

// newMarker returns a token that no command's output contains but by a 2^-128 chance: the
// node learns it only with the script that prints it.
func newMarker() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return "@cluster:" + hex.EncodeToString(b[:])
}

// batchScript returns the script and the stdin blocks it consumes, in order. Its streams are
//
//	stdout: <tok>\n <out 0><tok> 0 <exit 0>\n <out 1><tok> 1 <exit 1>\n ... <tok> end\n
//	stderr: <tok>\n <err 0><tok> 0\n <err 1><tok> 1\n ...
//
// The opening marker sets apart what the login shell's rc files may print before the script.
// A command whose stdin is StdinChecked reads its block straight from the session through
// head -c (exactly the block's bytes, as GNU head -c reads no further than its count), and
// whatever it leaves unread is drained after it, so the next block starts where it should: the
// data is written once, by the command. Only the other commands with stdin data need the
// private directory (and its cleanup traps) of scriptPreamble: each such block is received
// whole into a file, and counted, before its command starts.
func batchScript(cmds []transport.Command, tok string) (string, io.Reader) {
	var b strings.Builder
	var blocks []io.Reader
	for _, c := range cmds {
		if c.Stdin != nil && !c.StdinChecked {
			b.WriteString(scriptPreamble)
			break
		}
	}
	fmt.Fprintf(&b, "printf '%s\\n'; printf '%s\\n' >&2\n", tok, tok)
	// A batch with a command that runs only after success (transport.DoInOrder) keeps each
	// command's status in s, which the commands do not see (inBatch unsets it).
	guarded := slices.ContainsFunc(cmds, func(c transport.Command) bool { return c.AfterSuccess })
	if guarded {
		b.WriteString("s=0\n")
	}
	for i, c := range cmds {
		in := "/dev/null"
		// An empty checked block needs no stream: /dev/null gives the command the same empty
		// stdin, without head and the pipeline's process.
		streamed := c.Stdin != nil && c.StdinChecked && len(c.Stdin) > 0
		skip := fmt.Sprintf("s=%d", transport.ExitSkipped)
		switch {
		case streamed:
			blocks = append(blocks, bytes.NewReader(c.Stdin))
			skip = fmt.Sprintf("head -c %d >/dev/null; %s", len(c.Stdin), skip)
		case c.Stdin != nil && !c.StdinChecked:
			fmt.Fprintf(&b, "recv %d \"$d/i\"\n", len(c.Stdin))
			blocks = append(blocks, bytes.NewReader(c.Stdin))
			in = `"$d/i"`
		}
		run, status := fmt.Sprintf("( %s ) <%s", inBatch(c), in), "$?"
		if streamed {
			run = fmt.Sprintf(`head -c %d | ( ( %s ); s=$?; %s; exit "$s" )`, len(c.Stdin), inBatch(c), drain(len(c.Stdin)))
		}
		if guarded {
			run, status = run+"; s=$?", "$s"
		}
		if c.AfterSuccess {
			run = fmt.Sprintf(`if [ "$s" -eq 0 ]; then %s; else %s; fi`, run, skip)
		}
		fmt.Fprintf(&b, "%s; printf '%s %d %%s\\n' \"%s\"; printf '%s %d\\n' >&2\n", run, tok, i, status, tok, i)
	}
	fmt.Fprintf(&b, "printf '%s end\\n'\n", tok)
	if len(blocks) == 0 {
		return b.String(), nil
	}
	return b.String(), io.MultiReader(blocks...)
}

// drainReadMax is the largest block drained by the shell's read builtin rather than by cat.
const drainReadMax = 64 << 10

// drain renders what reads the rest of a streamed block of n bytes after its command, whether
// the command read it all (the usual case: nothing is left) or stopped early. A small block
// is drained by the read builtin, which starts no program (it reads byte by byte, so a large
// block left unread would take long: cat drains those).
func drain(n int) string {
	if n <= drainReadMax {
		return "while IFS= read -r _; do :; done"
	}
	return "cat >/dev/null"
}

// inBatch renders c for the batch's subshell. A command of transport.Shell's form (every
// multi-step command) runs its script in that subshell with eval, its arguments as the
// positional parameters: the same POSIX shell, one process start fewer. The batch's own
// variable (d, the private directory) is unset first, so the script starts with the variables a
// new sh would have; only $0 differs.
func inBatch(c transport.Command) string {
	script, args, ok := c.ShellScript()
	if !ok {
		return c.String()
	}
	params := transport.Command{Args: args}
	return "unset d s; set -- " + params.String() + "; eval " + transport.Quote(script)
}

// parseBatch splits the streams of a batch of n commands into their results.
func parseBatch(stdout, stderr []byte, tok string, n int) ([]transport.Result, error) {
	outs, codes, rest, err := splitMarked(stdout, tok, n, true)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(rest, []byte(tok+" end\n")) {
		return nil, fmt.Errorf("output ended early (missing end marker)")
	}
	errs, _, _, err := splitMarked(stderr, tok, n, false)
	if err != nil {
		return nil, fmt.Errorf("standard error: %w", err)
	}
	results := make([]transport.Result, n)
	for i := range results {
		results[i] = transport.Result{ExitCode: codes[i], Stdout: outs[i], Stderr: errs[i]}
	}
	return results, nil
}

// splitMarked cuts a stream after its opening marker into n parts, each closed by the marker
// "<tok> <i>" (followed by " <exit status>" when withCode), and returns what follows the last.
func splitMarked(stream []byte, tok string, n int, withCode bool) (parts [][]byte, codes []int, rest []byte, err error) {
	start := bytes.Index(stream, []byte(tok+"\n"))
	if start < 0 {
		return nil, nil, nil, fmt.Errorf("output ended early (missing start marker)")
	}
	rest = stream[start+len(tok)+1:]
	parts, codes = make([][]byte, n), make([]int, n)
	for i := range n {
		at := bytes.Index(rest, []byte(tok))
		end := -1
		if at >= 0 {
			end = bytes.IndexByte(rest[at:], '\n')
		}
		if end < 0 {
			return nil, nil, nil, fmt.Errorf("output ended early, after %d of %d commands", i, n)
		}
		parts[i] = rest[:at:at]
		fields := strings.Fields(string(rest[at+len(tok) : at+end]))
		rest = rest[at+end+1:]
		want := 1
		if withCode {
			want = 2
		}
		if len(fields) != want || fields[0] != strconv.Itoa(i) {
			return nil, nil, nil, fmt.Errorf("unexpected marker %q after command %d", strings.Join(fields, " "), i)
		}
		if withCode {
			if codes[i], err = strconv.Atoi(fields[1]); err != nil || codes[i] < 0 {
				return nil, nil, nil, fmt.Errorf("bad exit status %q of command %d", fields[1], i)
			}
		}
	}
	return parts, codes, rest, nil
}

// withoutMarkers drops the marker lines from a batch's stderr, for error messages.
func withoutMarkers(stderr []byte, tok string) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(stderr, []byte("\n")) {
		if i := bytes.Index(line, []byte(tok)); i >= 0 {
			line = line[:i]
		}
		out = append(out, line...)
	}
	return out
}
