//go:build unix

package lab

import (
	"os/exec"
	"syscall"
)

// supported is nil where the lab runs: its node sessions are POSIX shells.
var supported error

// detach starts cmd in a session of its own, so that it outlives the terminal of `lab up`.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// terminate asks pid to stop; kill makes it.
func terminate(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }
func kill(pid int) error      { return syscall.Kill(pid, syscall.SIGKILL) }

// pidExists reports whether a process pid exists (possibly a zombie).
func pidExists(pid int) bool { return syscall.Kill(pid, 0) == nil }

// signalled returns the signal that ended a command, if one did.
func signalled(ps interface{ Sys() any }) (int, bool) {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return int(ws.Signal()), true
	}
	return 0, false
}
