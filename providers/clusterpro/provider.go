package clusterpro

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
	"github.com/clusterctl/cluster/providers/clusterpro/scripts"
	"github.com/clusterctl/cluster/transport"
)

// Provider plans and applies failover clusters.
type Provider struct {
	// RollbackTo, when set, makes every cluster's desired state a backup its master node keeps
	// (a backup ID, or "latest") instead of the configuration: `cluster rollback`.
	RollbackTo string
	// AllowGroupMoves lets apply move an online group off a node its new policy leaves out,
	// before pushing; without it such a plan is refused.
	AllowGroupMoves bool
	// AssumeRunning treats a node whose run state clpstat does not show readably (no public
	// source shows every display, docs/vendor-output.md) as running: the cluster is suspended
	// before the push and resumed after. Without it apply refuses to push to such a cluster.
	AssumeRunning bool
}

var _ planner.Provider = Provider{}

func (Provider) Name() string { return "clusterpro" }

// Units returns one unit per cluster, with its desired configuration directory rendered.
func (p Provider) Units(cfg *config.Config) ([]planner.Unit, error) {
	var units []planner.Unit
	for _, c := range cfg.SortedClusters() {
		// A rollback writes a backup, not the configuration: unknown scripts do not matter.
		if p.RollbackTo == "" {
			if err := refuseUnknownScripts(c); err != nil {
				return nil, err
			}
		}
		u, err := newUnit(c)
		if err != nil {
			return nil, err
		}
		u.rollback = p.RollbackTo
		u.allowMoves = p.AllowGroupMoves
		u.assumeRunning = p.AssumeRunning
		units = append(units, u)
	}
	return units, nil
}

// unit is one cluster.
type unit struct {
	c       *config.Cluster
	l       layout
	desired *nodeState // the configuration directory every node must hold
	// rollback names the backup to return to ("" for the configuration; "latest").
	rollback      string
	allowMoves    bool
	assumeRunning bool
	nodes         []planner.NodeRef
}

func newUnit(c *config.Cluster) (*unit, error) {
	doc, files, err := RenderDirectory(c)
	if err != nil {
		return nil, err
	}
	raw, err := clpconf.Encode(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: rendering clp.conf: %w", c.Addr, err)
	}
	desired, err := (&nodeState{doc: doc, raw: raw, scripts: files}).index(c.Name)
	if err != nil {
		return nil, fmt.Errorf("%s: reading back the rendered clp.conf: %w", c.Addr, err)
	}
	u := &unit{c: c, l: layoutOf(c), desired: desired}
	for _, n := range c.Nodes {
		u.nodes = append(u.nodes, planner.NodeRef{Addr: n.Addr, Endpoint: n.Endpoint})
	}
	return u, nil
}

// RenderDirectory renders the configuration directory every node of c must hold: clp.conf and
// the files beside it (scripts, vendor files) by slash path relative to the directory.
func RenderDirectory(c *config.Cluster) (*clpconf.Document, map[string][]byte, error) {
	doc, err := DesiredConf(c)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: rendering clp.conf: %w", c.Addr, err)
	}
	files, err := scripts.ClusterFiles(c)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: rendering scripts: %w", c.Addr, err)
	}
	for path, text := range c.VendorFiles {
		if _, dup := files[path]; dup {
			return nil, nil, fmt.Errorf("%s: vendor file %s is also a script of an object", c.Addr, path)
		}
		files[path] = []byte(text)
	}
	return doc, files, nil
}

func (u *unit) Addr() addrs.Address         { return u.c.Addr }
func (u *unit) Nodes() []planner.NodeRef    { return u.nodes }
func (u *unit) Owns(a addrs.Address) bool   { return u.c.Addr.Contains(a) || u.ownsGroupObject(a) }
func (u *unit) LockDir() transport.NodePath { return u.l.lock() }

func (u *unit) ownsGroupObject(a addrs.Address) bool {
	for _, g := range u.c.Groups {
		if g.Addr.Contains(a) {
			return true
		}
	}
	return false
}
