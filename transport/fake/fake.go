package fake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/clusterctl/cluster/transport"
)

// Handler answers a command: argv is the command's arguments (NodePaths as plain paths) and
// stdin its standard input. It may read and change the node's files through n.
type Handler func(n *Node, argv []string, stdin []byte) transport.Result

// Call is one recorded operation.
type Call struct {
	Op   string   // "run", "batch", "read", "write"
	Argv []string // run and batch: the command (one Call per command of a batch); read and write: the path(s)
	// Stdin is the command's stdin (run, batch) or the data written (write).
	Stdin []byte
}

// String renders the call for failure messages: "run cat /etc/x".
func (c Call) String() string { return c.Op + " " + strings.Join(c.Argv, " ") }

// ErrInjected is the default error of an injected failure.
var ErrInjected = errors.New("fake: injected failure")

type handler struct {
	prefix []string
	fn     Handler
}

type file struct {
	data  []byte
	mode  fs.FileMode
	mtime time.Time // set by the ops that write (Stat and ListDir report it); zero otherwise
}

func (f file) clone() file { return file{data: bytes.Clone(f.data), mode: f.mode, mtime: f.mtime} }

// now is the modification time the fake gives what it writes: whole seconds, like a node's.
func (n *Node) now() time.Time { return time.Now().Truncate(time.Second) }

// Node is an in-memory node. The zero value is not usable; call New. It is safe for concurrent
// use.
type Node struct {
	name string

	mu       sync.Mutex
	files    map[string]file
	dirs     map[string]bool   // directories made by MakeDir or CopyTree (others are implied by files)
	links    map[string]string // symbolic links (SetSymlink, ln -s): path -> target as written
	handlers []handler
	calls    []Call
	sessions int
	ops      int           // operations so far (Run, Batch, ReadFiles, WriteFile), for FailOp
	failAt   map[int]error // operation number (1-based) -> error
	cutAfter int           // bytes the next WriteFile transmits before the cut; -1 = none
	free     int64         // what FreeSpace reports for every path; negative: it fails
}

var _ transport.Node = (*Node)(nil)

// New returns an empty node named name.
func New(name string) *Node {
	return &Node{name: name, files: map[string]file{}, dirs: map[string]bool{}, links: map[string]string{}, failAt: map[int]error{}, cutAfter: -1, free: DefaultFree}
}

// DefaultFree is what FreeSpace reports on a new node: plenty (1 TiB).
const DefaultFree = 1 << 40

// SetFreeSpace makes FreeSpace report bytes for every path; a negative count makes it fail,
// as on a node that cannot measure.
func (n *Node) SetFreeSpace(bytes int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.free = bytes
}

// Name returns the node's name.
func (n *Node) Name() string { return n.name }

// SetFile creates or replaces a file without recording a call.
func (n *Node) SetFile(path transport.NodePath, data []byte, mode fs.FileMode) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.files[path.Posix()] = file{data: bytes.Clone(data), mode: mode}
}

// SetSymlink creates a symbolic link to target (not resolved) without recording a call. The
// fake knows links only as what ReadTree refuses (transport.ExitNotRegular): the other ops
// do not follow them.
func (n *Node) SetSymlink(link transport.NodePath, target string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.links[link.Posix()] = target
}

// RemoveFile deletes a file without recording a call.
func (n *Node) RemoveFile(path transport.NodePath) {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.files, path.Posix())
}

// File returns a file's content and mode.
func (n *Node) File(path transport.NodePath) (data []byte, mode fs.FileMode, ok bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	f, ok := n.files[path.Posix()]
	return bytes.Clone(f.data), f.mode, ok
}

// Paths lists every file, sorted.
func (n *Node) Paths() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]string, 0, len(n.files))
	for p := range n.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Handle installs h for commands whose arguments start with prefix. Later handlers take
// precedence over earlier ones, and all over the built-ins.
func (n *Node) Handle(prefix []string, h Handler) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.handlers = append(n.handlers, handler{prefix: slices.Clone(prefix), fn: h})
}

// FailOp makes the nth operation from now on (1 = the next Run, Batch, ReadFiles or WriteFile)
// return err (ErrInjected when nil) without effect, as a lost connection would.
func (n *Node) FailOp(nth int, err error) {
	if err == nil {
		err = ErrInjected
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.failAt[n.ops+nth] = err
}

// CutNextWrite makes the next WriteFile fail after transmitting bytes bytes: the target is left
// as it was, as the SSH node's atomic write guarantees. A WriteTree cut so leaves its directory
// partly written (the files whose bytes all came before the cut), and the call fails.
func (n *Node) CutNextWrite(bytes int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.cutAfter = bytes
}

// Calls returns the calls recorded so far, in order.
func (n *Node) Calls() []Call {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.calls)
}

// Stats returns how many sessions the node has served; each operation is one session.
func (n *Node) Stats() (sessions int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.sessions
}

// begin accounts for one operation; it returns the injected error, if any.
func (n *Node) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", n.name, err)
	}
	n.ops++
	n.sessions++
	if err, ok := n.failAt[n.ops]; ok {
		delete(n.failAt, n.ops)
		return fmt.Errorf("%s: %w", n.name, err)
	}
	return nil
}

// Run runs one command.
func (n *Node) Run(ctx context.Context, cmd transport.Command) (transport.Result, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.begin(ctx); err != nil {
		return transport.Result{}, err
	}
	return n.exec(cmd, "run"), nil
}

// Batch runs commands in order; a failing command does not stop the next.
func (n *Node) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	if len(cmds) == 0 {
		return nil, nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.begin(ctx); err != nil {
		return nil, err
	}
	out := make([]transport.Result, len(cmds))
	for i, c := range cmds {
		if c.AfterSuccess && i > 0 && out[i-1].ExitCode != 0 {
			out[i] = transport.Result{ExitCode: transport.ExitSkipped}
			continue
		}
		out[i] = n.exec(c, "batch")
	}
	return out, nil
}

// ReadFiles reads files; a missing one has Exists false.
func (n *Node) ReadFiles(ctx context.Context, paths []transport.NodePath) ([]transport.File, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.begin(ctx); err != nil {
		return nil, err
	}
	call := Call{Op: "read"}
	out := make([]transport.File, len(paths))
	for i, p := range paths {
		call.Argv = append(call.Argv, p.Posix())
		out[i].Path = p
		if f, ok := n.files[p.Posix()]; ok {
			out[i].Exists, out[i].Data, out[i].Mode = true, bytes.Clone(f.data), f.mode
		}
	}
	n.calls = append(n.calls, call)
	return out, nil
}

// WriteFile replaces a file, keeping an existing file's mode. A path with files below it is a
// directory, and is refused.
func (n *Node) WriteFile(ctx context.Context, path transport.NodePath, data []byte, mode fs.FileMode) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.begin(ctx); err != nil {
		return err
	}
	n.calls = append(n.calls, Call{Op: "write", Argv: []string{path.Posix()}, Stdin: bytes.Clone(data)})
	if cut := n.cutAfter; cut >= 0 {
		n.cutAfter = -1
		if cut < len(data) {
			return fmt.Errorf("%s: write %s: connection cut after %d of %d bytes", n.name, path, cut, len(data))
		}
	}
	if n.isDir(path.Posix()) {
		return transport.IsDirectoryError(n.name, path)
	}
	if old, ok := n.files[path.Posix()]; ok {
		mode = old.mode
	}
	n.files[path.Posix()] = file{data: bytes.Clone(data), mode: mode}
	return nil
}

// isDir reports whether p is a directory: some file lies below it. n.mu is held.
func (n *Node) isDir(p string) bool {
	if n.dirs[p] {
		return true
	}
	prefix := strings.TrimSuffix(p, "/") + "/"
	for f := range n.files {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	for d := range n.dirs {
		if strings.HasPrefix(d, prefix) {
			return true
		}
	}
	for l := range n.links {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

// exec runs one command with n.mu held.
func (n *Node) exec(cmd transport.Command, op string) transport.Result {
	argv := Argv(cmd)
	n.calls = append(n.calls, Call{Op: op, Argv: argv, Stdin: bytes.Clone(cmd.Stdin)})
	for i := len(n.handlers) - 1; i >= 0; i-- {
		if h := n.handlers[i]; hasPrefix(argv, h.prefix) {
			// Handlers may use the node's exported methods: release the lock while they run.
			n.mu.Unlock()
			r := h.fn(n, argv, cmd.Stdin)
			n.mu.Lock()
			return r
		}
	}
	return n.builtin(argv, cmd.Stdin)
}

// Argv renders a command's arguments as plain strings: literals as they are, node paths in
// POSIX form without the node root.
func Argv(cmd transport.Command) []string {
	out := make([]string, len(cmd.Args))
	for i, a := range cmd.Args {
		switch v := a.(type) {
		case transport.Lit:
			out[i] = string(v)
		case transport.NodePath:
			out[i] = v.Posix()
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

func hasPrefix(argv, prefix []string) bool {
	return len(argv) >= len(prefix) && slices.Equal(argv[:len(prefix)], prefix)
}

// builtin implements true, false, cat and ln -s.
func (n *Node) builtin(argv []string, stdin []byte) transport.Result {
	if len(argv) == 0 {
		return transport.Result{}
	}
	switch argv[0] {
	case "true":
		return transport.Result{}
	case "false":
		return transport.Result{ExitCode: 1}
	case "cat":
		if len(argv) == 1 {
			return transport.Result{Stdout: bytes.Clone(stdin)}
		}
		var r transport.Result
		for _, p := range argv[1:] {
			f, ok := n.files[p]
			if !ok {
				r.Stderr = append(r.Stderr, fmt.Sprintf("cat: %s: No such file or directory\n", p)...)
				r.ExitCode = 1
				continue
			}
			r.Stdout = append(r.Stdout, f.data...)
		}
		return r
	case "ln":
		if len(argv) != 4 || argv[1] != "-s" {
			return transport.Result{ExitCode: 1, Stderr: []byte("fake: only ln -s TARGET LINK\n")}
		}
		link := argv[3]
		if _, ok := n.files[link]; ok || n.links[link] != "" || n.isDir(link) {
			return transport.Result{ExitCode: 1, Stderr: []byte(fmt.Sprintf("ln: failed to create symbolic link '%s': File exists\n", link))}
		}
		n.links[link] = argv[2]
		return transport.Result{}
	}
	return transport.Result{ExitCode: 127, Stderr: []byte(argv[0] + ": command not found\n")}
}
