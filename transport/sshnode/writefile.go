package sshnode

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// WriteFile replaces path atomically, in one session: the data follows the script on stdin and
// lands in a temporary file beside the target, which is checked to hold exactly len(data) bytes,
// given the target's mode and owner (or mode for a new file), synced, and renamed over the
// target. If the connection is cut the byte count is short, the script stops and its trap
// removes the temporary file: the old content stays in place. A target that is a directory (or
// a link to one) is refused: mv would otherwise move the file into it and report success.
func (n *Node) WriteFile(ctx context.Context, path transport.NodePath, data []byte, mode fs.FileMode) error {
	if n.windows() {
		if _, err := n.sftpPath(path); err != nil {
			return err
		}
		return n.writeFileWindows(ctx, path, data, mode)
	}
	stdout, stderr, code, err := n.runScript(ctx, 0, writeFileScript(path, len(data), mode), bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if code == exitIsDirectory {
		return transport.IsDirectoryError(n.name, path)
	}
	if code != 0 || !bytes.Equal(stdout, []byte("@cluster end\n")) {
		return scriptError(n.name, "write "+string(path), code, stderr, nil)
	}
	return nil
}

// exitIsDirectory is the write script's exit status when the target is a directory.
const exitIsDirectory = 75

func writeFileScript(path transport.NodePath, size int, mode fs.FileMode) string {
	var b strings.Builder
	fmt.Fprintf(&b, "t=%s\nsize=%d\nmode=%s\n", shellWord(path), size, formatMode(mode))
	b.WriteString(`dir=$(dirname -- "$t") && base=$(basename -- "$t") || exit 70
mkdir -p -- "$dir" || exit 70
if [ -d "$t" ]; then echo "cluster: the target is a directory, not a file; nothing was written" >&2; exit 75; fi
tmp=$(mktemp -- "$dir/.$base.XXXXXX") || exit 70
trap 'rm -f -- "$tmp"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM
head -c "$size" >"$tmp" || exit 71
got=$(wc -c <"$tmp")
if [ "$got" -ne "$size" ]; then
	echo "cluster: received $got of $size bytes; $t left unchanged" >&2
	exit 71
fi
if [ -e "$t" ]; then
	chmod --reference="$t" -- "$tmp" && chown --reference="$t" -- "$tmp" || exit 72
else
	chmod "$mode" -- "$tmp" || exit 72
fi
sync -- "$tmp" 2>/dev/null || dd if=/dev/null of="$tmp" bs=1 count=0 conv=notrunc,fsync 2>/dev/null || exit 73
# Checked again just before the rename: mv onto a directory would move the file into it.
if [ -d "$t" ]; then echo "cluster: the target is a directory, not a file; nothing was written" >&2; exit 75; fi
mv -f -- "$tmp" "$t" || exit 74
trap - EXIT
sync -- "$dir" 2>/dev/null
printf '@cluster end\n'
`)
	return b.String()
}
