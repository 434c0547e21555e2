package sshnode

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/clusterctl/cluster/transport"
)

func newSigner(t testing.TB) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newECDSASigner(t testing.TB) ssh.Signer {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hostCertSigner returns the host key wrapped in a host certificate signed by ca.
func hostCertSigner(t testing.TB, host, ca ssh.Signer, principal string) ssh.Signer {
	t.Helper()
	cert := &ssh.Certificate{
		Key:             host.PublicKey(),
		CertType:        ssh.HostCert,
		ValidPrincipals: []string{principal},
		ValidBefore:     ssh.CertTimeInfinity,
	}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewCertSigner(cert, host)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestKnownHostsHandling connects to an in-process server with a known_hosts file in each of
// the forms OpenSSH writes.
func TestKnownHostsHandling(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "id")
	client := writeTestKey(t, keyFile)
	host := newSigner(t)
	ca := newSigner(t)
	other := newSigner(t)
	plain := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{client.PublicKey()}})
	ecdsaKey := newECDSASigner(t)
	twoKeys := startTestServer(t, serverOptions{hostKey: ecdsaKey, extraKeys: []ssh.Signer{host}, allow: []ssh.PublicKey{client.PublicKey()}})
	certified := startTestServer(t, serverOptions{hostKey: hostCertSigner(t, host, ca, "127.0.0.1"), allow: []ssh.PublicKey{client.PublicKey()}})

	bracketed := func(s *testServer) string { return knownhosts.Normalize(s.hostPort()) }

	cases := map[string]struct {
		server   *testServer
		lines    func() []string // nil: no known_hosts file at all
		wantKind HostKeyKind     // -1: success
	}{
		"plain [host]:port entry": {plain, func() []string { return []string{knownhosts.Line([]string{bracketed(plain)}, host.PublicKey())} }, -1},
		"hashed entry": {plain, func() []string {
			return []string{knownhosts.HashHostname(bracketed(plain)) + " " + string(ssh.MarshalAuthorizedKey(host.PublicKey()))}
		}, -1},
		// x/crypto's matcher compares ports exactly, so a pattern names the port.
		"wildcard pattern": {plain, func() []string {
			return []string{"[127.0.0.*]:" + strconv.Itoa(plain.Port) + " " + authorized(host.PublicKey())}
		}, -1},
		"cert-authority": {certified, func() []string {
			return []string{"@cert-authority " + bracketed(certified) + " " + authorized(ca.PublicKey())}
		}, -1},
		"entry for the host without its port is unknown": {plain, func() []string { return []string{"127.0.0.1 " + authorized(host.PublicKey())} }, HostKeyUnknown},
		"missing file": {plain, nil, HostKeyUnknown},
		"other key":    {plain, func() []string { return []string{bracketed(plain) + " " + authorized(other.PublicKey())} }, HostKeyChanged},
		"revoked": {plain, func() []string {
			return []string{bracketed(plain) + " " + authorized(host.PublicKey()), "@revoked * " + authorized(host.PublicKey())}
		}, HostKeyRevoked},
		// The server has an ECDSA and an ed25519 key, and x/crypto prefers ECDSA, but only the
		// ed25519 key is known: negotiation must ask for it, or the host would look changed.
		"only one of two key types known": {twoKeys, func() []string { return []string{bracketed(twoKeys) + " " + authorized(host.PublicKey())} }, -1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			kh := filepath.Join(t.TempDir(), "known_hosts")
			if c.lines != nil {
				content := ""
				for _, l := range c.lines() {
					content += l + "\n"
				}
				if err := os.WriteFile(kh, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := tryConnect(t, c.server, keyFile, kh, "")
			if c.wantKind < 0 {
				if err != nil {
					t.Fatalf("connect: %v", err)
				}
				return
			}
			var hk *HostKeyError
			if !errors.As(err, &hk) || hk.Kind != c.wantKind {
				t.Fatalf("err = %v, want a %v host key error", err, c.wantKind)
			}
			if hk.Fingerprint != ssh.FingerprintSHA256(host.PublicKey()) {
				t.Errorf("fingerprint %s, want %s", hk.Fingerprint, ssh.FingerprintSHA256(host.PublicKey()))
			}
		})
	}
}

func TestPinnedHostKey(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "id")
	client, host := writeTestKey(t, keyFile), newSigner(t)
	srv := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{client.PublicKey()}})
	if err := tryConnect(t, srv, keyFile, "/nonexistent", authorized(host.PublicKey())); err != nil {
		t.Fatalf("pinned key: %v", err)
	}
	err := tryConnect(t, srv, keyFile, "/nonexistent", authorized(newSigner(t).PublicKey()))
	var hk *HostKeyError
	if !errors.As(err, &hk) || !hk.Pinned || hk.Kind != HostKeyChanged {
		t.Fatalf("err = %v, want a pinned-key mismatch", err)
	}
}

func TestAlgorithmsFor(t *testing.T) {
	cases := map[string]struct {
		types     []string
		withCerts bool
		want      []string
	}{
		"ed25519":        {[]string{ssh.KeyAlgoED25519}, false, []string{ssh.KeyAlgoED25519}},
		"rsa never sha1": {[]string{ssh.KeyAlgoRSA}, false, []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256}},
		"certs first":    {[]string{ssh.KeyAlgoED25519}, true, []string{ssh.CertAlgoED25519v01, ssh.KeyAlgoED25519}},
	}
	for name, c := range cases {
		if got := algorithmsFor(c.types, c.withCerts); !equalStrings(got, c.want) {
			t.Errorf("%s: got %v, want %v", name, got, c.want)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func authorized(k ssh.PublicKey) string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}

// tryConnect connects one pool to srv and closes it.
func tryConnect(t testing.TB, srv *testServer, keyFile, knownHosts, pinned string) error {
	t.Helper()
	off := false
	ep := transport.Endpoint{Address: srv.Addr, Port: srv.Port, HostKey: pinned, SSH: transport.SSHSettings{
		User: "test", IdentityFiles: []string{keyFile}, KnownHostsFile: knownHosts, Agent: &off, UseSSHConfig: &off,
	}}
	p := NewPool(testOptions(t))
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := p.Connect(ctx, srv.hostPort(), ep)
	return err
}
