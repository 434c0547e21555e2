package servergroup

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// readSettings reads the settings tree; it only reads. The files are hashed here (treeOf):
// settings trees are configuration files, and what one call brings back is bounded
// (transport.MaxOutputSize).
func (l layout) readSettings() transport.ReadTree { return transport.ReadTree{Dir: l.settings} }

// treeOf hashes the settings tree readSettings read: every regular file's SHA-256 and size by
// slash path. A missing directory is a nil tree.
func treeOf(o transport.Outcome) (tree, error) {
	if !o.OK() {
		return nil, fmt.Errorf("reading the settings directory: %s", transport.FirstLine(o.Stderr))
	}
	if o.Tree == nil {
		return nil, nil
	}
	t := tree{}
	for name, data := range o.Tree {
		sum := sha256.Sum256(data)
		t[name] = fileSum{Hash: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	}
	return t, nil
}

// nodeProbes are a node's observe ops, each with the probe that reads its outcome: the
// settings tree and the free space where a sync writes on every node; on the management node
// also its own sync state and, per member in declaration order, the sync state and (when the
// site declared a balancer) the balancer state. Every one runs in every dialect: the tree and
// the free space are typed ops (transport.ReadTree, transport.FreeSpace), the site's commands
// programs named by the site.
type nodeProbes struct {
	set      transport.ProbeSet
	settings transport.Probe[tree]
	disk     transport.Probe[transport.Outcome] // system_dir, then the settings' parent
	self     transport.Probe[memberSync]        // management node only
	members  []memberProbe                      // management node only
}

// memberProbe reads one member's state on the management node.
type memberProbe struct {
	sync     transport.Probe[memberSync]
	balancer transport.Probe[transport.Outcome] // not added when the site declared no balancer
}

// probes are the observe ops of node a. sync_check_command for the management server itself
// comes first (seed 004: when the sync monitor shows it in error, the server group settings must
// be made again), then each member's commands.
func (u *unit) probes(a addrs.Address) nodeProbes {
	var p nodeProbes
	p.settings = transport.AddProbe(&p.set, u.l.readSettings(), treeOf)
	p.disk = transport.AddProbe(&p.set, u.l.freeSpace(), transport.Raw)
	if a != u.g.Management.Addr {
		return p
	}
	syncOf := func(o transport.Outcome) (memberSync, error) { return parseSyncState(o.Result), nil }
	if c, ok := siteCommand(u.g.SyncCheckCommand, u.g.Management.Name, u.g.Management.Endpoint.Address); ok {
		p.self = transport.AddProbe(&p.set, c, syncOf)
	}
	for _, m := range u.g.Members {
		var mp memberProbe
		node, address := memberIdentity(m)
		if c, ok := siteCommand(u.g.SyncCheckCommand, node, address); ok {
			mp.sync = transport.AddProbe(&p.set, c, syncOf)
		}
		if c, ok := siteCommand(u.g.InBalancerCommand, node, address); ok {
			mp.balancer = transport.AddProbe(&p.set, c, transport.Raw)
		}
		p.members = append(p.members, mp)
	}
	return p
}

// ObserveOps are the node's observe ops (see probes).
func (u *unit) ObserveOps(a addrs.Address) []transport.Op { return u.probes(a).set.Ops() }

// memberIdentity is what {node} and {address} become for m.
func memberIdentity(m *config.Member) (node, address string) {
	if m.Node == nil {
		return m.Name, ""
	}
	return m.Node.Name, m.Node.Endpoint.Address
}

// fileSum is one settings file as a node holds it.
type fileSum struct {
	Hash string
	Size int64
}

// tree is a settings directory: relative slash path -> file. A nil tree is an absent directory.
type tree map[string]fileSum

// size is the total size of the files, in bytes.
func (t tree) size() int64 {
	var n int64
	for _, f := range t {
		n += f.Size
	}
	return n
}

// fingerprint identifies the directory's content: same files, same bytes, same fingerprint.
// An absent directory has the fingerprint "absent".
func (t tree) fingerprint() string {
	if t == nil {
		return "absent"
	}
	h := sha256.New()
	for _, p := range t.paths() {
		fmt.Fprintf(h, "%s\x00%s\x00", p, t[p].Hash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (t tree) paths() []string {
	ps := make([]string, 0, len(t))
	for p := range t {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// free is the space available where a sync writes, in KiB.
type free struct {
	system   int64 // on system_dir's filesystem
	settings int64 // on the filesystem of the settings directory's parent
}

// nodeObs is what one node reported.
type nodeObs struct {
	settings tree
	disk     free
	diskErr  error // the free space could not be measured: the preconditions cannot be checked on this node
}

// memberObs is what the management node's site commands said of one member.
type memberObs struct {
	sync     memberSync
	balancer balancerState // balancerIn when the site declared no balancer
}

// decodeNode reads what a node holds. A settings directory that cannot be read is an error;
// free space that cannot be read is kept as diskErr, since it matters only to nodes a sync
// writes to.
func decodeNode(p nodeProbes, res []transport.Outcome) (*nodeObs, error) {
	t, err := p.settings.Read(res)
	if err != nil {
		return nil, err
	}
	disk, err := p.disk.Read(res)
	if err != nil {
		return nil, err
	}
	o := &nodeObs{settings: t}
	o.disk, o.diskErr = freeOf(disk)
	return o, nil
}

// decodeMembers reads the management node's site commands: its own sync state, then per
// member the sync state and the balancer state. A balancer command that answers neither 0 nor
// 1 is an error: the plan cannot tell whether the member serves.
func (u *unit) decodeMembers(p nodeProbes, res []transport.Outcome) (memberSync, map[string]memberObs, error) {
	self, err := p.self.Read(res)
	if err != nil {
		return memberSync{}, nil, fmt.Errorf("sync_check_command for the management server: %w", err)
	}
	out := map[string]memberObs{}
	for i, m := range u.g.Members {
		sync, err := p.members[i].sync.Read(res)
		if err != nil {
			return memberSync{}, nil, fmt.Errorf("sync_check_command for %s: %w", m.Addr, err)
		}
		mo := memberObs{sync: sync}
		if lb := p.members[i].balancer; lb.Added() {
			r, err := lb.Read(res)
			if err != nil {
				return memberSync{}, nil, fmt.Errorf("in_balancer_command for %s: %w", m.Addr, err)
			}
			if mo.balancer = parseBalancer(r.Result); mo.balancer == balancerUnknown {
				node, address := memberIdentity(m)
				cmd, _ := siteCommand(u.g.InBalancerCommand, node, address)
				return memberSync{}, nil, fmt.Errorf("in_balancer_command for %s (%s) exited with status %d (want 0: in the balancer, 1: out of it): %s",
					m.Addr, u.shown(cmd), r.ExitCode, transport.FirstLine(append(r.Stderr, r.Stdout...)))
			}
		}
		out[m.Name] = mo
	}
	return self, out, nil
}

// freeOf reads the FreeSpace outcome of system_dir and the settings' parent, in KiB (rounded
// down). A failure is kept as the reason the free space is unknown.
func freeOf(o transport.Outcome) (free, error) {
	if err := o.Err(); err != nil {
		return free{}, err
	}
	if len(o.Free) != 2 {
		return free{}, fmt.Errorf("measured %d paths, want 2", len(o.Free))
	}
	return free{system: o.Free[0] / 1024, settings: o.Free[1] / 1024}, nil
}
