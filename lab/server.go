package lab

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/clusterctl/cluster/lab/labdir"
)

// handshakeTimeout bounds an SSH handshake, so a silent client cannot hold a goroutine.
const handshakeTimeout = 15 * time.Second

// nodeServer is one lab node: an SSH server on its own listener, running commands in root.
type nodeServer struct {
	name     string
	root     string
	listener net.Listener
	config   *ssh.ServerConfig
	hostKey  ssh.PublicKey
	logf     func(format string, args ...any)

	sessions atomic.Int64 // exec requests served
	windows  *windowsNode // nil: a POSIX node

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

func newNodeServer(name, root string, l net.Listener, hostKey ssh.Signer, client ssh.PublicKey, logf func(string, ...any)) *nodeServer {
	want := client.Marshal()
	cfg := &ssh.ServerConfig{
		ServerVersion: "SSH-2.0-cluster-lab",
		PublicKeyCallback: func(meta ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if bytes.Equal(key.Marshal(), want) {
				return &ssh.Permissions{}, nil
			}
			return nil, fmt.Errorf("key %s is not the lab client key", ssh.FingerprintSHA256(key))
		},
	}
	cfg.AddHostKey(hostKey)
	return &nodeServer{
		name: name, root: root, listener: l, config: cfg, hostKey: hostKey.PublicKey(), logf: logf,
		conns: map[net.Conn]struct{}{},
	}
}

// serve accepts connections until close.
func (s *nodeServer) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.listener.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.logf("%s: accept: %v", s.name, err)
			}
			return
		}
		// A node that is down refuses by hanging up before the SSH banner.
		if labdir.HasFault(s.root, labdir.NodeDown, "") {
			conn.Close()
			continue
		}
		if !s.track(conn) {
			conn.Close()
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(conn)
			s.handleConn(withFaults(conn, s.root))
		}()
	}
}

func (s *nodeServer) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *nodeServer) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
}

// close stops accepting, cuts every open connection (their commands are killed) and waits.
func (s *nodeServer) close() error {
	s.mu.Lock()
	s.closed = true
	err := s.listener.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *nodeServer) handleConn(conn net.Conn) {
	conn.SetDeadline(time.Now().Add(handshakeTimeout))
	sconn, chans, reqs, err := ssh.NewServerConn(conn, s.config)
	if err != nil {
		if !errors.Is(err, io.EOF) { // EOF: a port probe (`cluster lab status`), not a client
			s.logf("%s: handshake from %s: %v", s.name, conn.RemoteAddr(), err)
		}
		return
	}
	conn.SetDeadline(time.Time{})
	defer sconn.Close()

	go globalRequests(reqs)
	var sessions sync.WaitGroup
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "only session channels are supported")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			s.logf("%s: accept channel: %v", s.name, err)
			continue
		}
		sessions.Add(1)
		go func() {
			defer sessions.Done()
			s.session(ch, creqs)
		}()
	}
	// chans closes when the connection ends; sessions still running are killed by their
	// closed channel.
	sessions.Wait()
}

// globalRequests answers keepalive@openssh.com (so clients see the node alive) and refuses the
// rest (port forwarding and the like).
func globalRequests(reqs <-chan *ssh.Request) {
	for r := range reqs {
		if r.WantReply {
			r.Reply(r.Type == "keepalive@openssh.com", nil)
		}
	}
}

// logger adapts a *log.Logger (nil: discard) to the printf shape the servers use.
func logger(l *log.Logger) func(string, ...any) {
	if l == nil {
		return func(string, ...any) {}
	}
	return l.Printf
}
