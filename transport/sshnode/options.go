package sshnode

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/term"
)

// Defaults applied by Options.withDefaults; exported so that documentation and callers agree.
const (
	DefaultParallelism        = 50
	DefaultConnectTimeout     = 10 * time.Second
	DefaultCommandTimeout     = 5 * time.Minute
	DefaultKeepaliveInterval  = 15 * time.Second
	DefaultKeepaliveMaxMisses = 3
	DefaultDialAttempts       = 4
	DefaultRetryBaseDelay     = 500 * time.Millisecond
	DefaultRetryMaxDelay      = 8 * time.Second
	// DefaultMaxSessionsPerNode stays below OpenSSH's MaxSessions default (10) so that concurrent
	// callers queue here instead of seeing "administratively prohibited" channel failures.
	DefaultMaxSessionsPerNode = 8
)

// Options tune a Pool. The zero value is ready to use: every zero field takes its default.
type Options struct {
	// Parallelism bounds how many nodes are connected at once by ConnectAll.
	Parallelism int

	// AcceptNewHostKeys appends the key of a host that has no known_hosts entry to the
	// known_hosts file instead of refusing it (trust on first use). A changed key is always
	// refused. Off by default.
	AcceptNewHostKeys bool

	// DialAttempts is how many times a failed TCP connect is tried in all; RetryBaseDelay and
	// RetryMaxDelay bound the exponential back-off between attempts (with full jitter).
	DialAttempts   int
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration

	// KeepaliveInterval is the period of keepalive@openssh.com requests; the connection is
	// closed after KeepaliveMaxMisses consecutive unanswered ones. A negative interval
	// disables keepalives.
	KeepaliveInterval  time.Duration
	KeepaliveMaxMisses int

	// MaxSessionsPerNode bounds the sessions open at once on one connection.
	MaxSessionsPerNode int

	// Home replaces the user's home directory for "~" expansion, ~/.ssh/config and the default
	// identity and known_hosts files (tests point it at a temporary directory).
	Home string

	// Getenv replaces os.Getenv (SSH_AUTH_SOCK, passphrase variables).
	Getenv func(string) string

	// Prompt asks the operator for a secret (an identity file's passphrase). The default reads
	// from the terminal when standard input is one and fails otherwise.
	Prompt func(prompt string) ([]byte, error)

	// Warn receives what the pool found worth telling the operator without failing: Match
	// blocks of ~/.ssh/config it cannot evaluate (skipped), malformed known_hosts lines
	// (skipped). Each message is passed once per pool. The default writes to stderr.
	Warn func(msg string)
}

func (o Options) withDefaults() Options {
	if o.Parallelism <= 0 {
		o.Parallelism = DefaultParallelism
	}
	if o.DialAttempts <= 0 {
		o.DialAttempts = DefaultDialAttempts
	}
	if o.RetryBaseDelay <= 0 {
		o.RetryBaseDelay = DefaultRetryBaseDelay
	}
	if o.RetryMaxDelay <= 0 {
		o.RetryMaxDelay = DefaultRetryMaxDelay
	}
	if o.KeepaliveInterval == 0 {
		o.KeepaliveInterval = DefaultKeepaliveInterval
	}
	if o.KeepaliveMaxMisses <= 0 {
		o.KeepaliveMaxMisses = DefaultKeepaliveMaxMisses
	}
	if o.MaxSessionsPerNode <= 0 {
		o.MaxSessionsPerNode = DefaultMaxSessionsPerNode
	}
	if o.Home == "" {
		o.Home, _ = os.UserHomeDir()
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Prompt == nil {
		o.Prompt = terminalPrompt
	}
	if o.Warn == nil {
		o.Warn = func(msg string) { fmt.Fprintln(os.Stderr, "Warning:", msg) }
	}
	return o
}

// errNoTerminal is returned by the default prompt when there is nobody to ask.
var errNoTerminal = errors.New("standard input is not a terminal")

// terminalPrompt reads a secret from the terminal without echo.
func terminalPrompt(prompt string) ([]byte, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil, errNoTerminal
	}
	fmt.Fprint(os.Stderr, prompt)
	defer fmt.Fprintln(os.Stderr)
	secret, err := term.ReadPassword(fd)
	if err != nil {
		return nil, fmt.Errorf("read passphrase from terminal: %w", err)
	}
	return secret, nil
}
