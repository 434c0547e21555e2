package lab

import (
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/lab/wincmd"
)

// Files of a lab directory.
const (
	ClientKeyFile  = "id_ed25519" // the client key the nodes accept (+ .pub)
	KnownHostsFile = "known_hosts"
	VarsFile       = "lab.vars.hcl"
	PIDFile        = "lab.pid"
	LogFile        = "lab.log"
	nodesDir       = "nodes"
	hostKeyFile    = "host_key"
)

// DefaultNodes is the number of nodes of a lab when neither names nor a count are given.
const DefaultNodes = 4

// Options describe a lab.
type Options struct {
	// Dir is the lab directory; created when missing, made absolute.
	Dir string
	// Names are the node names. Empty: the names of the lab already in Dir, if any, else
	// sv1..svN.
	Names []string
	// Nodes is N for the default names (DefaultNodes when 0).
	Nodes int
	// Binary is the cluster binary the emulated commands link to. Empty: this executable.
	Binary string
	// Log receives connection-level diagnostics; nil discards them.
	Log *log.Logger
	// Windows names the nodes that are Windows nodes (Microsoft's OpenSSH with cmd.exe, see
	// docs/lab.md "Windows nodes"); "*" makes every node one. Nil: the previous run's choice,
	// kept in lab.json.
	Windows []string
	// CodePage is the console code page of the Windows nodes (437, 932 or 65001); 0: the
	// previous run's, else 932 (the Japanese Windows of the source documents).
	CodePage int
}

// Lab is a running lab whose nodes are served by this process.
type Lab struct {
	Dir     string
	servers []*nodeServer
	reg     labdir.Registry
}

// StartInProcess starts every node of the lab in this process and writes the lab files
// (lab.json, known_hosts, lab.vars.hcl). Tests and benchmarks use it directly; `cluster lab
// serve` is a thin wrapper. Close stops the nodes; their state stays on disk.
func StartInProcess(opts Options) (*Lab, error) {
	if supported != nil {
		return nil, supported
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	binary, err := resolveBinary(opts.Binary)
	if err != nil {
		return nil, err
	}
	prev, _ := labdir.ReadRegistry(dir) // a missing registry is a new lab
	names, err := nodeNames(opts, prev)
	if err != nil {
		return nil, err
	}
	client, err := loadOrCreateKey(filepath.Join(dir, ClientKeyFile), "cluster-lab-client")
	if err != nil {
		return nil, fmt.Errorf("client key: %w", err)
	}
	l := &Lab{Dir: dir}
	for i, name := range names {
		win, err := windowsOf(opts, prev, name)
		if err != nil {
			l.Close()
			return nil, err
		}
		s, err := startNode(dir, name, i+1, prev, binary, client.PublicKey(), logger(opts.Log), win)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("node %s: %w", name, err)
		}
		l.servers = append(l.servers, s)
		addr := s.listener.Addr().(*net.TCPAddr)
		node := labdir.Node{
			Name:        name,
			Address:     addr.IP.String(),
			Port:        addr.Port,
			Root:        s.root,
			HostKey:     strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.hostKey))),
			Fingerprint: ssh.FingerprintSHA256(s.hostKey),
		}
		if win != nil {
			node.Dialect, node.CodePage = labdir.DialectCmd, int(win.codePage)
		}
		l.reg.Nodes = append(l.reg.Nodes, node)
	}
	if err := writeLabFiles(dir, l.reg); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// startNode prepares a node's root and host key, binds its address and starts serving.
func startNode(dir, name string, index int, prev labdir.Registry, binary string, client ssh.PublicKey, logf func(string, ...any), win *windowsNode) (*nodeServer, error) {
	nodeDir := filepath.Join(dir, nodesDir, name)
	root := filepath.Join(nodeDir, "root")
	prepare := PrepareRoot
	if win != nil {
		prepare = PrepareWindowsRoot
	}
	if err := prepare(root, name, dir, binary); err != nil {
		return nil, err
	}
	hostKey, err := loadOrCreateKey(filepath.Join(nodeDir, hostKeyFile), "cluster-lab-"+name)
	if err != nil {
		return nil, fmt.Errorf("host key: %w", err)
	}
	listener, err := listen(index, prev, name)
	if err != nil {
		return nil, err
	}
	s := newNodeServer(name, root, listener, hostKey, client, logf)
	s.windows = win
	if win != nil {
		s.config.ServerVersion = WindowsServerVersion
	}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// windowsOf decides whether node name is a Windows node, and its code page: from opts, else
// from the previous run's registry.
func windowsOf(opts Options, prev labdir.Registry, name string) (*windowsNode, error) {
	p, hadPrev := prev.Node(name)
	isWin := hadPrev && p.Dialect == labdir.DialectCmd
	if opts.Windows != nil {
		isWin = slices.Contains(opts.Windows, "*") || slices.Contains(opts.Windows, name)
	}
	if !isWin {
		return nil, nil
	}
	cp := opts.CodePage
	if cp == 0 && hadPrev {
		cp = p.CodePage
	}
	if cp == 0 {
		cp = int(wincmd.CP932)
	}
	codePage, err := wincmd.ParseCodePage(cp)
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", name, err)
	}
	return &windowsNode{codePage: codePage}, nil
}

// listen binds node number index (from 1) to 127.0.0.(10+index), on the port it had in the
// previous run when that port is still free, else on a free port. When the address cannot be
// bound (index too large, or a system without the whole of 127/8) 127.0.0.1 is used.
func listen(index int, prev labdir.Registry, name string) (net.Listener, error) {
	addr := "127.0.0.1"
	if 10+index <= 254 {
		addr = "127.0.0." + strconv.Itoa(10+index)
	}
	if n, ok := prev.Node(name); ok && n.Port > 0 {
		if l, err := net.Listen("tcp", net.JoinHostPort(n.Address, strconv.Itoa(n.Port))); err == nil {
			return l, nil
		}
	}
	if l, err := net.Listen("tcp", net.JoinHostPort(addr, "0")); err == nil {
		return l, nil
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// nodeNames resolves the node names of opts, falling back on the previous run's.
func nodeNames(opts Options, prev labdir.Registry) ([]string, error) {
	names := opts.Names
	if len(names) == 0 && opts.Nodes == 0 {
		for _, n := range prev.Nodes {
			names = append(names, n.Name)
		}
	}
	if len(names) == 0 {
		n := opts.Nodes
		if n == 0 {
			n = DefaultNodes
		}
		if n < 1 {
			return nil, fmt.Errorf("a lab needs at least one node, got %d", n)
		}
		for i := 1; i <= n; i++ {
			names = append(names, "sv"+strconv.Itoa(i))
		}
	}
	seen := map[string]bool{}
	for _, n := range names {
		if !validName(n) {
			return nil, fmt.Errorf("invalid node name %q: use letters, digits, '-' and '_'", n)
		}
		if seen[n] {
			return nil, fmt.Errorf("node name %q given twice", n)
		}
		seen[n] = true
	}
	return names, nil
}

func validName(n string) bool {
	if n == "" || len(n) > 63 {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// resolveBinary returns the absolute, symlink-free path of the cluster binary.
func resolveBinary(binary string) (string, error) {
	if binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("locate the cluster binary: %w", err)
		}
		binary = exe
	}
	resolved, err := filepath.EvalSymlinks(binary)
	if err != nil {
		return "", fmt.Errorf("locate the cluster binary: %w", err)
	}
	return filepath.Abs(resolved)
}

// Registry returns the nodes of the lab as written to lab.json.
func (l *Lab) Registry() labdir.Registry { return l.reg }

// Sessions returns how many commands node name has run since the lab started.
func (l *Lab) Sessions(name string) int64 {
	for _, s := range l.servers {
		if s.name == name {
			return s.sessions.Load()
		}
	}
	return 0
}

// Close stops every node: listeners close, open connections are cut and their commands killed.
func (l *Lab) Close() error {
	var errs []error
	for _, s := range l.servers {
		if err := s.close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("node %s: %w", s.name, err))
		}
	}
	l.servers = nil
	return errors.Join(errs...)
}
