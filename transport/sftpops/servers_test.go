package sftpops

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// server is one SFTP server the operations are tested against.
type server struct {
	name string
	// start returns a client and a directory (a server path) the test may use.
	start func(t *testing.T) (*sftp.Client, string)
	// atomicRename: the server's posix-rename replaces atomically.
	atomicRename bool
	fsync        bool
}

var servers = []server{
	{name: "pkg-sftp-in-process", start: startInProcess, atomicRename: true},
	{name: "openssh-internal-sftp", start: startOpenSSH, atomicRename: true, fsync: true},
}

// startInProcess serves the local file system with pkg/sftp's server over pipes.
func startInProcess(t *testing.T) (*sftp.Client, string) {
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	srv, err := sftp.NewServer(struct {
		io.Reader
		io.WriteCloser
	}{sr, sw})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve()
	c, err := sftp.NewClientPipe(cr, cw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Closing the pipes ends both the server's and the client's read loops.
		sr.Close()
		cr.Close()
		sw.Close()
		cw.Close()
		c.Close()
		srv.Close()
	})
	return c, t.TempDir()
}

// startOpenSSH starts a real sshd (lab/opensshtest) with OpenSSH's internal-sftp and
// connects to it with the harness's key and known_hosts.
func startOpenSSH(t *testing.T) (*sftp.Client, string) {
	cl := opensshtest.Start(t, 1)
	n := cl.Nodes[0]
	// opensshtest's sshd_config has no Subsystem line; add OpenSSH's in-process server.
	cfg := filepath.Join(n.Dir, "sshd_config")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("sshd_config: %v", err)
	}
	if _, err := f.WriteString("Subsystem sftp internal-sftp\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cl.Restart(0)

	keyPEM, err := os.ReadFile(cl.IdentityFile)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	hostKeys, err := knownhosts.New(cl.KnownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := ssh.Dial("tcp", net.JoinHostPort(n.Address, strconv.Itoa(n.Port)), &ssh.ClientConfig{
		User:            cl.User,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hostKeys,
	})
	if err != nil {
		t.Fatalf("ssh: %v", err)
	}
	c, err := sftp.NewClient(conn)
	if err != nil {
		conn.Close()
		t.Fatalf("sftp: %v", err)
	}
	t.Cleanup(func() { c.Close(); conn.Close() })
	return c, n.Root
}

// forEachServer runs fn against every server, each in a fresh directory.
func forEachServer(t *testing.T, fn func(t *testing.T, s server, sc *sftp.Client, dir string)) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			sc, dir := s.start(t)
			fn(t, s, sc, dir)
		})
	}
}
