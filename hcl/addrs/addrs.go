// Package addrs defines the typed, immutable address of every object a configuration declares.
//
// An address prints in HCL traversal syntax (cluster.web.node.sv1, group.iis.fip.fip1) and that
// string is the one used everywhere: diagnostics, plan output, JSON and --target. Plans and maps
// key on Address values, never on ad-hoc strings.
package addrs

import (
	"fmt"
	"strings"
)

// Kind names the kind of object an address points to.
type Kind string

const (
	KindVariable         Kind = "var"
	KindCluster          Kind = "cluster"
	KindClusterNode      Kind = "cluster_node"
	KindHeartbeat        Kind = "heartbeat"
	KindNetworkPartition Kind = "network_partition"
	KindMonitor          Kind = "monitor"
	KindNode             Kind = "node"
	KindGroup            Kind = "group"
	KindResource         Kind = "resource"
	KindScript           Kind = "script"
	KindServerScan       Kind = "server_scan"
	KindScanServer       Kind = "scan_server"
	KindStatusFile       Kind = "status_file"
	KindServerGroup      Kind = "server_group"
	KindMember           Kind = "member"
)

// Address is the canonical address of one object. The zero value is not a valid address.
// Parts holds the traversal steps, e.g. ["cluster","web","node","sv1"].
type Address struct {
	Kind Kind
	path string // dot-joined traversal; kept as a string so Address is comparable and a map key
}

// String renders the address in traversal syntax.
func (a Address) String() string { return a.path }

// IsZero reports whether a is the zero Address.
func (a Address) IsZero() bool { return a.path == "" }

// Parts returns the traversal steps of the address.
func (a Address) Parts() []string { return strings.Split(a.path, ".") }

// Contains reports whether b is a or lies inside a (cluster.web contains cluster.web.node.sv1).
func (a Address) Contains(b Address) bool {
	return a.path == b.path || strings.HasPrefix(b.path, a.path+".")
}

func mk(k Kind, parts ...string) Address { return Address{Kind: k, path: strings.Join(parts, ".")} }

func Variable(name string) Address { return mk(KindVariable, "var", name) }
func Cluster(name string) Address  { return mk(KindCluster, "cluster", name) }
func ClusterNode(cluster, node string) Address {
	return mk(KindClusterNode, "cluster", cluster, "node", node)
}
func Heartbeat(cluster, name string) Address {
	return mk(KindHeartbeat, "cluster", cluster, "heartbeat", name)
}
func NetworkPartition(cluster, name string) Address {
	return mk(KindNetworkPartition, "cluster", cluster, "network_partition", name)
}
func Monitor(cluster, name string) Address {
	return mk(KindMonitor, "cluster", cluster, "monitor", name)
}
func Node(name string) Address  { return mk(KindNode, "node", name) }
func Group(name string) Address { return mk(KindGroup, "group", name) }
func Resource(group, kind, name string) Address {
	return mk(KindResource, "group", group, kind, name)
}
func Script(name string) Address      { return mk(KindScript, "script", name) }
func ServerScan(name string) Address  { return mk(KindServerScan, "server_scan", name) }
func ScanServer(name string) Address  { return mk(KindScanServer, "scan_server", name) }
func StatusFile(name string) Address  { return mk(KindStatusFile, "status_file", name) }
func ServerGroup(name string) Address { return mk(KindServerGroup, "server_group", name) }
func Member(group, name string) Address {
	return mk(KindMember, "server_group", group, "member", name)
}

// Parse parses an address string as typed on the command line (--target). It accepts every
// form the constructors above produce.
func Parse(s string) (Address, error) {
	p := strings.Split(s, ".")
	bad := fmt.Errorf("%q is not an address: expected e.g. cluster.web, cluster.web.node.sv1, group.iis, group.iis.fip.fip1, script.iis", s)
	for _, part := range p {
		if part == "" {
			return Address{}, bad
		}
	}
	switch {
	case len(p) == 2:
		switch p[0] {
		case "var":
			return Variable(p[1]), nil
		case "cluster":
			return Cluster(p[1]), nil
		case "node":
			return Node(p[1]), nil
		case "group":
			return Group(p[1]), nil
		case "script":
			return Script(p[1]), nil
		case "server_scan":
			return ServerScan(p[1]), nil
		case "scan_server":
			return ScanServer(p[1]), nil
		case "status_file":
			return StatusFile(p[1]), nil
		case "server_group":
			return ServerGroup(p[1]), nil
		}
	case len(p) == 4 && p[0] == "cluster":
		switch p[2] {
		case "node":
			return ClusterNode(p[1], p[3]), nil
		case "heartbeat":
			return Heartbeat(p[1], p[3]), nil
		case "network_partition":
			return NetworkPartition(p[1], p[3]), nil
		case "monitor":
			return Monitor(p[1], p[3]), nil
		}
	case len(p) == 4 && p[0] == "group":
		return Resource(p[1], p[2], p[3]), nil
	case len(p) == 4 && p[0] == "server_group" && p[2] == "member":
		return Member(p[1], p[3]), nil
	}
	return Address{}, bad
}
