package sshnode

import (
	"errors"
	"net"
	"strconv"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
)

// testServer is an in-process SSH server that only authenticates: enough to exercise host key
// checks, authentication and keepalives without sshd.
type testServer struct {
	Addr string
	Port int

	mu    sync.Mutex
	conns int // connections accepted
}

type serverOptions struct {
	hostKey   ssh.Signer      // plain key or certificate signer
	extraKeys []ssh.Signer    // more host keys, of other types
	allow     []ssh.PublicKey // client keys accepted
	onConn    func(*ssh.ServerConn, <-chan *ssh.Request)
	hold      chan struct{} // if set, each connection waits on it before the handshake
}

func startTestServer(t testing.TB, o serverOptions) *testServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			for _, a := range o.allow {
				if string(a.Marshal()) == string(k.Marshal()) {
					return nil, nil
				}
			}
			return nil, errRefused
		},
	}
	cfg.AddHostKey(o.hostKey)
	for _, k := range o.extraKeys {
		cfg.AddHostKey(k)
	}
	s := &testServer{Addr: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(c, cfg, o)
		}
	}()
	return s
}

var errRefused = errors.New("key not authorized")

func (s *testServer) serve(c net.Conn, cfg *ssh.ServerConfig, o serverOptions) {
	defer c.Close()
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
	if o.hold != nil {
		<-o.hold
	}
	sc, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	go func() {
		for ch := range chans {
			ch.Reject(ssh.Prohibited, "no sessions here")
		}
	}()
	if o.onConn != nil {
		o.onConn(sc, reqs)
		return
	}
	go ssh.DiscardRequests(reqs)
	sc.Wait()
}

func (s *testServer) hostPort() string { return net.JoinHostPort(s.Addr, strconv.Itoa(s.Port)) }

func (s *testServer) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}
