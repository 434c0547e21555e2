package status

import (
	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/providers/statusfile"
)

// Report is the live state of every object, each kind in name order.
type Report struct {
	Clusters     []Cluster
	ServerScans  []ServerScan
	StatusFiles  []StatusFile
	ServerGroups []ServerGroup
	// Unreachable are the nodes whose session could not run, with why.
	Unreachable map[addrs.Address]string
}

// Cluster is a failover cluster as its servers report it.
type Cluster struct {
	Cluster addrs.Address
	Nodes   []Node // in priority order
	// Groups are the cluster-wide group view of ViewFrom, the first running server (by
	// priority) whose clpstat could be read; empty when none could.
	Groups   []Group
	ViewFrom string
	// Monitors are the monitors some server reports in a state other than Normal or Offline.
	Monitors []Monitor
}

// Node is one server of a cluster.
type Node struct {
	Name string
	Addr addrs.Address
	Err  string // why it could not be read; "" when it was
	// State is the server's own cluster state (running, suspended, stopped, unknown).
	State string
	// Status is how the view server sees it (Online, Offline, ...); "" when there is no view.
	Status string
}

// Group is one failover group of the view.
type Group struct {
	Name    string
	Group   addrs.Address // zero when the configuration does not declare it
	Status  string
	Current string
}

// Monitor is a monitor in an abnormal state on one server.
type Monitor struct {
	Name, Node, Status string
}

// ServerScan is a Server-Scan host's vkhoststat.
type ServerScan struct {
	ServerScan addrs.Address
	Node       string
	Err        string
	Servers    []ScanServer // as configured: normal first, then standby
	// Problems are vkhoststat lines that could not be read, servers it lists that the
	// configuration does not declare, a listing printed with a non-zero exit status, and the
	// declared order it does not follow.
	Problems []string
}

// ScanServer is one configured scan server and its connection status.
type ScanServer struct {
	Name   string
	Role   string
	Status string // the word vkhoststat printed (only INACT, disconnected, is documented), or "" when not listed
}

// StatusFile is what was seen of a status service definition: its definition file and the
// declared logical files' A and B files. Their state (current, spare, reserved, blocked) is
// unknown: no public command prints it (docs/statusfile.md).
type StatusFile struct {
	StatusFile addrs.Address
	Node       string
	Err        string
	Seen       *statusfile.Seen // nil when it could not be read
}

// ServerGroup is a server group as the site's commands on its management node report it:
// per member, its state in WSMGR's sync monitor and in the load balancer. WSMGR's roster is
// in its admin tool; the report has only what those commands say (docs/servergroup.md).
type ServerGroup struct {
	ServerGroup  addrs.Address
	Management   string
	Err          string // the management node could not be read
	ManagementUp bool
	Members      []Member
}

// Member is one configured member.
type Member struct {
	Name       string
	Node       string
	Reachable  bool
	Disabled   bool   // declared under maintenance
	Sync       string // what sync_check_command said: "sync finished", "syncing", ...
	SyncDetail string // its first line of output
	InSync     bool   // Sync is "sync finished"
	Balancer   string // "in", "out", "unknown (...)", or "" when the site declared no balancer
}
