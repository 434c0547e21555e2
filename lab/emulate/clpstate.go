package emulate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
)

// Cluster states of one server.
const (
	clusterStopped   = "stopped"
	clusterRunning   = "running"
	clusterSuspended = "suspended"
)

// Group states.
const (
	groupOnline  = "online"
	groupOffline = "offline"
)

// nodeState is <install>/work/lab/state.json. The groups map is the cluster-wide view: every
// command that changes it writes it to every reachable server, as the vendor's own
// synchronisation would.
type nodeState struct {
	Cluster string                `json:"cluster"`
	Groups  map[string]groupState `json:"groups,omitempty"`
}

type groupState struct {
	Status  string `json:"status"`
	Current string `json:"current,omitempty"`
}

const stateFile = "work/lab/state.json"

// Installed configuration, relative to the install directory.
const (
	confFile   = "etc/clp.conf"
	scriptsDir = "scripts"
)

// server is one server of the cluster as this node sees it.
type server struct {
	name  string
	known bool // found in the lab registry
	down  bool // node-down fault
	state nodeState
}

func (s *server) active() bool {
	return s.known && !s.down && (s.state.Cluster == clusterRunning || s.state.Cluster == clusterSuspended)
}

// cluster is the view of the whole cluster from the node a command runs on.
type cluster struct {
	e       *env
	self    string
	conf    clpConf
	peers   peers              // how every server, this one included, is reached
	servers map[string]*server // every server of clp.conf, plus self
}

// loadCluster reads the installed clp.conf, this node's identity, and the state of every
// server. The caller closes the returned closer (the peer link) when done.
func loadCluster(e *env) (*cluster, io.Closer, error) {
	data, err := os.ReadFile(e.host(path.Join(e.install, confFile)))
	if isNotExist(err) {
		return nil, nil, fmt.Errorf("the cluster configuration is not installed (%s not found)", path.Join(e.install, confFile))
	}
	if err != nil {
		return nil, nil, err
	}
	conf, err := parseClpConf(data)
	if err != nil {
		return nil, nil, err
	}
	self, servers, link, err := e.peers()
	if err != nil {
		return nil, nil, err
	}
	c := &cluster{e: e, self: self, conf: conf, peers: servers, servers: map[string]*server{}}
	for _, name := range append(slices.Clone(conf.Servers), self) {
		s := &server{name: name}
		st, err := servers.status(name)
		if err != nil {
			link.Close()
			return nil, nil, fmt.Errorf("server %s: %w", name, err)
		}
		s.known = st.Known || name == self
		s.down = st.Down && name != self
		if s.known {
			if s.state, err = servers.readState(name, e.install); err != nil {
				link.Close()
				return nil, nil, fmt.Errorf("server %s: %w", name, err)
			}
		}
		c.servers[name] = s
	}
	return c, link, nil
}

func readState(root, install string) (nodeState, error) {
	st := nodeState{Cluster: clusterStopped}
	data, err := os.ReadFile(hostIn(root, path.Join(install, stateFile)))
	if isNotExist(err) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("%s: %w", stateFile, err)
	}
	return st, nil
}

// groups is the cluster-wide group view, as held by this node.
func (c *cluster) groups() map[string]groupState {
	self := c.servers[c.self]
	if self.state.Groups == nil {
		self.state.Groups = map[string]groupState{}
	}
	return self.state.Groups
}

// targets resolves the servers a command acts on: every server of clp.conf with -a, else
// this one. Every target must be a reachable lab node.
func (c *cluster) targets(all bool) ([]*server, error) {
	names := []string{c.self}
	if all {
		names = c.conf.Servers
	}
	var out []*server
	for _, n := range names {
		s := c.servers[n]
		switch {
		case !s.known:
			return nil, fmt.Errorf("server %s is not found", n)
		case s.down:
			return nil, fmt.Errorf("server %s is not reachable", n)
		}
		out = append(out, s)
	}
	return out, nil
}

// place brings groups online and fails over groups whose server left. With start, offline
// groups start on the first active server of their policy; otherwise only groups whose
// current server is no longer active fail over (to the highest-priority active server of their
// policy) or go offline.
func (c *cluster) place(start bool) {
	groups := c.groups()
	for _, g := range c.conf.Groups {
		st := groups[g.Name]
		online := st.Status == groupOnline
		if cur := c.servers[st.Current]; online && cur != nil && cur.active() {
			continue
		}
		// A failover, like a start, goes to the highest-priority active server of the policy,
		// as the vendor does and `cluster simulate` models; clpgrp -m without -a moves to the
		// next one.
		if next, ok := c.nextActive(g, ""); ok && (online || start) {
			groups[g.Name] = groupState{Status: groupOnline, Current: next}
		} else {
			groups[g.Name] = groupState{Status: groupOffline}
		}
	}
}

// nextActive is the first active server of g's policy after the server after (from the start
// when after is "" or not in the policy), wrapping around, never after itself.
func (c *cluster) nextActive(g clpGroup, after string) (string, bool) {
	start := slices.Index(g.Policy, after) + 1 // 0 when absent
	for i := range g.Policy {
		name := g.Policy[(start+i)%len(g.Policy)]
		if name == after {
			continue
		}
		if s := c.servers[name]; s != nil && s.active() {
			return name, true
		}
	}
	return "", false
}

// save writes every reachable server's state, each with the cluster-wide group view.
func (c *cluster) save() error {
	groups := c.groups()
	var errs []error
	for _, name := range c.conf.Servers {
		s := c.servers[name]
		if !s.known || s.down {
			continue
		}
		s.state.Groups = groups
		errs = append(errs, c.writeState(s))
	}
	if !c.conf.hasServer(c.self) {
		errs = append(errs, c.writeState(c.servers[c.self]))
	}
	return errors.Join(errs...)
}

func (c *cluster) writeState(s *server) error {
	if err := c.peers.writeState(s.name, c.e.install, s.state); err != nil {
		return fmt.Errorf("server %s: %w", s.name, err)
	}
	return nil
}

// writeState replaces the state of the node at root, honouring its disk-full fault.
func writeState(root, install string, st nodeState) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(root, hostIn(root, path.Join(install, stateFile)), append(data, '\n'), 0o644)
}
