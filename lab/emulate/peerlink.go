package emulate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/clusterctl/cluster/lab/labdir"
)

// The peer link carries the peers operations of a node that cannot see its peers' roots: a
// Windows-dialect node on real sshd runs chrooted in its own root. Its emulations connect to a
// Unix socket inside the chroot (.lab/node.json peer_link); a peer server outside, run by the
// test harness, performs each operation with fsPeers over the lab registry, so the link adds
// transport and nothing else. The protocol is one JSON request, then one JSON response, as
// many times as the client likes on one connection.

// The operations of the link, one per method of peers.
const (
	opStatus   = "status"
	opFailing  = "failing"
	opRead     = "read-state"
	opWrite    = "write-state"
	opInstall  = "install"
	opSettings = "install-settings"
)

// peerLinkTimeout bounds one operation: a stuck peer server fails the command, it does not
// hang it.
const peerLinkTimeout = 30 * time.Second

type peerRequest struct {
	Op      string         `json:"op"`
	Server  string         `json:"server"`
	Install string         `json:"install,omitempty"`
	Arg     string         `json:"arg,omitempty"` // failing: the operation (suspend, resume)
	State   *nodeState     `json:"state,omitempty"`
	Config  *configuration `json:"config,omitempty"`
	Files   []treeFile     `json:"files,omitempty"` // install-settings: the settings tree
}

type peerResponse struct {
	Error   string     `json:"error,omitempty"`
	Status  peerStatus `json:"status"`
	Failing bool       `json:"failing,omitempty"`
	State   nodeState  `json:"state"`
}

// ServePeers serves the peer link on l for the nodes of the lab registry in labDir (whose roots
// are paths on this machine) until l is closed; it then returns nil. Each connection is served
// on its own and reads the registry when it opens, as an emulation on an unchrooted node does.
func ServePeers(l net.Listener, labDir string) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := l.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			servePeerConn(conn, labDir)
		}()
	}
}

func servePeerConn(conn io.ReadWriter, labDir string) {
	p := fsPeers{roots: map[string]string{}}
	reg, regErr := labdir.ReadRegistry(labDir)
	for _, n := range reg.Nodes {
		p.roots[n.Name] = n.Root
	}
	dec, enc := json.NewDecoder(conn), json.NewEncoder(conn)
	for {
		var req peerRequest
		if err := dec.Decode(&req); err != nil {
			return // EOF, or a client that does not speak the protocol
		}
		resp := peerResponse{Error: fmt.Sprint(regErr)}
		if regErr == nil {
			resp = handlePeerRequest(p, req)
		}
		if err := enc.Encode(resp); err != nil {
			return
		}
	}
}

// handlePeerRequest performs one request with p.
func handlePeerRequest(p peers, req peerRequest) peerResponse {
	var resp peerResponse
	var err error
	switch req.Op {
	case opStatus:
		resp.Status, err = p.status(req.Server)
	case opFailing:
		resp.Failing, err = p.failing(req.Server, req.Arg)
	case opRead:
		resp.State, err = p.readState(req.Server, req.Install)
	case opWrite:
		if req.State == nil {
			err = errors.New("peer link: write-state without a state")
		} else {
			err = p.writeState(req.Server, req.Install, *req.State)
		}
	case opInstall:
		if req.Config == nil {
			err = errors.New("peer link: install without a configuration")
		} else {
			err = p.installConfig(req.Server, req.Install, *req.Config)
		}
	case opSettings:
		err = p.installSettings(req.Server, req.Files)
	default:
		err = fmt.Errorf("peer link: unknown operation %q", req.Op)
	}
	if err != nil {
		resp.Error = err.Error()
	}
	return resp
}

// linkPeers is the client side of the link.
type linkPeers struct {
	conn net.Conn
	enc  *json.Encoder
	dec  *json.Decoder
}

// dialPeerLink connects to the peer server's socket at socket (a host path).
func dialPeerLink(socket string) (*linkPeers, error) {
	conn, err := net.DialTimeout("unix", socket, peerLinkTimeout)
	if err != nil {
		return nil, fmt.Errorf("peer link: %w", err)
	}
	return &linkPeers{conn: conn, enc: json.NewEncoder(conn), dec: json.NewDecoder(conn)}, nil
}

func (l *linkPeers) Close() error { return l.conn.Close() }

func (l *linkPeers) call(req peerRequest) (peerResponse, error) {
	var resp peerResponse
	l.conn.SetDeadline(time.Now().Add(peerLinkTimeout))
	if err := l.enc.Encode(req); err != nil {
		return resp, fmt.Errorf("peer link: %w", err)
	}
	if err := l.dec.Decode(&resp); err != nil {
		return resp, fmt.Errorf("peer link: %w", err)
	}
	if resp.Error != "" {
		return resp, errors.New(resp.Error)
	}
	return resp, nil
}

func (l *linkPeers) status(name string) (peerStatus, error) {
	resp, err := l.call(peerRequest{Op: opStatus, Server: name})
	return resp.Status, err
}

func (l *linkPeers) failing(name, op string) (bool, error) {
	resp, err := l.call(peerRequest{Op: opFailing, Server: name, Arg: op})
	return resp.Failing, err
}

func (l *linkPeers) readState(name, install string) (nodeState, error) {
	resp, err := l.call(peerRequest{Op: opRead, Server: name, Install: install})
	return resp.State, err
}

func (l *linkPeers) writeState(name, install string, st nodeState) error {
	_, err := l.call(peerRequest{Op: opWrite, Server: name, Install: install, State: &st})
	return err
}

func (l *linkPeers) installConfig(name, install string, cfg configuration) error {
	_, err := l.call(peerRequest{Op: opInstall, Server: name, Install: install, Config: &cfg})
	return err
}

func (l *linkPeers) installSettings(name string, files []treeFile) error {
	_, err := l.call(peerRequest{Op: opSettings, Server: name, Files: files})
	return err
}
