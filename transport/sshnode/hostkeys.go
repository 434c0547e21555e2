package sshnode

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// hostKeyPolicy decides whether a server's host key is trusted: a pinned key, or known_hosts
// files. It also chooses the host key algorithms to negotiate, so that a server holding several
// keys presents the one we know (otherwise a host known by its ed25519 key that prefers to
// present ECDSA would look "changed").
type hostKeyPolicy struct {
	callback   ssh.HostKeyCallback
	algorithms []string
}

// knownHostsWriter serialises the acceptance of new host keys across parallel connects, so that
// two connections meeting one host agree on its key.
type knownHostsWriter struct{ mu sync.Mutex }

func pinnedPolicy(hostPort, pinned string) (hostKeyPolicy, error) {
	want, _, _, _, err := ssh.ParseAuthorizedKey([]byte(pinned))
	if err != nil {
		return hostKeyPolicy{}, fmt.Errorf("pinned host_key of %s: %w", hostPort, err)
	}
	cb := func(_ string, _ net.Addr, got ssh.PublicKey) error {
		if bytes.Equal(got.Marshal(), want.Marshal()) {
			return nil
		}
		return &HostKeyError{
			Kind:        HostKeyChanged,
			Host:        knownhosts.Normalize(hostPort),
			Fingerprint: ssh.FingerprintSHA256(got),
			Line:        knownhosts.Line([]string{knownhosts.Normalize(hostPort)}, got),
			Pinned:      true,
		}
	}
	return hostKeyPolicy{callback: cb, algorithms: algorithmsFor([]string{want.Type()}, false)}, nil
}

// knownHostsPolicy checks keys against known, the parsed known_hosts files in order; with
// acceptNew a never-seen key is added to the first of them.
func knownHostsPolicy(hostPort string, known knownHosts, acceptNew bool, w *knownHostsWriter) hostKeyPolicy {
	check := known.callback()
	file := ""
	if len(known) > 0 {
		file = known[0].path
	}
	host := knownhosts.Normalize(hostPort)
	cb := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		for {
			err := check(hostname, remote, key)
			if err == nil {
				return nil
			}
			plain := plainKey(key)
			hkErr := &HostKeyError{
				Host:           host,
				Fingerprint:    ssh.FingerprintSHA256(plain),
				Line:           knownhosts.Line([]string{host}, plain),
				KnownHostsFile: file,
			}
			switch {
			case errors.As(err, new(*knownhosts.RevokedError)):
				hkErr.Kind = HostKeyRevoked
			case isKeyError(err, true):
				hkErr.Kind = HostKeyChanged
			case isKeyError(err, false):
				hkErr.Kind = HostKeyUnknown
				if acceptNew && file != "" {
					accepted, err := w.accept(known[0], hkErr.Line, func() bool { return isKeyError(check(hostname, remote, key), false) })
					if err != nil {
						return fmt.Errorf("trust new host key of %s: %w", host, err)
					}
					if !accepted {
						continue // another connection accepted a key for the host meanwhile: judge again
					}
					return nil
				}
			default:
				return fmt.Errorf("host key of %s: %w", host, err)
			}
			return hkErr
		}
	}
	return hostKeyPolicy{callback: cb, algorithms: algorithmsFor(known.keyTypes(hostPort), known.hasCA())}
}

// isKeyError reports whether err is knownhosts' KeyError: of a host known with other keys
// (known), or of a host not known at all.
func isKeyError(err error, known bool) bool {
	var keyErr *knownhosts.KeyError
	return errors.As(err, &keyErr) && (len(keyErr.Want) > 0) == known
}

// certAlgorithm maps a key type to its host certificate algorithms.
var certAlgorithm = map[string][]string{
	ssh.KeyAlgoED25519:  {ssh.CertAlgoED25519v01},
	ssh.KeyAlgoECDSA256: {ssh.CertAlgoECDSA256v01},
	ssh.KeyAlgoECDSA384: {ssh.CertAlgoECDSA384v01},
	ssh.KeyAlgoECDSA521: {ssh.CertAlgoECDSA521v01},
	ssh.KeyAlgoRSA:      {ssh.CertAlgoRSASHA512v01, ssh.CertAlgoRSASHA256v01},
}

// algorithmsFor lists the host key algorithms for known key types (all plain ones when none is
// known), with certificate algorithms first when a certificate authority may vouch for the host.
func algorithmsFor(types []string, withCerts bool) []string {
	if len(types) == 0 {
		types = []string{ssh.KeyAlgoED25519, ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521, ssh.KeyAlgoRSA}
	}
	var out []string
	seen := map[string]bool{}
	add := func(a ...string) {
		for _, s := range a {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	if withCerts {
		for _, t := range types {
			add(certAlgorithm[t]...)
		}
	}
	for _, t := range types {
		if t == ssh.KeyAlgoRSA {
			// An RSA key is negotiated by its signature algorithm; never SHA-1.
			add(ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256)
			continue
		}
		add(t)
	}
	return out
}

// accept records line in f, on disk and for the rest of the run, if the key is still unknown
// once the writer's lock is held: a parallel connection may have accepted a key for the host
// meanwhile. It reports whether it recorded the line.
func (w *knownHostsWriter) accept(f *knownHostsFile, line string, stillUnknown func() bool) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !stillUnknown() {
		return false, nil
	}
	return true, f.accept(line)
}

// appendLine adds line to the known_hosts file, creating it (and its directory) when missing.
func appendLine(file, line string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	prefix := ""
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			prefix = "\n"
		}
	}
	bw := bufio.NewWriter(f)
	bw.WriteString(prefix + strings.TrimSpace(line) + "\n")
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
