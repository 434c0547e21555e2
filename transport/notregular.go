package transport

import (
	"errors"
	"fmt"
)

// ExitNotRegular is the status of a ReadTree (or ReadFiles) op that met, among the entries it
// reads, something that is neither a regular file nor a directory: a symbolic link (dangling
// or not), a Windows symbolic link (a reparse point Win32-OpenSSH reports as a link), a device
// or a fifo. Every dialect fails the op with this status and NotRegularMessage, instead of
// skipping the entry (it would read as a missing file) or following it (its target is not part
// of the tree). Outcome.Err wraps ErrNotRegular for it.
const ExitNotRegular = 258

// ErrNotRegular is wrapped by Outcome.Err for an op that failed with ExitNotRegular.
var ErrNotRegular = errors.New("not a regular file or directory")

// NotRegularMessage is the op's stderr for the entry rel (a slash path relative to the tree's
// directory, or the path read).
func NotRegularMessage(rel string) string {
	return fmt.Sprintf("%s is not a regular file or directory (a symbolic link or special file): refused", rel)
}

// NotRegularError is an entry that is neither a regular file nor a directory, for the code
// that decodes or reads a tree (the POSIX tar stream, the SFTP walk).
type NotRegularError struct{ Rel string }

func (e *NotRegularError) Error() string { return NotRegularMessage(e.Rel) }

// Unwrap makes errors.Is(err, ErrNotRegular) true.
func (e *NotRegularError) Unwrap() error { return ErrNotRegular }

// notRegularOp is Outcome.Err's error for ExitNotRegular: the op and the node's message,
// matching ErrNotRegular.
type notRegularOp struct{ msg string }

func (e *notRegularOp) Error() string { return e.msg }
func (e *notRegularOp) Unwrap() error { return ErrNotRegular }
