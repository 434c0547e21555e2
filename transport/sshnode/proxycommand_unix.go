//go:build unix

package sshnode

import (
	"os/exec"
	"syscall"
)

// setProcessGroup starts the proxy command in its own process group, so that closing the
// connection ends whatever it started too (sh -c "ssh -W ...").
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
