package sshnode

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// HostKeyKind says why a host key was refused.
type HostKeyKind int

const (
	// HostKeyUnknown: no key is recorded for the host.
	HostKeyUnknown HostKeyKind = iota
	// HostKeyChanged: a different key is recorded (or pinned) for the host.
	HostKeyChanged
	// HostKeyRevoked: the key is marked @revoked in known_hosts.
	HostKeyRevoked
)

func (k HostKeyKind) String() string {
	switch k {
	case HostKeyUnknown:
		return "unknown"
	case HostKeyChanged:
		return "changed"
	case HostKeyRevoked:
		return "revoked"
	}
	return fmt.Sprintf("HostKeyKind(%d)", int(k))
}

// HostKeyError is returned when the server's host key is not trusted. It carries what an
// operator needs to decide: the SHA256 fingerprint and the exact remedy.
type HostKeyError struct {
	Kind HostKeyKind
	// Host is the address as written in known_hosts: "host" for port 22, "[host]:port" otherwise.
	Host string
	// Fingerprint is the presented key's SHA256 fingerprint ("SHA256:...").
	Fingerprint string
	// Line is the known_hosts line that would trust the presented key.
	Line string
	// KnownHostsFile is the file that was consulted; "" when the key is pinned in the
	// configuration.
	KnownHostsFile string
	// Pinned reports that the key was checked against Endpoint.HostKey.
	Pinned bool
}

func (e *HostKeyError) Error() string {
	var b strings.Builder
	switch e.Kind {
	case HostKeyUnknown:
		fmt.Fprintf(&b, "host key of %s is unknown (%s); after checking the fingerprint out of band, trust it by adding this line to %s:\n  %s",
			e.Host, e.Fingerprint, e.KnownHostsFile, e.Line)
	case HostKeyChanged:
		if e.Pinned {
			fmt.Fprintf(&b, "host key of %s does not match the pinned host_key: the server presented %s; if the change is expected, update host_key to:\n  %s",
				e.Host, e.Fingerprint, strings.TrimSpace(e.Line[strings.IndexByte(e.Line, ' ')+1:]))
		} else {
			fmt.Fprintf(&b, "host key of %s has CHANGED: the server presented %s, which differs from %s; this may be an attack. If the change is expected, remove the old key with:\n  ssh-keygen -R %s -f %s\nthen add:\n  %s",
				e.Host, e.Fingerprint, e.KnownHostsFile, transport.Quote(e.Host), transport.Quote(e.KnownHostsFile), e.Line)
		}
	case HostKeyRevoked:
		fmt.Fprintf(&b, "host key of %s (%s) is marked @revoked in %s", e.Host, e.Fingerprint, e.KnownHostsFile)
	default:
		fmt.Fprintf(&b, "host key of %s refused (%s)", e.Host, e.Fingerprint)
	}
	return b.String()
}

// AuthError is returned when the server refused every offered credential, or when no credential
// could be offered at all. Err holds the underlying cause.
type AuthError struct {
	User string
	Host string
	// Methods describes what was offered ("identity file ~/.ssh/id_ed25519", "ssh-agent (2 keys)").
	Methods []string
	Err     error
}

func (e *AuthError) Error() string {
	offered := "nothing"
	if len(e.Methods) > 0 {
		offered = strings.Join(e.Methods, ", ")
	}
	return fmt.Sprintf("authentication as %q to %s failed (offered: %s): %v", e.User, e.Host, offered, e.Err)
}

func (e *AuthError) Unwrap() error { return e.Err }

// DialError is returned when the TCP port could not be reached after every attempt.
type DialError struct {
	Address  string
	Attempts int
	Err      error
}

func (e *DialError) Error() string {
	return fmt.Sprintf("connect to %s failed after %d attempt(s): %v", e.Address, e.Attempts, e.Err)
}

func (e *DialError) Unwrap() error { return e.Err }
