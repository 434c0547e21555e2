package emulate

import (
	"fmt"
	"io"
	"path"

	"github.com/clusterctl/cluster/lab/labdir"
)

// peers is how an emulated command reaches the servers of its cluster. CLUSTERPRO's servers
// talk to each other over the network and never write into a peer's disk, so each operation
// names a server and says what to do there, not which file to touch (the lab's stand-in for a
// WSMGR server group's sync reaches its members the same way, sitestandins.go). Two implementations:
// fsPeers does it in the servers' roots (in-process lab nodes, POSIX lab nodes on real sshd),
// and linkPeers sends it to a peer server outside the node's chroot (peerlink.go), which does it
// with fsPeers: the same code either way.
type peers interface {
	// status says whether the lab has a server called name and whether it is reachable.
	status(name string) (peerStatus, error)
	// failing reports whether op (suspend, resume) fails on server name: its vendor-fail fault.
	failing(name, op string) (bool, error)
	// readState reads server name's cluster state (stopped when it has none).
	readState(name, install string) (nodeState, error)
	// writeState replaces server name's cluster state.
	writeState(name, install string, st nodeState) error
	// installConfig installs a configuration on server name, as clpcfctrl --push delivers it.
	installConfig(name, install string, cfg configuration) error
	// installSettings replaces server name's WSMGR settings directory with files, as a server
	// group's sync delivers the management server's settings (LAB-ONLY, sitestandins.go).
	installSettings(name string, files []treeFile) error
}

// peerStatus is what a server's peers know of it without asking it anything.
type peerStatus struct {
	Known bool `json:"known"` // the lab has a node of that name
	Down  bool `json:"down"`  // its node-down fault is on: it cannot be reached
}

// fsPeers reaches every server through its node root on this machine's filesystem.
type fsPeers struct {
	roots map[string]string // server name -> node root
}

func (p fsPeers) root(name string) (string, error) {
	root, ok := p.roots[name]
	if !ok {
		return "", fmt.Errorf("server %s is not found", name)
	}
	return root, nil
}

func (p fsPeers) status(name string) (peerStatus, error) {
	root, ok := p.roots[name]
	if !ok {
		return peerStatus{}, nil
	}
	return peerStatus{Known: true, Down: labdir.HasFault(root, labdir.NodeDown, "")}, nil
}

func (p fsPeers) failing(name, op string) (bool, error) {
	root, err := p.root(name)
	if err != nil {
		return false, err
	}
	return labdir.HasFault(root, labdir.VendorFail, op), nil
}

func (p fsPeers) readState(name, install string) (nodeState, error) {
	root, err := p.root(name)
	if err != nil {
		return nodeState{}, err
	}
	return readState(root, install)
}

func (p fsPeers) writeState(name, install string, st nodeState) error {
	root, err := p.root(name)
	if err != nil {
		return err
	}
	return writeState(root, install, st)
}

func (p fsPeers) installConfig(name, install string, cfg configuration) error {
	root, err := p.root(name)
	if err != nil {
		return err
	}
	return installConfig(root, install, cfg)
}

func (p fsPeers) installSettings(name string, files []treeFile) error {
	root, err := p.root(name)
	if err != nil {
		return err
	}
	return installSettings(root, files)
}

// selfAndPeers reaches this server on its own disk and the others through link.
type selfAndPeers struct {
	self  string
	local fsPeers
	link  peers
}

func (p selfAndPeers) pick(name string) peers {
	if name == p.self {
		return p.local
	}
	return p.link
}

func (p selfAndPeers) status(name string) (peerStatus, error) { return p.pick(name).status(name) }
func (p selfAndPeers) failing(name, op string) (bool, error) {
	return p.pick(name).failing(name, op)
}
func (p selfAndPeers) readState(name, install string) (nodeState, error) {
	return p.pick(name).readState(name, install)
}
func (p selfAndPeers) writeState(name, install string, st nodeState) error {
	return p.pick(name).writeState(name, install, st)
}
func (p selfAndPeers) installConfig(name, install string, cfg configuration) error {
	return p.pick(name).installConfig(name, install, cfg)
}
func (p selfAndPeers) installSettings(name string, files []treeFile) error {
	return p.pick(name).installSettings(name, files)
}

// peers returns the name of the node a command runs on and how it reaches every server
// (nodePeers).
func (e *env) peers() (string, peers, io.Closer, error) { return nodePeers(e.root) }

// nodePeers returns the name of the node at root and how it reaches every server. A node whose
// .lab/node.json names a peer link (a chrooted node, which cannot see its peers' roots) reaches
// its peers through it; any other finds their roots in the lab registry. The returned closer
// ends the link's connection.
func nodePeers(root string) (string, peers, io.Closer, error) {
	info, err := labdir.ReadNodeInfo(root)
	if err != nil {
		return "", nil, nil, err
	}
	local := fsPeers{roots: map[string]string{info.Name: root}}
	if info.PeerLink != "" {
		link, err := dialPeerLink(hostIn(root, path.Clean("/"+info.PeerLink)))
		if err != nil {
			return "", nil, nil, err
		}
		return info.Name, selfAndPeers{self: info.Name, local: local, link: link}, link, nil
	}
	reg, err := labdir.ReadRegistry(info.LabDir)
	if err != nil {
		return "", nil, nil, err
	}
	for _, n := range reg.Nodes {
		if n.Name != info.Name {
			local.roots[n.Name] = n.Root
		}
	}
	return info.Name, local, noLink{}, nil
}

// noLink is the closer of peers reached without a link.
type noLink struct{}

func (noLink) Close() error { return nil }
