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
// (its Stdin bytes, or /dev/null) and its stdout and stderr captured to files. When all have run,
// the script reports every exit status in one frame, every captured size with one wc, and every
// payload with one cat: on a busy node, process starts are what a batch costs, so they do not
// grow with the number of commands beyond the commands themselves. A failing command does not
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

// batchScript returns the script and the stdin blocks it consumes, in order. Its output is
//
//	@cluster rc <exit 0> <exit 1> ...
//	<wc -c output for o0 e0 o1 e1 ...>
//	@cluster data
//	<o0><e0><o1><e1>...
//	@cluster end
func batchScript(cmds []transport.Command) (string, io.Reader) {
	var b strings.Builder
	b.WriteString(scriptPreamble)
	var blocks []io.Reader
	var files []string
	for i, c := range cmds {
		in := "/dev/null"
		if c.Stdin != nil {
			fmt.Fprintf(&b, "recv %d \"$d/i\"\n", len(c.Stdin))
			blocks = append(blocks, bytes.NewReader(c.Stdin))
			in = `"$d/i"`
		}
		fmt.Fprintf(&b, "( %s ) <%s >\"$d/o%d\" 2>\"$d/e%d\"; r%d=$?\n", c.String(), in, i, i, i)
		files = append(files, fmt.Sprintf(`"$d/o%d" "$d/e%d"`, i, i))
	}
	fmt.Fprintf(&b, "printf '@cluster rc%s\\n'", strings.Repeat(" %s", len(cmds)))
	for i := range cmds {
		fmt.Fprintf(&b, ` "$r%d"`, i)
	}
	all := strings.Join(files, " ")
	fmt.Fprintf(&b, "\nwc -c %s || exit 72\nprintf '@cluster data\\n'\ncat -- %s || exit 72\nprintf '@cluster end\\n'\n", all, all)
	return b.String(), io.MultiReader(blocks...)
}

// parseBatch parses the output of a batch of n commands.
func parseBatch(out []byte, n int) ([]transport.Result, error) {
	f := newFrames(out)
	fields, ok, err := f.next()
	switch {
	case err != nil:
		return nil, err
	case !ok || len(fields) != n+1 || fields[0] != "rc":
		return nil, fmt.Errorf("unexpected frame %q", strings.Join(fields, " "))
	}
	codes, err := ints(fields[1:])
	if err != nil {
		return nil, err
	}
	// wc prints one "<bytes> <file>" line per file, then a total line when there are several.
	sizes := make([]int, 0, 2*n)
	for {
		line, err := f.r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("output ended early (missing data frame)")
		}
		if line == framePrefix+"data\n" {
			break
		}
		if len(sizes) == 2*n {
			continue // the total line
		}
		size, err := strconv.Atoi(strings.Fields(line + " x")[0])
		if err != nil || size < 0 {
			return nil, fmt.Errorf("bad size line %q", truncate(line, 80))
		}
		sizes = append(sizes, size)
	}
	if len(sizes) != 2*n {
		return nil, fmt.Errorf("got %d sizes for %d commands", len(sizes), n)
	}
	results := make([]transport.Result, n)
	for i := range results {
		results[i].ExitCode = codes[i]
		if results[i].Stdout, err = f.payload(sizes[2*i]); err != nil {
			return nil, err
		}
		if results[i].Stderr, err = f.payload(sizes[2*i+1]); err != nil {
			return nil, err
		}
	}
	if _, more, err := f.next(); err != nil || more {
		return nil, fmt.Errorf("output ended early (missing end frame)")
	}
	return results, nil
}
