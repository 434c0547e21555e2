package sshnode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/clusterctl/cluster/transport"
)

// Node is one connected node. Every operation opens one session on the node's single
// connection. It implements transport.Node.
type Node struct {
	name           string
	client         *ssh.Client
	commandTimeout time.Duration
	slots          chan struct{} // bounds concurrent sessions
	sessions       atomic.Int64
	outputLimit    int // 0: transport.MaxOutputSize
	become         *Become
	loginUser      string    // for BecomeError's advice
	shell          string    // the dialect: transport.ShellPosix, ShellCmd or ShellPowerShell
	win            *winState // nil on a posix node
	codePage       int       // the configured code_page (0: none): see outputText
}

var (
	_ transport.Node     = (*Node)(nil)
	_ transport.OpRunner = (*Node)(nil)
)

func newNode(name string, client *ssh.Client, commandTimeout time.Duration, maxSessions int) *Node {
	return &Node{name: name, client: client, commandTimeout: commandTimeout, slots: make(chan struct{}, maxSessions), shell: transport.ShellPosix}
}

// Name returns the node's address string.
func (n *Node) Name() string { return n.name }

// Stats returns how many sessions have been opened on the node's connection.
func (n *Node) Stats() (sessions int) { return int(n.sessions.Load()) }

// Close closes the node's connection (and its SFTP session). Pool.Close closes every node.
func (n *Node) Close() error {
	if n.win != nil {
		n.win.close()
	}
	return n.client.Close()
}

// Shell is the node's dialect (transport.ShellPosix, ShellCmd or ShellPowerShell).
func (n *Node) Shell() string { return n.shell }

// Run runs one command in its own session.
func (n *Node) Run(ctx context.Context, cmd transport.Command) (transport.Result, error) {
	if n.windows() {
		return n.runWindows(ctx, cmd)
	}
	var stdout, stderr bytes.Buffer
	var stdin io.Reader
	if cmd.Stdin != nil {
		stdin = bytes.NewReader(cmd.Stdin)
	}
	code, err := n.session(ctx, cmd.Timeout, cmd.String(), stdin, &stdout, &stderr)
	if err != nil {
		return transport.Result{}, err
	}
	return transport.Result{Stdout: stdout.Bytes(), Stderr: stderr.Bytes(), ExitCode: code}, nil
}

// session runs command in a new session and returns its exit status. The command timeout (or
// atLeast, when longer) and ctx bound it: when either ends, the session is closed and the
// remote process loses its channel.
func (n *Node) session(ctx context.Context, atLeast time.Duration, command string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, max(n.commandTimeout, atLeast))
	defer cancel()
	var sudo *becomeSession
	if n.become != nil {
		command, stdin, stdout, stderr, sudo = n.become.start(command, stdin, stdout, stderr)
		defer sudo.end()
	}
	select {
	case n.slots <- struct{}{}:
	case <-ctx.Done():
		return 0, fmt.Errorf("%s: waiting for a session: %w", n.name, ctx.Err())
	}

	s, err := n.client.NewSession()
	if err != nil {
		<-n.slots
		return 0, fmt.Errorf("%s: open session: %w", n.name, err)
	}
	n.sessions.Add(1)
	// Output beyond the limit closes the session: the remote side must not make us hold more.
	budget := &outputBudget{left: n.maxOutput()}
	overflow := make(chan struct{})
	budget.onOverflow = func() { close(overflow); s.Close() }
	s.Stdout, s.Stderr = budget.writer(stdout), budget.writer(stderr)
	// Stdin is fed by our own goroutine rather than Session.Stdin: a command may exit without
	// reading its input, and that is not a failure to run it (Session.Wait would report the
	// refused write as one).
	var feed io.WriteCloser
	if stdin != nil {
		if feed, err = s.StdinPipe(); err != nil {
			s.Close()
			<-n.slots
			return 0, fmt.Errorf("%s: stdin: %w", n.name, err)
		}
	}

	// The session is waited for in the background: on timeout or cancellation we return at
	// once, while the channel, closed from our side, is torn down when the server lets go of it
	// (sshd keeps a channel until its process exits). The slot is held until then so the
	// server's MaxSessions is respected.
	done := make(chan error, 1)
	go func() {
		defer func() { <-n.slots }()
		defer s.Close()
		if err := s.Start(command); err != nil {
			done <- err
			return
		}
		if feed != nil {
			go func() {
				io.Copy(feed, stdin)
				feed.Close()
			}()
		}
		done <- s.Wait()
	}()
	select {
	case err = <-done:
		if budget.exceeded() {
			return 0, &transport.OutputLimitError{Node: n.name, Limit: n.maxOutput()}
		}
	case <-overflow:
		return 0, &transport.OutputLimitError{Node: n.name, Limit: n.maxOutput()}
	case <-ctx.Done():
		s.Signal(ssh.SIGKILL) // honoured by few servers; closing the channel is what counts
		s.Close()
		return 0, fmt.Errorf("%s: %w", n.name, ctx.Err())
	}
	var exit *ssh.ExitError
	code := 0
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitStatus()
		if sig := exit.Signal(); sig != "" {
			code = signalExitCode(sig)
		}
	default:
		return 0, fmt.Errorf("%s: run command: %w", n.name, err)
	}
	if sudo != nil && !sudo.ran() {
		return 0, n.becomeError(code, sudo.said())
	}
	return code, nil
}

// becomeError describes a session that sudo did not let start, with the password (which sudo
// does not echo) blanked all the same.
func (n *Node) becomeError(code int, said []byte) error {
	if p := n.become.Password; len(p) > 0 {
		said = bytes.ReplaceAll(said, p, []byte("(sensitive)"))
	}
	return &BecomeError{Node: n.name, LoginUser: n.loginUser, User: n.become.User, ExitCode: code, Message: string(said)}
}

// maxOutput is the bound on one session's output (tests lower it).
func (n *Node) maxOutput() int {
	if n.outputLimit > 0 {
		return n.outputLimit
	}
	return transport.MaxOutputSize
}

// outputBudget is shared by a session's stdout and stderr; once spent, writes fail and
// onOverflow runs once.
type outputBudget struct {
	mu         sync.Mutex
	left       int
	over       bool
	onOverflow func()
}

func (b *outputBudget) exceeded() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.over
}

func (b *outputBudget) writer(w io.Writer) io.Writer {
	return budgetWriter{b, w}
}

type budgetWriter struct {
	b *outputBudget
	w io.Writer
}

var errOutputLimit = errors.New("output limit reached")

func (bw budgetWriter) Write(p []byte) (int, error) {
	b := bw.b
	b.mu.Lock()
	if b.over || len(p) > b.left {
		first := !b.over
		b.over = true
		b.mu.Unlock()
		if first {
			b.onOverflow()
		}
		return 0, errOutputLimit
	}
	b.left -= len(p)
	b.mu.Unlock()
	return bw.w.Write(p)
}

// signalExitCode reports death by a signal as a shell does: 128 + the signal number.
func signalExitCode(sig string) int {
	numbers := map[string]int{"HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "ABRT": 6, "FPE": 8, "KILL": 9, "SEGV": 11, "PIPE": 13, "ALRM": 14, "TERM": 15, "USR1": 10, "USR2": 12}
	if n, ok := numbers[sig]; ok {
		return 128 + n
	}
	return 255
}
