// Package transport is the narrow interface through which providers reach a node. Providers
// say what they need as typed operations (Op: run a program, read files or a tree, stat, write
// atomically, copy a tree aside, remove, make a directory, create exclusively) and run them with
// Do or DoInOrder, reading each outcome through a typed Probe; a node's dialect carries them out
// (POSIX: PosixCommand renders each op, and one Batch runs them all in one session). It knows
// nothing of SSH or of the configuration language; transport/sshnode implements Node over SSH,
// transport/local on this machine and transport/fake in memory for unit tests.
//
// Commands are never strings pasted together: a Command is a list of arguments, each quoted for
// a POSIX shell when the command is rendered. File contents travel on stdin, never in a command
// line.
package transport

import (
	"context"
	"io/fs"
	"strings"
)

// Node is one connected machine. Implementations are safe for concurrent use.
type Node interface {
	// Name is the node's canonical address string, used in errors and progress lines.
	Name() string

	// Run runs one command in its own session and waits for it. A non-zero exit status is not an
	// error: it is reported in Result.ExitCode. err is set only when the command could not be
	// run or its output not read (connection lost, timeout, context cancelled).
	Run(ctx context.Context, cmd Command) (Result, error)

	// Batch runs several commands, in order, in one session, and returns one Result per command.
	// It is how a provider observes a node in a single round trip. A command's failure does not
	// stop the commands after it, except a command marked AfterSuccess (DoInOrder).
	Batch(ctx context.Context, cmds []Command) ([]Result, error)

	// ReadFiles reads files in one session. A missing file has Exists == false, not an error.
	ReadFiles(ctx context.Context, paths []NodePath) ([]File, error)

	// WriteFile replaces path atomically: a temporary file in the same directory, fsync, rename.
	// An existing file keeps its mode and owner; a new one gets mode. Missing parent directories
	// are created. Either the old or the new content is at path at every instant.
	WriteFile(ctx context.Context, path NodePath, data []byte, mode fs.FileMode) error
}

// Result is the outcome of one command.
type Result struct {
	Stdout   []byte
	Stderr   []byte
	ExitCode int
}

// OK reports whether the command exited with status 0.
func (r Result) OK() bool { return r.ExitCode == 0 }

// File is a file read from a node.
type File struct {
	Path   NodePath
	Exists bool
	Data   []byte
	Mode   fs.FileMode
}

// FirstLine is the first non-empty line of a command's output, for error messages; it says so
// when there was no output at all.
func FirstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if s == "" {
		return "no error output"
	}
	return s
}
