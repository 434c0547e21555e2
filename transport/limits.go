package transport

import (
	"errors"
	"fmt"
)

// ErrIsDirectory is returned (wrapped, with the node and the path) by WriteFile when the target
// path is a directory, or a link to one: a file is never moved into it instead.
var ErrIsDirectory = errors.New("the target is a directory, not a file")

// IsDirectoryError is the error every transport's WriteFile returns for a target that is a
// directory: ErrIsDirectory, naming the node and the path.
func IsDirectoryError(node string, path NodePath) error {
	return fmt.Errorf("%s: write %s: %w; nothing was written", node, path, ErrIsDirectory)
}

// MaxOutputSize bounds what one operation (Run, Batch, ReadFiles) may bring back from a node:
// its standard output and error together. A node is not trusted to answer with a sane amount;
// what the tool reads (a configuration directory, status output) is far smaller.
const MaxOutputSize = 64 << 20

// OutputLimitError says a node answered with more than MaxOutputSize bytes; nothing of that
// answer is used.
type OutputLimitError struct {
	Node  string
	Limit int
}

func (e *OutputLimitError) Error() string {
	return fmt.Sprintf("%s: the node's output exceeds the limit of %d bytes (%d MiB); refusing to read more", e.Node, e.Limit, e.Limit>>20)
}
