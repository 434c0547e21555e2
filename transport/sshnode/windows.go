package sshnode

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"sync"

	"github.com/pkg/sftp"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sftpops"
	"github.com/clusterctl/cluster/transport/winquote"
)

// A Windows-dialect node (shell cmd or powershell) is reached as Microsoft's OpenSSH ships:
// no POSIX shell, so every file operation goes over SFTP (one client per connection, opened
// on first use on the node's one SSH connection) and every command is one exec channel
// running one program, named by its absolute Windows path, with its arguments quoted by
// transport/winquote. Its output is decoded from the node's code page, CRLF made LF.

// winState is a Windows node's SFTP session and what the dialect check found.
type winState struct {
	mu      sync.Mutex
	fs      *sftpops.Client // nil until first use, and after a cut
	checked bool            // the dialect check ran and passed
	err     error           // the dialect check failed: every operation fails with it

	decode func([]byte) []byte // console output to UTF-8 with LF
	warn   func(string)        // the once-per-run notice about non-atomic replaces
}

// windows reports whether n speaks a Windows dialect.
func (n *Node) windows() bool { return n.win != nil }

// files returns the node's SFTP operations, opening the SFTP session on first use (and again
// after a cut), and checking the node's dialect on the node's first operation of any kind
// (commands included): Microsoft's OpenSSH serves SFTP with drive paths (/C:/Windows), a
// POSIX node has no such directory (or no SFTP at all); then one probe request tells cmd.exe
// from PowerShell (checkWindowsShell).
func (n *Node) files() (*sftpops.Client, error) {
	w := n.win
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil || w.fs != nil {
		return w.fs, w.err
	}
	sc, err := sftp.NewClient(n.client)
	if err != nil {
		if w.checked {
			return nil, fmt.Errorf("%s: open SFTP: %w", n.name, err)
		}
		w.err = n.notPosixAnswer(fmt.Sprintf("it serves no SFTP subsystem: %v", err))
		return nil, w.err
	}
	n.sessions.Add(1)
	if !w.checked {
		if err := n.checkDialect(sc); err != nil {
			sc.Close()
			w.err = err
			return nil, err
		}
		w.checked = true
	}
	w.fs = sftpops.New(sc, sftpops.Options{
		AtomicPosixRename: atomicPosixRename(string(n.client.ServerVersion())),
		Warn:              w.warn,
	})
	return w.fs, nil
}

func (n *Node) checkDialect(sc *sftp.Client) error {
	if fi, err := sc.Stat("/C:/Windows"); err != nil || !fi.IsDir() {
		why := "its SFTP server shows no /C:/Windows"
		if _, _, ok := win32OpenSSH(string(n.client.ServerVersion())); ok {
			why = "it runs Microsoft's OpenSSH, but its SFTP server shows no /C:/Windows"
		}
		return n.notPosixAnswer(why)
	}
	return n.checkWindowsShell(context.Background())
}

// cut closes the SFTP session c, which aborts every request in flight on it: what a timeout
// or a cancelled call does to a file op, as closing the channel does to a command. The next
// operation opens a new session.
func (w *winState) cut(c *sftpops.Client) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fs == c {
		c.SFTP().Close()
		w.fs = nil
	}
}

// close closes the SFTP session, if open.
func (w *winState) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fs != nil {
		w.fs.SFTP().Close()
		w.fs = nil
	}
}

// winRequest is the exec request string that runs c on a Windows node: the program (an
// absolute Windows NodePath) and its arguments, quoted for the node's shell. A POSIX-only
// command, or an argument the shell cannot carry, is refused naming the node and the command.
func (n *Node) winRequest(c transport.Command) (string, error) {
	if c.PosixOnly() {
		return "", &transport.UnsupportedError{Node: n.name, Dialect: n.shell, Op: c}
	}
	if len(c.Args) == 0 {
		return "", fmt.Errorf("%s: empty command", n.name)
	}
	prog, ok := c.Args[0].(transport.NodePath)
	if !ok {
		return "", &transport.UnsupportedError{Node: n.name, Dialect: n.shell, Op: c}
	}
	args := make([]string, 0, len(c.Args)-1)
	for _, a := range c.Args[1:] {
		switch v := a.(type) {
		case transport.Lit:
			args = append(args, string(v))
		case transport.NodePath:
			args = append(args, string(v))
		default:
			return "", fmt.Errorf("%s: %s: argument of type %T", n.name, c.Display(), a)
		}
	}
	var req string
	var err error
	if n.shell == transport.ShellPowerShell {
		req, err = winquote.PowerShellLine(string(prog), args)
	} else {
		req, err = winquote.CmdLine(string(prog), args)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %s: %w; nothing was run", n.name, c.Display(), err)
	}
	return req, nil
}

// runWin runs one exec request (never with a pty) and decodes its output.
func (n *Node) runWin(ctx context.Context, c transport.Command, req string) (transport.Result, error) {
	var stdout, stderr bytes.Buffer
	var stdin io.Reader
	if c.Stdin != nil {
		stdin = bytes.NewReader(c.Stdin)
	}
	code, err := n.session(ctx, c.Timeout, req, stdin, &stdout, &stderr)
	if err != nil {
		return transport.Result{}, err
	}
	return transport.Result{Stdout: n.win.decode(stdout.Bytes()), Stderr: n.win.decode(stderr.Bytes()), ExitCode: code}, nil
}

func (n *Node) runWindows(ctx context.Context, c transport.Command) (transport.Result, error) {
	req, err := n.winRequest(c)
	if err != nil {
		return transport.Result{}, err
	}
	if _, err := n.files(); err != nil { // the dialect check, before the first command
		return transport.Result{}, err
	}
	return n.runWin(ctx, c, req)
}

// batchWindows runs each command as an exec channel of its own, in order (a command marked
// AfterSuccess runs only when the one before it exited 0). Every command is checked before
// the first runs.
func (n *Node) batchWindows(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	reqs := make([]string, len(cmds))
	for i, c := range cmds {
		req, err := n.winRequest(c)
		if err != nil {
			return nil, err
		}
		reqs[i] = req
	}
	if _, err := n.files(); err != nil {
		return nil, err
	}
	out := make([]transport.Result, len(cmds))
	for i, c := range cmds {
		if c.AfterSuccess && i > 0 && out[i-1].ExitCode != 0 {
			out[i] = transport.Result{ExitCode: transport.ExitSkipped}
			continue
		}
		r, err := n.runWin(ctx, c, reqs[i])
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// readFilesWindows reads files over SFTP, bytes exact.
func (n *Node) readFilesWindows(ctx context.Context, paths []transport.NodePath) ([]transport.File, error) {
	sp, err := n.sftpPaths(paths)
	if err != nil {
		return nil, err
	}
	c, err := n.files()
	if err != nil {
		return nil, err
	}
	got, err := c.ReadFiles(sp)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", n.name, err)
	}
	out := make([]transport.File, len(paths))
	for i, f := range got {
		out[i] = transport.File{Path: paths[i], Exists: f.Exists, Data: f.Data}
	}
	return out, ctx.Err()
}

// writeFileWindows replaces path over SFTP (sftpops.WriteFileAtomic). Windows has no mode
// bits; mode is not applied.
func (n *Node) writeFileWindows(ctx context.Context, path transport.NodePath, data []byte, _ fs.FileMode) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o, err := n.winOp(ctx, transport.WriteFile{Path: path, Data: data}, "")
	if err != nil {
		return err
	}
	o.Op = transport.WriteFile{Path: path}
	if err := o.Err(); err != nil {
		return fmt.Errorf("%s: %w", n.name, err)
	}
	return nil
}

// sftpPaths converts Windows NodePaths (C:\X) to Win32-OpenSSH's SFTP form (/C:/X).
func (n *Node) sftpPaths(paths []transport.NodePath) ([]string, error) {
	out := make([]string, len(paths))
	for i, p := range paths {
		s, err := n.sftpPath(p)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func (n *Node) sftpPath(p transport.NodePath) (string, error) {
	s, err := sftpops.WindowsToSFTP(string(p))
	if err != nil {
		return "", fmt.Errorf("%s: %s node: %w; nothing was done", n.name, n.shell, err)
	}
	return s, nil
}

// posixView hides DoOps: transport.Do on it renders ops for a POSIX shell and runs them as
// one Batch.
type posixView struct{ transport.Node }

// DoOps carries out ops in the node's dialect (transport.OpRunner). A posix node renders them
// for its shell and runs them as one Batch, as transport.Do does for any POSIX node. A Windows
// node checks every op first (POSIX-only steps, paths, arguments: refused before anything
// runs), then runs them in order: file ops over SFTP, commands as one exec channel each.
func (n *Node) DoOps(ctx context.Context, ops []transport.Op, inOrder bool) ([]transport.Outcome, error) {
	if !n.windows() {
		if inOrder {
			return transport.DoInOrder(ctx, posixView{n}, ops...)
		}
		return transport.Do(ctx, posixView{n}, ops...)
	}
	if err := transport.RefusePosixOnly(n.name, n.shell, ops); err != nil {
		return nil, err
	}
	reqs := make([]string, len(ops))
	for i, op := range ops {
		if err := n.checkOp(op); err != nil {
			return nil, err
		}
		if c, ok := op.(transport.Command); ok {
			req, err := n.winRequest(c)
			if err != nil {
				return nil, err
			}
			reqs[i] = req
		}
	}
	if _, err := n.files(); err != nil {
		return nil, err
	}
	out := make([]transport.Outcome, len(ops))
	failed := false
	for i, op := range ops {
		if inOrder && failed {
			out[i] = transport.Outcome{Result: transport.Result{ExitCode: transport.ExitSkipped}, Op: op}
			continue
		}
		o, err := n.winOp(ctx, op, reqs[i])
		if err != nil {
			return nil, err
		}
		o.Op = op
		out[i] = o
		failed = !o.OK()
	}
	return out, nil
}
