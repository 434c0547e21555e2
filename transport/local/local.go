// Package local is a transport.Node that runs commands with /bin/sh on this machine, under a
// node root (CLUSTER_NODE_ROOT). Tests use it to exercise the real shell scripts providers and
// the planner send to nodes, without SSH; the end-to-end tests use real sshd instead.
package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"

	"github.com/clusterctl/cluster/internal/atomicfile"
	"github.com/clusterctl/cluster/transport"
)

// Node runs every command in its own /bin/sh process with CLUSTER_NODE_ROOT=Root.
type Node struct {
	NodeName string
	Root     string
	sessions atomic.Int64
}

var _ transport.Node = (*Node)(nil)

// New returns a node rooted at root (created if missing).
func New(name, root string) (*Node, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	return &Node{NodeName: name, Root: root}, nil
}

func (n *Node) Name() string { return n.NodeName }

// Stats says how many commands or batches were started (one per SSH session on a real node).
func (n *Node) Stats() (sessions int) { return int(n.sessions.Load()) }

func (n *Node) Run(ctx context.Context, c transport.Command) (transport.Result, error) {
	n.sessions.Add(1)
	return n.sh(ctx, c.String(), c.Stdin)
}

func (n *Node) sh(ctx context.Context, script string, stdin []byte) (transport.Result, error) {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", script)
	cmd.Env = append(os.Environ(), "CLUSTER_NODE_ROOT="+n.Root)
	cmd.Dir = n.Root
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := transport.Result{Stdout: out.Bytes(), Stderr: errb.Bytes()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ctx.Err() == nil:
		res.ExitCode = ee.ExitCode()
	case err != nil:
		return res, err
	}
	return res, nil
}

// Batch runs the commands one after the other (a command AfterSuccess only when the one before
// it exited 0); it counts as one session, like the SSH node.
func (n *Node) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	n.sessions.Add(1)
	out := make([]transport.Result, len(cmds))
	for i, c := range cmds {
		if c.AfterSuccess && i > 0 && out[i-1].ExitCode != 0 {
			out[i] = transport.Result{ExitCode: transport.ExitSkipped}
			continue
		}
		r, err := n.sh(ctx, c.String(), c.Stdin)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func (n *Node) ReadFiles(ctx context.Context, paths []transport.NodePath) ([]transport.File, error) {
	n.sessions.Add(1)
	out := make([]transport.File, len(paths))
	total := int64(0)
	for i, p := range paths {
		out[i].Path = p
		full := filepath.Join(n.Root, p.Posix())
		fi, err := os.Stat(full)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, err
		}
		// The same bound as the SSH node's: never read more than MaxOutputSize at once.
		if total += fi.Size(); total > transport.MaxOutputSize {
			return nil, &transport.OutputLimitError{Node: n.NodeName, Limit: transport.MaxOutputSize}
		}
		data, err := os.ReadFile(full)
		switch {
		case errors.Is(err, fs.ErrNotExist): // removed since the stat
			continue
		case err != nil:
			return nil, err
		}
		out[i].Exists, out[i].Data, out[i].Mode = true, data, fi.Mode().Perm()
	}
	return out, nil
}

// WriteFile writes atomically: temporary file in the same directory, fsync, rename. A target
// that is a directory is refused (os.Rename would fail, or replace an empty one).
func (n *Node) WriteFile(ctx context.Context, p transport.NodePath, data []byte, mode fs.FileMode) error {
	n.sessions.Add(1)
	full := filepath.Join(n.Root, p.Posix())
	// atomicfile.Write creates missing parent directories.
	if fi, err := os.Stat(full); err == nil {
		if fi.IsDir() {
			return transport.IsDirectoryError(n.NodeName, p)
		}
		mode = fi.Mode().Perm()
	}
	if err := atomicfile.Write(full, data, mode); err != nil {
		return fmt.Errorf("%s: write %s: %w", n.NodeName, p, err)
	}
	return nil
}
