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

// knownHostsWriter serialises appends to known_hosts files across parallel connects, and
// remembers the keys it recorded: the parsed files are not read again during a run.
type knownHostsWriter struct {
	mu       sync.Mutex
	recorded map[string]bool // file + "\x00" + line
}

// newHostKeyPolicy builds the policy for the host at hostPort ("host:port"). known are the
// parsed known_hosts files, in order; files their names (new keys go to the first).
func newHostKeyPolicy(hostPort, pinned string, files []string, known knownHosts, acceptNew bool, w *knownHostsWriter) (hostKeyPolicy, error) {
	if pinned != "" {
		return pinnedPolicy(hostPort, pinned)
	}
	return knownHostsPolicy(hostPort, files, known, acceptNew, w), nil
}

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

func knownHostsPolicy(hostPort string, files []string, known knownHosts, acceptNew bool, w *knownHostsWriter) hostKeyPolicy {
	check := known.callback()
	file := ""
	if len(files) > 0 {
		file = files[0]
	}
	host := knownhosts.Normalize(hostPort)
	cb := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := check(hostname, remote, key)
		if err == nil {
			return nil
		}
		plain := key
		if cert, ok := key.(*ssh.Certificate); ok {
			plain = cert.Key
		}
		hkErr := &HostKeyError{
			Host:           host,
			Fingerprint:    ssh.FingerprintSHA256(plain),
			Line:           knownhosts.Line([]string{host}, plain),
			KnownHostsFile: file,
		}
		var keyErr *knownhosts.KeyError
		var revoked *knownhosts.RevokedError
		switch {
		case errors.As(err, &revoked):
			hkErr.Kind = HostKeyRevoked
		case errors.As(err, &keyErr) && len(keyErr.Want) > 0:
			hkErr.Kind = HostKeyChanged
		case errors.As(err, &keyErr):
			hkErr.Kind = HostKeyUnknown
			if acceptNew && file != "" {
				if err := w.record(file, hkErr.Line); err != nil {
					return fmt.Errorf("trust new host key of %s: %w", host, err)
				}
				return nil
			}
		default:
			return fmt.Errorf("host key of %s: %w", host, err)
		}
		return hkErr
	}
	return hostKeyPolicy{callback: cb, algorithms: algorithmsFor(known.keyTypes(hostPort), known.hasCA())}
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

// record adds line to the known_hosts file, creating it (and its directory) when missing,
// unless this run recorded it already.
func (w *knownHostsWriter) record(file, line string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	key := file + "\x00" + strings.TrimSpace(line)
	if w.recorded[key] {
		return nil
	}
	if err := appendLine(file, line); err != nil {
		return err
	}
	if w.recorded == nil {
		w.recorded = map[string]bool{}
	}
	w.recorded[key] = true
	return nil
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
