package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/clusterctl/cluster/internal/procgroup"
	"github.com/clusterctl/cluster/lab/emulate"
)

// session serves one session channel: env requests are ignored, one exec request runs, shells
// and terminals are refused with a word of explanation.
func (s *nodeServer) session(ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	done := make(chan int, 1)
	started := false
	for {
		select {
		case r, ok := <-reqs:
			if !ok {
				// The client closed the channel: a command still running is killed.
				cancel()
				if started {
					<-done
				}
				return
			}
			switch r.Type {
			case "exec":
				var payload struct{ Command string }
				if started || ssh.Unmarshal(r.Payload, &payload) != nil {
					r.Reply(false, nil)
					continue
				}
				started = true
				r.Reply(true, nil)
				s.sessions.Add(1)
				if s.windows != nil {
					go func() { done <- s.runWindows(ctx, payload.Command, ch) }()
				} else {
					go func() { done <- s.run(ctx, payload.Command, ch) }()
				}
			case "env":
				r.Reply(true, nil) // accepted and ignored: the node's environment is fixed
			case "subsystem":
				var payload struct{ Name string }
				if s.windows == nil || started || ssh.Unmarshal(r.Payload, &payload) != nil || payload.Name != "sftp" {
					fmt.Fprintf(ch.Stderr(), "%s: this lab node runs commands only (ssh node COMMAND); subsystem is not supported\r\n", s.name)
					r.Reply(false, nil)
					continue
				}
				started = true
				r.Reply(true, nil)
				go func() { done <- s.serveSFTP(ch) }()
			case "shell", "pty-req":
				fmt.Fprintf(ch.Stderr(), "%s: this lab node runs commands only (ssh node COMMAND); %s is not supported\r\n", s.name, r.Type)
				r.Reply(false, nil)
			default:
				if r.WantReply {
					r.Reply(false, nil)
				}
			}
		case code := <-done:
			status := struct{ Status uint32 }{uint32(code)}
			ch.SendRequest("exit-status", false, ssh.Marshal(&status))
			return
		}
	}
}

// run runs command with /bin/sh in the node root, wired to the channel, and returns its exit
// status. Standard input is copied by a goroutine of our own: a command that never reads it
// must not wait for the client to close it.
func (s *nodeServer) run(ctx context.Context, command string, ch ssh.Channel) int {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Dir = s.root
	cmd.Env = []string{
		emulate.RootEnv + "=" + s.root,
		"PATH=" + filepath.Join(s.root, "bin") + ":/usr/local/bin:/usr/bin:/bin",
		"HOME=" + filepath.Join(s.root, "home"),
	}
	cmd.Stdout = ch
	cmd.Stderr = ch.Stderr()
	// The command and its children form a process group, killed as one when the client goes.
	procgroup.Set(cmd)
	cmd.Cancel = func() error { return procgroup.Kill(cmd) }
	cmd.WaitDelay = 2 * time.Second
	stdin, err := cmd.StdinPipe()
	if err != nil {
		fmt.Fprintf(ch.Stderr(), "%s: %v\n", s.name, err)
		return 255
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(ch.Stderr(), "%s: %v\n", s.name, err)
		return 255
	}
	go func() {
		io.Copy(stdin, ch)
		stdin.Close()
	}()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	case errors.As(err, &exit):
		if sig, ok := signalled(exit); ok {
			return 128 + sig
		}
	}
	s.logf("%s: %q: %v", s.name, command, err)
	return 255
}
