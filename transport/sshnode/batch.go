package sshnode

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// Batch runs cmds in order in one session. Each command runs in a subshell with its own stdin
// (its Stdin bytes, or /dev/null) and its stdout and stderr captured to files, which are then
// framed as "@cluster cmd <i> <exit> <stdout bytes> <stderr bytes>". A failing command does not
// stop the next.
func (n *Node) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	if len(cmds) == 0 {
		return nil, nil
	}
	script, data := batchScript(cmds)
	stdout, stderr, code, err := n.runScript(ctx, script, data)
	if err != nil {
		return nil, err
	}
	results, perr := parseBatch(stdout, len(cmds))
	if perr != nil {
		return nil, scriptError(n.name, "batch", code, stderr, perr)
	}
	return results, nil
}

// batchScript returns the script and the stdin blocks it consumes, in order.
func batchScript(cmds []transport.Command) (string, io.Reader) {
	var b strings.Builder
	b.WriteString(scriptPreamble)
	b.WriteString(`emit() { printf '@cluster cmd %s %s %s %s\n' "$1" "$2" "$(wc -c <"$d/o")" "$(wc -c <"$d/e")"; cat -- "$d/o" "$d/e"; }
`)
	var blocks []io.Reader
	for i, c := range cmds {
		in := "/dev/null"
		if c.Stdin != nil {
			fmt.Fprintf(&b, "recv %d \"$d/i\"\n", len(c.Stdin))
			blocks = append(blocks, bytes.NewReader(c.Stdin))
			in = `"$d/i"`
		}
		fmt.Fprintf(&b, "( %s ) <%s >\"$d/o\" 2>\"$d/e\"; emit %d $?\n", c.String(), in, i)
	}
	b.WriteString("printf '@cluster end\\n'\n")
	return b.String(), io.MultiReader(blocks...)
}

// parseBatch parses the frames of a batch of n commands.
func parseBatch(out []byte, n int) ([]transport.Result, error) {
	f := newFrames(out)
	results := make([]transport.Result, 0, n)
	for {
		fields, ok, err := f.next()
		if err != nil {
			return nil, fmt.Errorf("after %d of %d commands: %w", len(results), n, err)
		}
		if !ok {
			break
		}
		if len(fields) != 5 || fields[0] != "cmd" || fields[1] != strconv.Itoa(len(results)) {
			return nil, fmt.Errorf("unexpected frame %q", strings.Join(fields, " "))
		}
		v, err := ints(fields[2:])
		if err != nil {
			return nil, err
		}
		r := transport.Result{ExitCode: v[0]}
		if r.Stdout, err = f.payload(v[1]); err != nil {
			return nil, err
		}
		if r.Stderr, err = f.payload(v[2]); err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	if len(results) != n {
		return nil, fmt.Errorf("got %d results for %d commands", len(results), n)
	}
	return results, nil
}
