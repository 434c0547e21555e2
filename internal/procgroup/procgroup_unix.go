//go:build unix

package procgroup

import (
	"os/exec"
	"syscall"
)

// Set makes cmd, once started, the leader of a new process group.
func Set(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// Kill kills the process group of cmd, started after Set; nothing when cmd has not started.
func Kill(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
