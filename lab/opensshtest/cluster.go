package opensshtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/clusterctl/cluster/hcl/config"
)

// Cluster is a set of running sshd nodes sharing one client key and one known_hosts file.
type Cluster struct {
	Dir            string
	Nodes          []*Node
	Jump           *Node  // the bastion, when started WithJumpHost
	User           string // the user every node accepts (the current user)
	IdentityFile   string // the client's private key
	KnownHostsFile string // every node's (and the bastion's) host key, as started
	// LabDir holds the lab registry (lab.json) of a cluster started by StartWindowsCluster.
	LabDir         string
	authorizedKeys string
	chrootBase     string // where Windows-dialect node roots live
	homeOwner      string // the owner of each node's HOME, when not the current user
	t              testing.TB
}

// Node is one sshd.
type Node struct {
	Name        string
	Address     string // loopback address, distinct per node
	Port        int
	Root        string // the node root: CLUSTER_NODE_ROOT of every session
	Dir         string // the node's private directory (config, host key, log)
	LogFile     string
	HostKeyLine string // the current host key in authorized_keys format ("ssh-ed25519 AAAA...")
	// ShellPath is, on a Windows-dialect node, the login shell's path inside the chroot Root
	// (a copy of the WithWindowsShell binary): link emulated programs to it.
	ShellPath string

	winShell    string
	winCodePage int

	hostKeyFile string
	configFile  string
	mu          sync.Mutex // guards cmd and exited
	cmd         *exec.Cmd
	exited      chan struct{}
}

// Option configures Start.
type Option func(*settings)

type settings struct {
	jump        bool
	winShell    string
	winCodePage int
	loginUser   string
	names       []string // node names; default node1, node2, ...
}

// withNames names the nodes (StartWindowsCluster).
func withNames(names []string) Option { return func(s *settings) { s.names = names } }

// WithJumpHost also starts a bastion that allows TCP forwarding (ssh -J) to the nodes.
func WithJumpHost() Option { return func(s *settings) { s.jump = true } }

// WithLoginUser makes the nodes accept the client key for user instead of the current user
// (which must be root to start such nodes). The test directory and authorized_keys become
// readable by everyone, as sshd reads the keys with the user's rights, and each node's HOME
// belongs to user; the node roots stay the current user's.
func WithLoginUser(user string) Option { return func(s *settings) { s.loginUser = user } }

// Start starts n sshd nodes and stops them when the test ends. It skips the test when sshd is
// not installed, unless $CI is set.
func Start(t testing.TB, n int, opts ...Option) *Cluster {
	t.Helper()
	RequireSSHD(t)
	var s settings
	for _, o := range opts {
		o(&s)
	}
	c := &Cluster{Dir: t.TempDir(), t: t}
	c.User = currentUser(t)
	if s.loginUser != "" {
		c.User = s.loginUser
		// t.TempDir's directories are private (0700): open the path to the keys.
		for _, d := range []string{filepath.Dir(c.Dir), c.Dir} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatalf("opensshtest: %v", err)
			}
		}
	}
	c.IdentityFile = filepath.Join(c.Dir, "id_ed25519")
	c.KnownHostsFile = filepath.Join(c.Dir, "known_hosts")
	c.authorizedKeys = filepath.Join(c.Dir, "authorized_keys")
	clientKey, err := writeKey(c.IdentityFile, "opensshtest client")
	if err != nil {
		t.Fatalf("opensshtest: client key: %v", err)
	}
	if err := os.WriteFile(c.authorizedKeys, []byte(authorizedLine(clientKey)+"\n"), 0o600); err != nil {
		t.Fatalf("opensshtest: %v", err)
	}
	if s.loginUser != "" {
		if err := os.Chmod(c.authorizedKeys, 0o644); err != nil {
			t.Fatalf("opensshtest: %v", err)
		}
		c.homeOwner = s.loginUser
	}
	if os.Geteuid() == 0 {
		// sshd run as root insists on its privilege separation directory.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatalf("opensshtest: %v", err)
		}
	}
	t.Cleanup(c.cleanup)
	if s.winShell != "" {
		if os.Geteuid() != 0 {
			skipOrFail(t, "Windows-dialect nodes need root (sshd's ChrootDirectory)")
		}
		base, cleanup, err := chrootBase()
		if err != nil {
			t.Fatalf("opensshtest: %v", err)
		}
		c.chrootBase = base
		t.Cleanup(cleanup)
	}

	for i := range n {
		name := fmt.Sprintf("node%d", i+1)
		if i < len(s.names) {
			name = s.names[i]
		}
		node, err := c.newNode(name, fmt.Sprintf("127.0.%d.%d", i/240, 10+i%240), false, s)
		if err != nil {
			t.Fatalf("opensshtest: %v", err)
		}
		c.Nodes = append(c.Nodes, node)
	}
	if s.jump {
		if c.Jump, err = c.newNode("jump", "127.0.0.9", true, settings{}); err != nil {
			t.Fatalf("opensshtest: %v", err)
		}
	}
	if err := c.writeKnownHosts(); err != nil {
		t.Fatalf("opensshtest: %v", err)
	}
	return c
}

// RequireSSHD skips the test when sshd is missing, or fails it when $CI is set.
func RequireSSHD(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(SSHD); err == nil {
		return
	}
	skipOrFail(t, SSHD+" not installed (make deps, or apt-get install openssh-server)")
}

// skipOrFail skips the test for want of why, or fails it when $CI is set: on CI every test runs.
func skipOrFail(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("opensshtest: %s", why)
	}
	t.Skipf("opensshtest: %s; set CI=1 to make this a failure", why)
}

func (c *Cluster) newNode(name, addr string, forwarding bool, s settings) (*Node, error) {
	n := &Node{Name: name, Address: addr, Dir: filepath.Join(c.Dir, name)}
	n.Root = filepath.Join(n.Dir, "root")
	if s.winShell != "" && !forwarding {
		n.winShell, n.winCodePage = s.winShell, s.winCodePage
		n.Root = filepath.Join(c.chrootBase, name)
	}
	n.LogFile = filepath.Join(n.Dir, "sshd.log")
	n.hostKeyFile = filepath.Join(n.Dir, "ssh_host_ed25519_key")
	n.configFile = filepath.Join(n.Dir, "sshd_config")
	for _, d := range []string{n.Root, n.home()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if n.Windows() {
		if err := n.prepareChroot(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if c.homeOwner != "" {
		if out, err := exec.Command("chown", c.homeOwner+":", n.home()).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: chown home: %v: %s", name, err, out)
		}
	}
	port, err := freePort(addr)
	if err != nil {
		return nil, fmt.Errorf("%s: free port on %s: %w", name, addr, err)
	}
	n.Port = port
	if err := n.newHostKey(); err != nil {
		return nil, err
	}
	if err := os.WriteFile(n.configFile, []byte(sshdConfig(n, c.authorizedKeys, forwarding)), 0o644); err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.start(); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *Node) newHostKey() error {
	k, err := writeKey(n.hostKeyFile, n.Name)
	if err != nil {
		return fmt.Errorf("%s: host key: %w", n.Name, err)
	}
	n.HostKeyLine = authorizedLine(k)
	return nil
}

// KnownHostsLine is the node's known_hosts line.
func (n *Node) KnownHostsLine() string {
	return knownHostsHost(n.Address, n.Port) + " " + n.HostKeyLine
}

// Log returns what sshd has logged so far.
func (n *Node) Log() string {
	b, _ := os.ReadFile(n.LogFile)
	return string(b)
}

// writeKnownHosts records every node's current host key.
func (c *Cluster) writeKnownHosts() error {
	var b strings.Builder
	for _, n := range c.all() {
		b.WriteString(n.KnownHostsLine() + "\n")
	}
	return os.WriteFile(c.KnownHostsFile, []byte(b.String()), 0o600)
}

// Stop kills node i's sshd and every connection it serves, as a crashed machine would drop them.
func (c *Cluster) Stop(i int) {
	n := c.Nodes[i]
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stop()
}

// StopJump kills the bastion and the connections it forwards.
func (c *Cluster) StopJump() {
	if c.Jump == nil {
		c.t.Fatalf("opensshtest: cluster started without WithJumpHost")
	}
	c.Jump.mu.Lock()
	defer c.Jump.mu.Unlock()
	c.Jump.stop()
}

// Restart (re)starts node i's sshd on the same address, port and host key.
func (c *Cluster) Restart(i int) {
	c.t.Helper()
	n := c.Nodes[i]
	n.mu.Lock()
	defer n.mu.Unlock()
	n.stop()
	if err := n.start(); err != nil {
		c.t.Fatalf("opensshtest: restart %s: %v", n.Name, err)
	}
}

// ChangeHostKey gives node i a new host key and restarts it. KnownHostsFile keeps the old key,
// so clients see a changed host key.
func (c *Cluster) ChangeHostKey(i int) {
	c.t.Helper()
	n := c.Nodes[i]
	n.mu.Lock()
	err := n.newHostKey()
	n.mu.Unlock()
	if err != nil {
		c.t.Fatalf("opensshtest: %v", err)
	}
	c.Restart(i)
}

// Endpoint returns a configuration endpoint for node i: the harness's user, key and
// known_hosts, no agent and no ~/.ssh/config.
func (c *Cluster) Endpoint(i int) config.Endpoint {
	n := c.Nodes[i]
	off := false
	return config.Endpoint{
		Address: n.Address,
		Port:    n.Port,
		SSH: config.SSH{
			User:           c.User,
			IdentityFiles:  []string{c.IdentityFile},
			KnownHostsFile: c.KnownHostsFile,
			Agent:          &off,
			UseSSHConfig:   &off,
		},
	}
}

// JumpHost returns the bastion as config.SSH.JumpHost expects it: "user@address:port".
func (c *Cluster) JumpHost() string {
	if c.Jump == nil {
		c.t.Fatalf("opensshtest: cluster started without WithJumpHost")
	}
	return fmt.Sprintf("%s@%s:%d", c.User, c.Jump.Address, c.Jump.Port)
}

func (c *Cluster) all() []*Node {
	all := append([]*Node(nil), c.Nodes...)
	if c.Jump != nil {
		all = append(all, c.Jump)
	}
	return all
}

// cleanup stops every server; when the test failed it shows their logs.
func (c *Cluster) cleanup() {
	for _, n := range c.all() {
		n.mu.Lock()
		n.stop()
		n.mu.Unlock()
		if c.t.Failed() {
			c.t.Logf("opensshtest: sshd log of %s (%s:%d):\n%s", n.Name, n.Address, n.Port, n.Log())
		}
	}
}

func currentUser(t testing.TB) string {
	u, err := user.Current()
	if err != nil {
		t.Fatalf("opensshtest: current user: %v", err)
	}
	return u.Username
}
