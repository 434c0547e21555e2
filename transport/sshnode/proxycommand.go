package sshnode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/clusterctl/cluster/internal/procgroup"
)

// proxyDial returns a dialFunc that reaches the server through ssh_config's ProxyCommand, as
// OpenSSH does: the command (tokens already expanded) runs under /bin/sh -c, and the SSH
// connection is carried over its standard input and output. Its standard error is kept (the
// last few KiB) for the error when it exits early.
func proxyDial(command string) dialFunc {
	return func(ctx context.Context, _, addr string) (net.Conn, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return startProxyCommand(command, addr)
	}
}

// proxyStderrMax is how much of a proxy command's standard error is kept.
const proxyStderrMax = 4 << 10

// proxyConn is a net.Conn over a proxy command's standard input and output.
type proxyConn struct {
	command string
	addr    proxyAddr
	cmd     *exec.Cmd
	stdin   *os.File // our end of the command's stdin
	stdout  *os.File // our end of the command's stdout
	stderr  *tailBuffer
	exited  chan struct{} // closed when the command has exited
	waitErr error         // the command's exit status, once exited is closed

	closeOnce sync.Once
}

func startProxyCommand(command, addr string) (*proxyConn, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	c := &proxyConn{
		command: command,
		addr:    proxyAddr(addr),
		cmd:     exec.Command("/bin/sh", "-c", command),
		stdin:   inW,
		stdout:  outR,
		stderr:  &tailBuffer{max: proxyStderrMax},
		exited:  make(chan struct{}),
	}
	c.cmd.Stdin, c.cmd.Stdout, c.cmd.Stderr = inR, outW, c.stderr
	// Its own process group: closing the connection ends whatever the command started too
	// (sh -c "ssh -W ...").
	procgroup.Set(c.cmd)
	err = c.cmd.Start()
	inR.Close() // the child has its copies
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("proxy command %q: %w", command, err)
	}
	go func() {
		c.waitErr = c.cmd.Wait()
		close(c.exited)
	}()
	return c, nil
}

// Read reads the command's output. At its end, the error says how the command ended, and
// still matches io.EOF (a server that hung up early).
func (c *proxyConn) Read(b []byte) (int, error) {
	n, err := c.stdout.Read(b)
	if errors.Is(err, io.EOF) {
		return n, c.exitError(err)
	}
	return n, err
}

func (c *proxyConn) Write(b []byte) (int, error) {
	n, err := c.stdin.Write(b)
	if err != nil {
		return n, c.exitError(err)
	}
	return n, nil
}

// exitError describes err with the command's exit status and standard error, when it exits
// soon: the output ends when the command does.
func (c *proxyConn) exitError(err error) error {
	select {
	case <-c.exited:
	case <-time.After(time.Second):
		return err
	}
	var why []string
	if c.waitErr != nil {
		why = append(why, c.waitErr.Error())
	}
	if s := strings.TrimSpace(c.stderr.String()); s != "" {
		why = append(why, s)
	}
	if len(why) == 0 {
		return err
	}
	return fmt.Errorf("proxy command %q ended (%s): %w", c.command, strings.Join(why, ": "), err)
}

// Close ends the connection and the command (its whole process group).
func (c *proxyConn) Close() error {
	c.closeOnce.Do(func() {
		c.stdin.Close()
		c.stdout.Close()
		select {
		case <-c.exited:
		case <-time.After(100 * time.Millisecond):
			_ = procgroup.Kill(c.cmd)
			<-c.exited
		}
	})
	return nil
}

func (c *proxyConn) LocalAddr() net.Addr  { return proxyAddr("proxy-command") }
func (c *proxyConn) RemoteAddr() net.Addr { return c.addr }

func (c *proxyConn) SetDeadline(t time.Time) error {
	return errors.Join(c.stdout.SetReadDeadline(t), c.stdin.SetWriteDeadline(t))
}
func (c *proxyConn) SetReadDeadline(t time.Time) error  { return c.stdout.SetReadDeadline(t) }
func (c *proxyConn) SetWriteDeadline(t time.Time) error { return c.stdin.SetWriteDeadline(t) }

// proxyAddr is the "host:port" a proxy command reaches; host key checks read it.
type proxyAddr string

func (a proxyAddr) Network() string { return "proxy-command" }
func (a proxyAddr) String() string  { return string(a) }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
