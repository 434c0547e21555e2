package sshnode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

// dialFunc opens the transport connection (TCP, or a channel through a jump host).
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// directDial dials TCP.
func directDial(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// endpoint is one SSH server to authenticate to: the target itself or a jump host.
type endpoint struct {
	hostPort   string
	user       string
	identities []identity
	pinnedKey  string
	knownHosts []string
}

// connect dials addr through dial with retries, then runs the SSH handshake. Failures of the
// transport are retried with back-off: a refused or unreachable port, and a connection the server
// drops before the handshake got anywhere (sshd starting up, or shedding load with MaxStartups).
// A host-key, authentication or protocol failure is final.
func (p *Pool) connect(ctx context.Context, dial dialFunc, ep endpoint, t target) (*ssh.Client, error) {
	auth, offered, err := p.creds.auth(ep.user, ep.hostPort, ep.identities, t.Agent, t.PassphraseEnv)
	if err != nil {
		return nil, err
	}
	var policy hostKeyPolicy
	if ep.pinnedKey != "" {
		if policy, err = pinnedPolicy(ep.hostPort, ep.pinnedKey); err != nil {
			return nil, err
		}
	} else {
		known, err := p.parsedKnownHosts(ep.knownHosts)
		if err != nil {
			return nil, err
		}
		policy = knownHostsPolicy(ep.hostPort, known, p.opts.AcceptNewHostKeys, &p.knownHosts)
	}
	cfg := &ssh.ClientConfig{
		User:              ep.user,
		Auth:              []ssh.AuthMethod{auth},
		HostKeyCallback:   policy.callback,
		HostKeyAlgorithms: policy.algorithms,
	}
	for attempt := 1; ; attempt++ {
		conn, err := p.dialWithRetry(ctx, dial, ep.hostPort, t.ConnectTimeout)
		if err != nil {
			return nil, err
		}
		client, err := handshake(ctx, conn, ep, cfg, offered, t.ConnectTimeout)
		if err == nil {
			go keepalive(client, p.opts.KeepaliveInterval, p.opts.KeepaliveMaxMisses)
			return client, nil
		}
		if !droppedEarly(err) || attempt >= p.opts.DialAttempts || ctx.Err() != nil {
			return nil, err
		}
		timer := time.NewTimer(backoff(attempt, p.opts.RetryBaseDelay, p.opts.RetryMaxDelay))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, errors.Join(err, ctx.Err())
		case <-timer.C:
		}
	}
}

// handshake runs the SSH handshake on conn, bounded by timeout.
func handshake(ctx context.Context, conn net.Conn, ep endpoint, cfg *ssh.ClientConfig, offered []string, timeout time.Duration) (*ssh.Client, error) {
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Closing the connection is the only way to interrupt a handshake on any net.Conn (a channel
	// through a jump host supports no deadlines).
	stop := context.AfterFunc(hctx, func() { conn.Close() })
	c, chans, reqs, err := ssh.NewClientConn(conn, ep.hostPort, cfg)
	interrupted := !stop()
	if err != nil {
		conn.Close()
		return nil, classifyHandshakeError(ep, offered, hctx, interrupted, err)
	}
	if interrupted {
		c.Close()
		return nil, fmt.Errorf("ssh handshake with %s: %w", ep.hostPort, hctx.Err())
	}
	return ssh.NewClient(c, chans, reqs), nil
}

// droppedEarly reports whether the server closed or reset the connection during the handshake,
// as opposed to refusing a key or a credential.
func droppedEarly(err error) bool {
	var hk *HostKeyError
	var ae *AuthError
	if errors.As(err, &hk) || errors.As(err, &ae) {
		return false
	}
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET)
}

// classifyHandshakeError turns the handshake's error into a typed one where possible.
func classifyHandshakeError(ep endpoint, offered []string, hctx context.Context, interrupted bool, err error) error {
	var hk *HostKeyError
	if errors.As(err, &hk) {
		return hk
	}
	if interrupted {
		return fmt.Errorf("ssh handshake with %s: %w", ep.hostPort, hctx.Err())
	}
	// x/crypto reports "no supported methods remain" as text only; it is the server's final
	// refusal of every credential.
	if strings.Contains(err.Error(), "unable to authenticate") {
		return &AuthError{User: ep.user, Host: ep.hostPort, Methods: offered, Err: err}
	}
	return fmt.Errorf("ssh handshake with %s: %w", ep.hostPort, err)
}

// dialWithRetry dials with exponential back-off and jitter while the port is unreachable.
func (p *Pool) dialWithRetry(ctx context.Context, dial dialFunc, addr string, timeout time.Duration) (net.Conn, error) {
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, timeout)
		conn, err := dial(actx, "tcp", addr)
		cancel()
		if err == nil {
			return conn, nil
		}
		if ctx.Err() != nil || !retryable(err) || attempt >= p.opts.DialAttempts {
			return nil, &DialError{Address: addr, Attempts: attempt, Err: err}
		}
		t := time.NewTimer(backoff(attempt, p.opts.RetryBaseDelay, p.opts.RetryMaxDelay))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, &DialError{Address: addr, Attempts: attempt, Err: errors.Join(err, ctx.Err())}
		case <-t.C:
		}
	}
}

// backoff is the delay before attempt+1: exponential from base, capped at max, with "equal
// jitter" (half fixed, half random) so that many nodes failing together do not retry in step.
func backoff(attempt int, base, max time.Duration) time.Duration {
	d := base << (attempt - 1)
	if d <= 0 || d > max {
		d = max
	}
	half := d / 2
	return half + rand.N(half+1)
}

// retryable reports whether a transport dial error may go away by itself: refused, timed out,
// unreachable, or a jump host that could not connect onwards. A name that does not resolve will
// not.
func retryable(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return false
	}
	var open *ssh.OpenChannelError
	if errors.As(err, &open) {
		return open.Reason == ssh.ConnectionFailed
	}
	return true
}
