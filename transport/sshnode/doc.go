// Package sshnode implements transport.Node over SSH with golang.org/x/crypto/ssh.
//
// A Pool opens one connection per node for a whole run and multiplexes every command, batch and
// file transfer over it as SSH sessions. Connecting is parallel under a bound, each attempt has a
// timeout, and only failures to reach the TCP port (refused, timed out) are retried, with
// exponential back-off and jitter: an authentication or host-key failure will not fix itself and
// is returned at once as *AuthError or *HostKeyError.
//
// Settings come from transport.Endpoint, completed by ~/.ssh/config (User, HostName, Port,
// IdentityFile, ProxyJump, ProxyCommand, UserKnownHostsFile) unless UseSSHConfig is false. The
// file (and what it includes) is read once per Pool; Match blocks that cannot be evaluated here
// (final, canonical, exec, user, ...) are skipped with a warning (see sshconfig.go). A
// ProxyCommand runs under /bin/sh with %h %p %r %n expanded and carries the connection on its
// stdin and stdout. Host keys are checked against known_hosts (hashed entries, @cert-authority,
// @revoked, [host]:port), each file parsed once per Pool and shared by every connection, a
// malformed line skipped with a warning; or against the endpoint's pinned key. There is no trust
// on first use unless Options.AcceptNewHostKeys is set, and even then a changed key is always
// refused. Warnings go to Options.Warn, once per Pool and message.
//
// Remote work is done by small POSIX shell scripts generated here (see script.go): a batch of
// commands runs in one session whose stdin carries the script followed by every command's
// standard input, each framed by its byte count, so any bytes survive; results come back as a
// length-prefixed stream. The scripts need a POSIX sh and GNU coreutils (head -c, stat -c,
// mktemp, chmod/chown --reference) on the node.
//
// With become (config.SSH.Become), every session's command runs through one sudo, as root or
// become_user: sudo -n, or sudo -S with the password on the session's stdin ahead of the script,
// which is held back until sudo has started the command (see become.go). A session sudo refuses
// is a *BecomeError quoting sudo, with advice.
//
// A command that outlives its timeout or context is abandoned: the call returns at once and
// the session is closed from our side, but sshd keeps the remote process (and the channel)
// until it exits; OpenSSH does not act on the signal request sent.
package sshnode
