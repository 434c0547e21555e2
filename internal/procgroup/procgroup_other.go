//go:build !unix

package procgroup

import "os/exec"

// Set does nothing: this system has no process groups.
func Set(*exec.Cmd) {}

// Kill kills cmd's process alone; nothing when cmd has not started.
func Kill(cmd *exec.Cmd) error {
	if cmd.Process == nil {
		return nil
	}
	return cmd.Process.Kill()
}
