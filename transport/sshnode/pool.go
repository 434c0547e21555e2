package sshnode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/transport"
)

// Target names one endpoint to connect to.
type Target struct {
	// Name is the node's address string, returned by Node.Name and used in errors.
	Name     string
	Endpoint transport.Endpoint
}

// Pool holds one SSH connection per node (and per jump host) for a whole run. It is safe for
// concurrent use. Close it when the run ends.
type Pool struct {
	opts       Options
	creds      *credentials
	knownHosts knownHostsWriter

	mu      sync.Mutex
	closed  bool
	nodes   map[string]*pending[*Node]
	jumps   map[string]*pending[*ssh.Client]
	khFiles map[string]*pending[*knownHostsFile] // known_hosts files, parsed once per run

	// userSSHConfig returns ~/.ssh/config, read and parsed on first use, once per run.
	userSSHConfig func() (*sshConfig, error)

	warnMu sync.Mutex
	warned map[string]bool
}

// pending is a connection being made or made; concurrent callers for the same key share it.
type pending[T any] struct {
	done chan struct{}
	v    T
	err  error
}

// NewPool returns an empty pool.
func NewPool(o Options) *Pool {
	o = o.withDefaults()
	p := &Pool{
		opts:    o,
		creds:   newCredentials(o),
		nodes:   map[string]*pending[*Node]{},
		jumps:   map[string]*pending[*ssh.Client]{},
		khFiles: map[string]*pending[*knownHostsFile]{},
		warned:  map[string]bool{},
	}
	p.userSSHConfig = sync.OnceValues(func() (*sshConfig, error) {
		sc, err := loadSSHConfig(filepath.Join(o.Home, ".ssh", "config"), o.Home, localUser(o))
		if err != nil {
			return nil, err
		}
		for _, w := range sc.warnings {
			p.warn("ssh config: " + w)
		}
		return sc, nil
	})
	return p
}

// warn passes msg to Options.Warn, once per run.
func (p *Pool) warn(msg string) {
	p.warnMu.Lock()
	defer p.warnMu.Unlock()
	if p.warned[msg] {
		return
	}
	p.warned[msg] = true
	p.opts.Warn(msg)
}

// warnNotAtomic returns the notice a Windows node gives when its SFTP replaces are not known
// to be atomic: one notice per run, naming the first node it came from.
func (p *Pool) warnNotAtomic(node string) func(string) {
	return func(msg string) {
		p.warnMu.Lock()
		first := !p.warned["non-atomic replace"]
		p.warned["non-atomic replace"] = true
		p.warnMu.Unlock()
		if first {
			p.opts.Warn(node + " (and any other Windows node like it): " + msg)
		}
	}
}

// resolve computes the target of an endpoint with ~/.ssh/config read once per run.
func (p *Pool) resolve(name string, ep transport.Endpoint) (target, error) {
	var sc *sshConfig
	if usesSSHConfig(ep) {
		var err error
		if sc, err = p.userSSHConfig(); err != nil {
			return target{}, err
		}
	}
	t, err := resolveWith(name, ep, p.opts, sc)
	for _, w := range t.Warnings {
		p.warn(w)
	}
	return t, err
}

// parsedKnownHosts returns the known_hosts files, each parsed once per run and shared by
// every connection; a malformed line is reported once, as a warning.
func (p *Pool) parsedKnownHosts(files []string) (knownHosts, error) {
	out := make(knownHosts, 0, len(files))
	for _, path := range files {
		f, err := share(p, p.khFiles, path, func() (*knownHostsFile, error) {
			f, err := readKnownHostsFile(path)
			if err == nil {
				for _, w := range f.warnings {
					p.warn("known_hosts: " + w)
				}
			}
			return f, err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// errPoolClosed is returned by Connect after Close.
var errPoolClosed = errors.New("sshnode: pool closed")

// Connect returns the node named name, connecting it on first use. Later calls with the same
// name return the same connection (the endpoint of the first call wins). A failed connection is
// forgotten, so a later call tries again.
func (p *Pool) Connect(ctx context.Context, name string, ep transport.Endpoint) (*Node, error) {
	return share(p, p.nodes, name, func() (*Node, error) {
		t, err := p.resolve(name, ep)
		if err != nil {
			return nil, err
		}
		if err := t.Become.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		shell, err := checkShell(ep.SSH)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		client, err := p.dialTarget(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		n := newNode(name, client, t.CommandTimeout, p.opts.MaxSessionsPerNode)
		n.become, n.loginUser, n.shell, n.codePage = t.Become, t.User, shell, ep.SSH.CodePage
		if shell == transport.ShellPosix {
			if err := n.checkPosixAnswers(ctx, string(client.ServerVersion())); err != nil {
				client.Close()
				return nil, err
			}
			return n, nil
		}
		decode, _ := consoleDecoder(ep.SSH.CodePage)
		n.win = &winState{decode: decode, warn: p.warnNotAtomic(name)}
		return n, nil
	})
}

// ConnectAll connects every target, at most Options.Parallelism at once. It returns one node per
// target, in order; a target that failed has a nil node and its error, naming it, is joined into
// err (errors.As finds each *HostKeyError, *AuthError and *DialError).
func (p *Pool) ConnectAll(ctx context.Context, targets []Target) ([]*Node, error) {
	nodes := make([]*Node, len(targets))
	errs := make([]error, len(targets))
	var g errgroup.Group
	g.SetLimit(p.opts.Parallelism)
	for i, t := range targets {
		g.Go(func() error {
			nodes[i], errs[i] = p.Connect(ctx, t.Name, t.Endpoint)
			return nil
		})
	}
	g.Wait()
	return nodes, errors.Join(errs...)
}

// Close closes every connection: nodes first, then the jump hosts they go through.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	nodes, jumps := p.nodes, p.jumps
	p.nodes, p.jumps = map[string]*pending[*Node]{}, map[string]*pending[*ssh.Client]{}
	p.mu.Unlock()

	var errs []error
	for _, n := range nodes {
		<-n.done
		if n.v != nil {
			errs = append(errs, ignoreClosed(n.v.Close()))
		}
	}
	for _, j := range jumps {
		<-j.done
		if j.v != nil {
			errs = append(errs, ignoreClosed(j.v.Close()))
		}
	}
	p.creds.close()
	return errors.Join(errs...)
}

// dialTarget connects to t, through its jump hosts if any.
func (p *Pool) dialTarget(ctx context.Context, t target) (*ssh.Client, error) {
	dial := dialFunc(directDial)
	if t.ProxyCommand != "" {
		dial = proxyDial(t.ProxyCommand)
	}
	for i := range t.Jumps {
		j, err := p.jump(ctx, t, i)
		if err != nil {
			return nil, err
		}
		dial = j.DialContext
	}
	return p.connect(ctx, dial, endpoint{
		hostPort:   t.hostPort(),
		user:       t.User,
		identities: t.Identities,
		pinnedKey:  t.PinnedKey,
		knownHosts: t.KnownHosts,
	}, t)
}

// jump returns the client of the i-th jump host of t, shared by every target that reaches the
// same chain prefix.
func (p *Pool) jump(ctx context.Context, t target, i int) (*ssh.Client, error) {
	key := ""
	for _, h := range t.Jumps[:i+1] {
		key += h.key() + ","
	}
	return share(p, p.jumps, key, func() (*ssh.Client, error) {
		dial := dialFunc(directDial)
		if i > 0 {
			prev, err := p.jump(ctx, t, i-1)
			if err != nil {
				return nil, err
			}
			dial = prev.DialContext
		}
		h := t.Jumps[i]
		c, err := p.connect(ctx, dial, endpoint{
			hostPort:   h.hostPort(),
			user:       h.User,
			identities: h.Identities,
			knownHosts: t.KnownHosts,
		}, t)
		if err != nil {
			return nil, fmt.Errorf("jump host %s: %w", h.hostPort(), err)
		}
		return c, nil
	})
}

// share runs open once per key among concurrent callers, remembering success only.
func share[T any](p *Pool, m map[string]*pending[T], key string, open func() (T, error)) (T, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		var zero T
		return zero, errPoolClosed
	}
	if e, ok := m[key]; ok {
		p.mu.Unlock()
		<-e.done
		return e.v, e.err
	}
	e := &pending[T]{done: make(chan struct{})}
	m[key] = e
	p.mu.Unlock()

	e.v, e.err = open()
	if e.err != nil {
		p.mu.Lock()
		if m[key] == e {
			delete(m, key)
		}
		p.mu.Unlock()
	}
	close(e.done)
	return e.v, e.err
}

func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}
