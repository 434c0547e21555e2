package opensshtest

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/emulate"
	"github.com/clusterctl/cluster/lab/labdir"
)

// StartWindowsCluster starts one Windows-dialect node per name on real sshd
// (WithWindowsShell(shell, codePage)) and makes them the servers of one cluster, as
// `cluster lab up --windows '*'` does with in-process nodes:
//
//   - each chroot is laid out as lab.PrepareWindowsRoot lays out a lab Windows node called by
//     its name (C:\Program Files\EXPRESSCLUSTER\bin\*.exe, C:\Windows\system32\sc.exe and
//     reg.exe), every program a link to the shell binary, which runs the emulation its name
//     names;
//   - LabDir/lab.json lists the nodes with their roots on this machine, addresses, ports, host
//     keys, dialect cmd and code page;
//   - a chrooted node cannot see its peers' roots, so this process serves the peer link
//     (emulate.ServePeers) on the socket .lab/peers.sock inside every chroot, and each node's
//     .lab/node.json names it: clpcfctrl --push, clpcl -a and the others reach their peers
//     over it, as CLUSTERPRO's servers talk over the network.
//
// Node i is called names[i]. It needs root, as WithWindowsShell does.
func StartWindowsCluster(t testing.TB, shell string, codePage int, names ...string) *Cluster {
	t.Helper()
	c := Start(t, len(names), WithWindowsShell(shell, codePage), withNames(names))
	c.LabDir = filepath.Join(c.Dir, "lab")
	var reg labdir.Registry
	for _, n := range c.Nodes {
		if err := lab.PrepareWindowsRoot(n.Root, n.Name, c.LabDir, n.ShellPath); err != nil {
			t.Fatalf("opensshtest: %v", err)
		}
		reg.Nodes = append(reg.Nodes, labdir.Node{
			Name: n.Name, Address: n.Address, Port: n.Port, Root: n.Root,
			HostKey: n.HostKeyLine, Dialect: labdir.DialectCmd, CodePage: codePage,
		})
	}
	if err := labdir.WriteRegistry(c.LabDir, reg); err != nil {
		t.Fatalf("opensshtest: %v", err)
	}
	for _, n := range c.Nodes {
		if err := c.servePeerLink(n); err != nil {
			t.Fatalf("opensshtest: %s: %v", n.Name, err)
		}
	}
	return c
}

// servePeerLink serves the peer link of node n on the socket inside its chroot and names it in
// the node's identity. The server stops when the test ends, after the node's sshd.
func (c *Cluster) servePeerLink(n *Node) error {
	socket := filepath.Join(n.Root, labdir.PeerLinkFile)
	os.Remove(socket)
	l, err := net.Listen("unix", socket)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- emulate.ServePeers(l, c.LabDir) }()
	c.t.Cleanup(func() {
		// sshd first: no emulation is left to hold a connection open.
		n.mu.Lock()
		n.stop()
		n.mu.Unlock()
		l.Close()
		select {
		case err := <-done:
			if err != nil {
				c.t.Errorf("opensshtest: peer server of %s: %v", n.Name, err)
			}
		case <-time.After(10 * time.Second):
			c.t.Errorf("opensshtest: peer server of %s did not stop", n.Name)
		}
	})
	info := labdir.NodeInfo{Name: n.Name, LabDir: c.LabDir, PeerLink: "/" + labdir.PeerLinkFile}
	if err := labdir.WriteNodeInfo(n.Root, info); err != nil {
		return fmt.Errorf("node identity: %w", err)
	}
	return nil
}
