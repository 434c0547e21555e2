package servergroup

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// Observe commands every node runs, in the order their results come back. The management
// node then runs, for every member in declaration order, sync_check_command and (when the
// site declared a balancer) in_balancer_command.
const (
	obsSettings = iota
	obsDisk
	obsCount
)

// diskScript runs df on the nearest existing ancestor of each path. df is looked up on PATH,
// with the node root's bin first when there is a node root: that is where lab and test nodes
// keep the df that honours their disk-full fault (an OpenSSH test node does not put it on
// PATH itself). On a real node CLUSTER_NODE_ROOT is unset and PATH is left alone.
const diskScript = `PATH=${CLUSTER_NODE_ROOT:+$CLUSTER_NODE_ROOT/bin:}$PATH
for p do
  while [ ! -e "$p" ] && [ "$p" != / ] && [ "$p" != . ]; do p=$(dirname "$p"); done
  set -- "$@" "$p"
  shift
done
exec df -Pk "$@"`

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

// ObserveOps reads the settings tree and the free space where a sync writes on every node; on
// the management node also every member's sync state and balancer state. df is a POSIX-only
// command (a Windows dialect refuses it); the site's commands are programs named by the site.
func (u *unit) ObserveOps(a addrs.Address) []transport.Op {
	ops := []transport.Op{u.l.readSettings(), transport.Shell(diskScript, u.l.system, u.l.parent())}
	if a == u.g.Management.Addr {
		for _, c := range u.memberProbes() {
			ops = append(ops, c)
		}
	}
	return ops
}

// memberProbes are the site's read-only commands run on the management node:
// sync_check_command for the management server itself (seed 004: when the sync monitor shows
// it in error, the server group settings must be made again), then for every member
// sync_check_command and in_balancer_command when declared.
func (u *unit) memberProbes() []transport.Command {
	var cmds []transport.Command
	if c, ok := siteCommand(u.g.SyncCheckCommand, u.g.Management.Name, u.g.Management.Endpoint.Address); ok {
		cmds = append(cmds, c)
	}
	for _, m := range u.g.Members {
		node, address := memberIdentity(m)
		if c, ok := siteCommand(u.g.SyncCheckCommand, node, address); ok {
			cmds = append(cmds, c)
		}
		if c, ok := siteCommand(u.g.InBalancerCommand, node, address); ok {
			cmds = append(cmds, c)
		}
	}
	return cmds
}

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
	diskErr  error // df failed: the preconditions cannot be checked on this node
}

// memberObs is what the management node's site commands said of one member.
type memberObs struct {
	sync     memberSync
	balancer balancerState // balancerIn when the site declared no balancer
}

// decodeNode turns a node's first results into what it holds. A settings directory that
// cannot be read is an error; free space that cannot be read is kept as diskErr, since it
// matters only to nodes a sync writes to.
func decodeNode(res []transport.Outcome) (*nodeObs, error) {
	if len(res) < obsCount {
		return nil, fmt.Errorf("expected %d observe results, got %d", obsCount, len(res))
	}
	o := &nodeObs{}
	t, err := treeOf(res[obsSettings])
	if err != nil {
		return nil, err
	}
	o.settings = t
	o.disk, o.diskErr = parseDf(res[obsDisk].Result)
	return o, nil
}

// decodeMembers reads the management node's results past the first obsCount: its own sync
// state, then per member the sync state and the balancer state. A balancer command that
// answers neither 0 nor 1 is an error: the plan cannot tell whether the member serves.
func (u *unit) decodeMembers(res []transport.Outcome) (memberSync, map[string]memberObs, error) {
	per := 1
	if len(u.g.InBalancerCommand) > 0 {
		per = 2
	}
	if len(res) != obsCount+1+per*len(u.g.Members) {
		return memberSync{}, nil, fmt.Errorf("expected %d results of the site's commands, got %d", 1+per*len(u.g.Members), len(res)-obsCount)
	}
	self := parseSyncState(res[obsCount].Result)
	rest := res[obsCount+1:]
	out := map[string]memberObs{}
	for i, m := range u.g.Members {
		mo := memberObs{sync: parseSyncState(rest[i*per].Result)}
		if per == 2 {
			r := rest[i*per+1]
			if mo.balancer = parseBalancer(r.Result); mo.balancer == balancerUnknown {
				node, address := memberIdentity(m)
				cmd, _ := siteCommand(u.g.InBalancerCommand, node, address)
				return memberSync{}, nil, fmt.Errorf("in_balancer_command for %s (%s) exited with status %d (want 0: in the balancer, 1: out of it): %s",
					m.Addr, cmd.Display(), r.ExitCode, transport.FirstLine(append(r.Stderr, r.Stdout...)))
			}
		}
		out[m.Name] = mo
	}
	return self, out, nil
}

// parseDf reads `df -Pk SYSTEM PARENT`: a header, then one row per path, the fourth column
// being the space available in KiB.
func parseDf(r transport.Result) (free, error) {
	if !r.OK() {
		return free{}, fmt.Errorf("df exited with status %d: %s", r.ExitCode, transport.FirstLine(r.Stderr))
	}
	var avail []int64
	for i, line := range strings.Split(strings.TrimSpace(string(r.Stdout)), "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) < 6 {
			continue
		}
		n, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return free{}, fmt.Errorf("df: unexpected available column %q", f[3])
		}
		avail = append(avail, n)
	}
	if len(avail) != 2 {
		return free{}, fmt.Errorf("df printed %d rows, want 2", len(avail))
	}
	return free{system: avail[0], settings: avail[1]}, nil
}
