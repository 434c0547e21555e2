package sshnode

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// ReadFiles reads every path in one session. Each file is first copied to the script's private
// directory so that its size and bytes are consistent even if it is being replaced meanwhile.
// Frames: "@cluster file <i> ok <mode> <size>" + bytes, "@cluster file <i> missing", or
// "@cluster file <i> error <len>" + message (a directory, an unreadable file).
func (n *Node) ReadFiles(ctx context.Context, paths []transport.NodePath) ([]transport.File, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	if n.windows() {
		return n.readFilesWindows(ctx, paths)
	}
	stdout, stderr, code, err := n.runScript(ctx, 0, readFilesScript(paths), nil)
	if err != nil {
		return nil, err
	}
	files, perr := parseReadFiles(stdout, paths)
	if perr != nil {
		return nil, scriptError(n.name, "read files", code, n.outputText(stderr), perr)
	}
	return files, nil
}

func readFilesScript(paths []transport.NodePath) string {
	var b strings.Builder
	b.WriteString(scriptPreamble)
	b.WriteString(`readf() {
	if [ -f "$2" ]; then
		if cat -- "$2" >"$d/f" 2>"$d/e"; then
			printf '@cluster file %s ok %s %s\n' "$1" "$(stat -L -c %a -- "$2")" "$(exec wc -c <"$d/f")"
			cat -- "$d/f"
			return
		fi
	elif [ -e "$2" ]; then
		printf 'not a regular file' >"$d/e"
	else
		printf '@cluster file %s missing\n' "$1"
		return
	fi
	printf '@cluster file %s error %s\n' "$1" "$(exec wc -c <"$d/e")"
	cat -- "$d/e"
}
`)
	for i, p := range paths {
		fmt.Fprintf(&b, "readf %d %s\n", i, shellWord(p))
	}
	b.WriteString("printf '@cluster end\\n'\n")
	return b.String()
}

func parseReadFiles(out []byte, paths []transport.NodePath) ([]transport.File, error) {
	f := newFrames(out)
	files := make([]transport.File, 0, len(paths))
	for {
		fields, ok, err := f.next()
		if err != nil {
			return nil, fmt.Errorf("after %d of %d files: %w", len(files), len(paths), err)
		}
		if !ok {
			break
		}
		i := len(files)
		if len(fields) < 3 || fields[0] != "file" || fields[1] != strconv.Itoa(i) || i >= len(paths) {
			return nil, fmt.Errorf("unexpected frame %q", strings.Join(fields, " "))
		}
		file := transport.File{Path: paths[i]}
		switch {
		case fields[2] == "missing" && len(fields) == 3:
		case fields[2] == "ok" && len(fields) == 5:
			mode, err := parseMode(fields[3])
			if err != nil {
				return nil, err
			}
			size, err := ints(fields[4:])
			if err != nil {
				return nil, err
			}
			if file.Data, err = f.payload(size[0]); err != nil {
				return nil, err
			}
			file.Exists, file.Mode = true, mode
		case fields[2] == "error" && len(fields) == 4:
			size, err := ints(fields[3:])
			if err != nil {
				return nil, err
			}
			msg, err := f.payload(size[0])
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("read %s: %s", paths[i], strings.TrimSpace(string(msg)))
		default:
			return nil, fmt.Errorf("unexpected frame %q", strings.Join(fields, " "))
		}
		files = append(files, file)
	}
	if len(files) != len(paths) {
		return nil, fmt.Errorf("got %d of %d files", len(files), len(paths))
	}
	return files, nil
}

// parseMode converts stat's octal %a (e.g. "4755") to an fs.FileMode.
func parseMode(s string) (fs.FileMode, error) {
	v, err := strconv.ParseUint(s, 8, 32)
	if err != nil {
		return 0, fmt.Errorf("bad mode %q", s)
	}
	return transport.ModeFromUnix(uint32(v)), nil
}
