package sshnode

import (
	"fmt"
	"strings"
)

// BecomeError is a session whose command sudo did not start: a password is required, it is
// wrong, the login user may not use sudo, sudo wants a terminal, or sudo is missing.
type BecomeError struct {
	Node      string
	LoginUser string
	User      string // "" is root
	ExitCode  int
	// Message is what sudo (or the login shell) wrote on stderr.
	Message string
}

func (e *BecomeError) Error() string {
	as := e.User
	if as == "" {
		as = "root"
	}
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = fmt.Sprintf("exit status %d, no message", e.ExitCode)
	}
	return fmt.Sprintf("%s: sudo did not run the command as %s (become): %s%s", e.Node, as, truncate(msg, 500), e.hint())
}

// hint says what to change, from sudo's own words (sudo 1.9 messages; see docs/language.md).
func (e *BecomeError) hint() string {
	m := e.Message
	who := e.LoginUser
	if who == "" {
		who = "the login user"
	}
	switch {
	case strings.Contains(m, "must have a tty"):
		return fmt.Sprintf("; the node's sudoers sets requiretty, and cluster does not allocate a terminal (it would merge the command's output streams): add \"Defaults:%s !requiretty\" to the node's sudoers", who)
	case strings.Contains(m, "a password is required"):
		return fmt.Sprintf("; give the password with become_password (from a sensitive variable), or allow %s to run sudo without one (NOPASSWD)", who)
	case strings.Contains(m, "incorrect password") || strings.Contains(m, "Sorry, try again"):
		return "; become_password is wrong for " + who
	case strings.Contains(m, "not in the sudoers file") || strings.Contains(m, "is not allowed to") || strings.Contains(m, "may not run sudo"):
		return fmt.Sprintf("; %s needs a sudoers rule that lets it run /bin/sh as %s", who, orRoot(e.User))
	case e.ExitCode == 127 && strings.Contains(m, "sudo"):
		return "; sudo is not installed on the node (or not in the login user's PATH): install it, or log in as a user with the rights needed"
	}
	return ""
}

func orRoot(u string) string {
	if u == "" {
		return "root"
	}
	return u
}
