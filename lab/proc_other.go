//go:build !unix

package lab

import (
	"errors"
	"os/exec"
)

// supported says why the lab does not run here: its nodes run POSIX shell sessions and its
// server is a detached POSIX process. The rest of cluster works on this system; the lab needs
// Linux or macOS (or WSL).
var supported = errors.New("the lab needs a POSIX system (Linux, macOS, WSL): its nodes run /bin/sh sessions")

func detach(*exec.Cmd)    {}
func terminate(int) error { return supported }
func kill(int) error      { return supported }
func pidExists(int) bool  { return false }

func signalled(interface{ Sys() any }) (int, bool) { return 0, false }
