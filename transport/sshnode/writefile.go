package sshnode

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"

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
	if code == transport.ExitIsDirectory {
		return transport.IsDirectoryError(n.name, path)
	}
	if code != 0 || !bytes.Equal(stdout, []byte("@cluster end\n")) {
		return scriptError(n.name, "write "+string(path), code, n.outputText(stderr), nil)
	}
	return nil
}

// writeFileScript is WriteFileScript fed by the session: the data follows the script on the
// same stdin, so exactly size bytes are taken from it, and the end marker says it all ran.
func writeFileScript(path transport.NodePath, size int, mode fs.FileMode) string {
	return fmt.Sprintf("t=%s\nsize=%d\nmode=%s\n", shellWord(path), size, transport.FormatMode(mode)) +
		transport.WriteFileScript(`head -c "$size"`) +
		"printf '@cluster end\\n'\n"
}
