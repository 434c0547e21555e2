package transport

import "errors"

// ErrIsDirectory is returned (wrapped, with the node and the path) by WriteFile when the target
// path is a directory, or a link to one: a file is never moved into it instead.
var ErrIsDirectory = errors.New("the target is a directory, not a file")
