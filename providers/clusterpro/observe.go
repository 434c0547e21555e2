package clusterpro

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
	"github.com/clusterctl/cluster/transport"
)

// runState is what clpstat says about the cluster on a node.
type runState string

const (
	stateUnknown runState = "unknown"
	stateStopped runState = "stopped"
	stateRunning runState = "running"
	// stateSuspended is known only from the tool's own suspension record (layout.suspendMark):
	// no public source shows how clpstat displays a suspended cluster.
	stateSuspended runState = "suspended"
)

// nodeState is a configuration directory: desired, or as observed on one node.
type nodeState struct {
	doc     *clpconf.Document // nil: the node holds no clp.conf
	raw     []byte            // clp.conf bytes as found (or rendered)
	scripts map[string][]byte // slash paths relative to the configuration directory: scripts/...
	run     runState
	online  map[string]string // group -> the server it runs on, as clpstat reports it
	statErr error             // why clpstat could not be read, or which cut name is ambiguous

	// Derived once by index: the decoded model, its objects in HCL terms, the fingerprint
	// of those and the files, and the directory's key (directoryKey: same bytes, same key).
	model *config.Cluster
	objs  objects
	fp    string
	key   [sha256.Size]byte
}

// index decodes the state into the configuration model (the cluster labelled cluster), so that
// planning decodes each configuration once however many nodes it is compared with.
func (s *nodeState) index(cluster string) (*nodeState, error) {
	if s.doc != nil {
		m, err := Decode(cluster, s.doc, s.scripts)
		if err != nil {
			return nil, err
		}
		s.model = m
	}
	s.objs = objectsOf(s.model)
	s.fp = fingerprint(s.objs, s.scripts)
	s.key = directoryKey(s.raw, s.scripts)
	return s, nil
}

func (s *nodeState) empty() bool { return s.doc == nil && len(s.scripts) == 0 }

// nodeProbes is what plan reads on one node: its observe ops, each with the probe that reads
// its outcome (so no result is picked out by position).
type nodeProbes struct {
	set      transport.ProbeSet
	tree     transport.Probe[Directory]         // the installed configuration directory
	marks    transport.Probe[transport.Outcome] // Stat of the suspension record and of clpstat
	stat     transport.Probe[transport.Outcome] // clpstat's output
	services []serviceProbe                     // each managed service's startup type
	registry []registryProbe                    // whether each synchronised registry key exists
	backups  transport.Probe[transport.Outcome] // the backups kept (rollback only)
	backup   transport.Probe[transport.Outcome] // the backup named, when it is named (rollback only)
	// the backup's look, under an apply's lock only (backup_look.go)
	lookStat, lookList transport.Probe[transport.Outcome]
	// the values of the keys kept identical across the policy (registry_equal.go)
	registryValues []valuesProbe
}

// nodeProbes reads the installed configuration directory in one tree read (so any number of
// scripts costs nothing more), the cluster status, the services and registry keys the node
// manages and, for a rollback, the backup: all in the node's single session.
func (u *unit) probes(node addrs.Address) nodeProbes {
	o := u.readProbes()
	for _, s := range managedServices(u.c, node) {
		o.services = append(o.services, serviceProbe{s, transport.AddProbe(&o.set, u.serviceCommand(s.name), transport.Raw)})
	}
	for _, k := range syncedKeys(u.c, node) {
		o.registry = append(o.registry, registryProbe{k, transport.AddProbe(&o.set, registryCommand(k.key), transport.Raw)})
	}
	for _, k := range identicalKeys(u.c, node) {
		o.registryValues = append(o.registryValues, valuesProbe{k, transport.AddProbe(&o.set, registryCommand(k), transport.Raw)})
	}
	if u.rollback != "" {
		o.addBackupProbes(u.l, u.rollback)
	}
	return o
}

// readObservation is the configuration directory and the cluster status: all that verifying
// an apply reads.
func (u *unit) readProbes() nodeProbes {
	var o nodeProbes
	o.tree = transport.AddProbe(&o.set, ReadDirectory(u.l.install), DirectoryOf)
	ops := u.l.statOps()
	o.marks = transport.AddProbe(&o.set, ops[0], transport.Raw)
	o.stat = transport.AddProbe(&o.set, ops[1], transport.Raw)
	return o
}

// ObserveOps are the node's observe ops (see nodeProbes).
func (u *unit) ObserveOps(node addrs.Address) []transport.Op { return u.probes(node).set.Ops() }

// ReadDirectory reads the configuration directory installed under installDir: etc/clp.conf and
// the scripts/ beside etc/. A clp.conf beyond clpconf.MaxSize is refused on the node before
// any of it is sent: Parse would refuse it anyway, and reading it first cost its size several
// times over in memory (a 50 MB file: 247 MB, issue 18).
func ReadDirectory(installDir transport.NodePath) transport.ReadTree {
	return transport.ReadTree{Dir: installDir, Entries: []string{"etc/clp.conf", "scripts"},
		Limits: map[string]int64{"etc/clp.conf": clpconf.MaxSize}}
}

// Directory is a configuration directory as read: clp.conf's bytes (nil when there is none)
// and the scripts by slash path relative to the configuration directory.
type Directory struct {
	Conf  []byte
	Files map[string][]byte
}

// DirectoryOf reads the outcome of ReadDirectory.
func DirectoryOf(o transport.Outcome) (Directory, error) {
	if !o.OK() {
		return Directory{}, fmt.Errorf("reading the configuration directory: %s", transport.FirstLine(o.Stderr))
	}
	d := Directory{Conf: o.Tree["etc/clp.conf"], Files: map[string][]byte{}}
	for name, data := range o.Tree {
		if strings.HasPrefix(name, "scripts/") {
			d.Files[name] = data
		}
	}
	return d, nil
}

// decodeNode turns a node's observe outcomes (of obs's ops) into the state of cluster's
// configuration on it.
func decodeNode(cluster string, obs nodeProbes, res []transport.Outcome) (*nodeState, error) {
	return newNodeDecoder(cluster).decode(obs, res)
}

// nodeDecoder decodes nodes' observe results, each distinct configuration directory once: the
// nodes of a cluster normally hold identical ones, and decoding is the costly part of planning.
// Nodes holding the same directory share its parsed and decoded parts, which nobody modifies;
// the run state is each node's own. Safe for concurrent use.
type nodeDecoder struct {
	cluster string
	mu      sync.Mutex
	seen    map[[sha256.Size]byte]*nodeState
}

// newNodeDecoder returns a decoder for cluster that knows the given, already indexed, states
// (the desired one: a converged node is then not decoded at all).
func newNodeDecoder(cluster string, known ...*nodeState) *nodeDecoder {
	d := &nodeDecoder{cluster: cluster, seen: map[[sha256.Size]byte]*nodeState{}}
	for _, st := range known {
		d.seen[st.key] = st
	}
	return d
}

func (d *nodeDecoder) decode(obs nodeProbes, res []transport.Outcome) (*nodeState, error) {
	dir, err := obs.tree.Read(res)
	if err != nil {
		return nil, err
	}
	raw, files := dir.Conf, dir.Files
	key := directoryKey(raw, files)
	d.mu.Lock()
	known := d.seen[key]
	d.mu.Unlock()
	if known == nil {
		known = &nodeState{raw: raw, scripts: files}
		if raw != nil {
			doc, err := clpconf.Parse(raw)
			if err != nil {
				return nil, fmt.Errorf("parsing clp.conf: %w", err)
			}
			known.doc = doc
		}
		if _, err := known.index(d.cluster); err != nil {
			return nil, err
		}
		d.mu.Lock()
		d.seen[key] = known
		d.mu.Unlock()
	}
	st := *known
	// clpstat shows what is installed: its cut names are matched against the node's installed
	// configuration only (the desired names would make a rename ambiguous until applied).
	var names StatusNames
	if known.model != nil {
		names = NamesOf(known.model)
	}
	marks, err := obs.marks.Read(res)
	if err != nil {
		return nil, err
	}
	run, err := obs.stat.Read(res)
	if err != nil {
		return nil, err
	}
	stat, err := readClpstat(marks, run)
	if err != nil {
		return nil, err
	}
	st.run, st.online, st.statErr = readStat(stat, names)
	if st.run == stateUnknown && st.raw == nil && !stat.res.OK() {
		// No clp.conf installed and clpstat not installed (exit 127) or failing with nothing
		// to report (what it does on a node never configured, docs/vendor-output.md): no
		// cluster runs here. A clpstat that succeeded and printed a state it cannot read stays
		// unknown: something runs that the tool cannot see the configuration of.
		st.run, st.statErr = stateStopped, nil
	}
	return &st, nil
}

// directoryKey identifies a configuration directory by its bytes: clp.conf (absent differs
// from empty) and every script by path.
func directoryKey(raw []byte, files map[string][]byte) [sha256.Size]byte {
	h := sha256.New()
	if raw == nil {
		h.Write([]byte{0})
	} else {
		fmt.Fprintf(h, "\x01%d\x00", len(raw))
		h.Write(raw)
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintf(h, "%d\x00%s\x00%d\x00", len(p), p, len(files[p]))
		h.Write(files[p])
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// readStat reads a clpstat reading (statOps) once: the cluster state, every group it reports online
// with the server it runs on, and why clpstat could not be read. The state is suspended when
// the node holds the tool's suspension record, else what clpstat's local server line says; a
// failed or unreadable clpstat is unknown, never stopped. A cut name that could be several of
// the configuration's names does not change the state (the local "*" line says it): it is
// returned as the error, for whoever needs the names (strandedGroups).
func readStat(c clpstatReading, names StatusNames) (runState, map[string]string, error) {
	online := map[string]string{}
	marked := c.marked
	st, err := ParseStatus(c.res)
	var nameErr error
	if err == nil {
		nameErr = st.MatchNames(names)
		for _, g := range st.Groups {
			if strings.EqualFold(g.Status, "online") && g.Current != "" {
				online[g.Name] = g.Current
			}
		}
	}
	switch {
	case marked:
		return stateSuspended, online, nameErr
	case err != nil:
		return stateUnknown, online, err
	}
	return runState(st.State), online, nameErr
}
