package sshnode

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/clusterctl/cluster/transport"
)

// authFixture is a server that accepts one client key, and a known_hosts file that trusts it.
type authFixture struct {
	srv        *testServer
	knownHosts string
	clientKey  ed25519.PrivateKey
}

func newAuthFixture(t *testing.T) authFixture {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	host := newSigner(t)
	srv := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{signer.PublicKey()}})
	kh := filepath.Join(t.TempDir(), "known_hosts")
	os.WriteFile(kh, []byte(knownhosts.Line([]string{knownhosts.Normalize(srv.hostPort())}, host.PublicKey())+"\n"), 0o600)
	return authFixture{srv: srv, knownHosts: kh, clientKey: priv}
}

func (f authFixture) endpoint(ids []string, agentOn bool, passEnv string) transport.Endpoint {
	off := false
	return transport.Endpoint{Address: f.srv.Addr, Port: f.srv.Port, SSH: transport.SSHSettings{
		User: "test", IdentityFiles: ids, KnownHostsFile: f.knownHosts, Agent: &agentOn, UseSSHConfig: &off, PassphraseEnv: passEnv,
	}}
}

func (f authFixture) writeEncrypted(t *testing.T, pass string) string {
	block, err := ssh.MarshalPrivateKeyWithPassphrase(f.clientKey, "enc", []byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "id_enc")
	os.WriteFile(p, pem.EncodeToMemory(block), 0o600)
	return p
}

func connectWith(t *testing.T, o Options, ep transport.Endpoint) error {
	p := NewPool(o)
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := p.Connect(ctx, "n", ep)
	return err
}

func TestEncryptedIdentity(t *testing.T) {
	f := newAuthFixture(t)
	key := f.writeEncrypted(t, "s3cret")
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	t.Run("passphrase from the named variable", func(t *testing.T) {
		o := testOptions(t)
		o.Getenv = env(map[string]string{"CLUSTER_SSH_PASSPHRASE": "s3cret"})
		o.Prompt = func(string) ([]byte, error) {
			t.Error("prompted although the variable is set")
			return nil, errNoTerminal
		}
		if err := connectWith(t, o, f.endpoint([]string{key}, false, "CLUSTER_SSH_PASSPHRASE")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("prompt once per pool", func(t *testing.T) {
		var prompts atomic.Int32
		o := testOptions(t)
		o.Prompt = func(p string) ([]byte, error) {
			prompts.Add(1)
			if !strings.Contains(p, key) {
				t.Errorf("prompt %q does not name the key", p)
			}
			return []byte("s3cret"), nil
		}
		p := NewPool(o)
		defer p.Close()
		_, err := p.ConnectAll(context.Background(), []Target{
			{Name: "a", Endpoint: f.endpoint([]string{key}, false, "")},
			{Name: "b", Endpoint: f.endpoint([]string{key}, false, "")},
		})
		if err != nil {
			t.Fatal(err)
		}
		if prompts.Load() != 1 {
			t.Errorf("prompted %d times, want 1", prompts.Load())
		}
	})
	t.Run("no terminal and no variable", func(t *testing.T) {
		o := testOptions(t)
		o.Prompt = func(string) ([]byte, error) { return nil, errNoTerminal }
		before := f.srv.connections()
		err := connectWith(t, o, f.endpoint([]string{key}, false, "CLUSTER_SSH_PASSPHRASE"))
		var ae *AuthError
		if !errors.As(err, &ae) || !errors.Is(err, errNoTerminal) || !strings.Contains(err.Error(), "$CLUSTER_SSH_PASSPHRASE") {
			t.Fatalf("err = %v, want an AuthError naming the variable", err)
		}
		if conns := f.srv.connections(); conns != before {
			t.Errorf("dialed %d times without a usable key", conns-before)
		}
	})
	t.Run("wrong passphrase", func(t *testing.T) {
		o := testOptions(t)
		o.Getenv = env(map[string]string{"PP": "wrong"})
		var ae *AuthError
		if err := connectWith(t, o, f.endpoint([]string{key}, false, "PP")); !errors.As(err, &ae) {
			t.Fatalf("err = %v, want an AuthError", err)
		}
	})
	t.Run("explicit identity file missing", func(t *testing.T) {
		var ae *AuthError
		err := connectWith(t, testOptions(t), f.endpoint([]string{"/nonexistent/key"}, false, ""))
		if !errors.As(err, &ae) || !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v, want an AuthError wrapping ErrNotExist", err)
		}
	})
}

func TestAgentAuthentication(t *testing.T) {
	f := newAuthFixture(t)
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: f.clientKey}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go agent.ServeAgent(keyring, c)
		}
	}()
	o := testOptions(t)
	o.Getenv = func(k string) string {
		if k == "SSH_AUTH_SOCK" {
			return sock
		}
		return ""
	}
	// No identity file configured and none in the (empty) home: only the agent can succeed.
	if err := connectWith(t, o, f.endpoint(nil, true, "")); err != nil {
		t.Fatalf("agent auth: %v", err)
	}
	var ae *AuthError
	if err := connectWith(t, o, f.endpoint(nil, false, "")); !errors.As(err, &ae) {
		t.Fatalf("with agent = false: err = %v, want an AuthError", err)
	}
}

func TestKeepaliveClosesADeadConnection(t *testing.T) {
	f := newAuthFixture(t)
	// A server that never answers global requests, as a peer behind a dead link.
	f.srv = startTestServer(t, serverOptions{hostKey: newSigner(t), allow: nil})
	host := newSigner(t)
	signer, _ := ssh.NewSignerFromKey(f.clientKey)
	srv := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{signer.PublicKey()},
		onConn: func(sc *ssh.ServerConn, reqs <-chan *ssh.Request) {
			for range reqs { // read, never reply
			}
		}})
	os.WriteFile(f.knownHosts, []byte(knownhosts.Line([]string{knownhosts.Normalize(srv.hostPort())}, host.PublicKey())+"\n"), 0o600)
	f.srv = srv
	key := filepath.Join(t.TempDir(), "id")
	block, _ := ssh.MarshalPrivateKey(f.clientKey, "")
	os.WriteFile(key, pem.EncodeToMemory(block), 0o600)

	o := testOptions(t)
	o.KeepaliveInterval, o.KeepaliveMaxMisses = 30*time.Millisecond, 3
	p := NewPool(o)
	defer p.Close()
	n, err := p.Connect(context.Background(), "n", f.endpoint([]string{key}, false, ""))
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() { n.client.Wait(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		t.Fatal("connection still open after 3s of unanswered keepalives")
	}
}

func TestConnectAllBoundsParallelism(t *testing.T) {
	f := newAuthFixture(t)
	hold := make(chan struct{})
	host := newSigner(t)
	signer, _ := ssh.NewSignerFromKey(f.clientKey)
	srv := startTestServer(t, serverOptions{hostKey: host, allow: []ssh.PublicKey{signer.PublicKey()}, hold: hold})
	os.WriteFile(f.knownHosts, []byte(knownhosts.Line([]string{knownhosts.Normalize(srv.hostPort())}, host.PublicKey())+"\n"), 0o600)
	f.srv = srv
	key := filepath.Join(t.TempDir(), "id")
	block, _ := ssh.MarshalPrivateKey(f.clientKey, "")
	os.WriteFile(key, pem.EncodeToMemory(block), 0o600)

	o := testOptions(t)
	o.Parallelism = 3
	p := NewPool(o)
	defer p.Close()
	var targets []Target
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		targets = append(targets, Target{Name: name, Endpoint: f.endpoint([]string{key}, false, "")})
	}
	done := make(chan error, 1)
	go func() { _, err := p.ConnectAll(context.Background(), targets); done <- err }()
	// With every handshake held, exactly Parallelism connections reach the server.
	waitFor(t, func() bool { return srv.connections() == 3 })
	time.Sleep(100 * time.Millisecond)
	if c := srv.connections(); c != 3 {
		t.Errorf("%d connections in flight, want 3", c)
	}
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c := srv.connections(); c != 7 {
		t.Errorf("%d connections, want 7", c)
	}
}
