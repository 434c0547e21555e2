package simulate

import (
	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/providers/statusfile"
)

// Report is the outcome of every scenario and of every --expect-available check.
type Report struct {
	Scenarios []ScenarioReport
	// Expected are the services that must stay available; Violations say where they did not.
	Expected   []addrs.Address
	Violations []Violation
}

// OK reports whether every expected service stayed available in every scenario.
func (r *Report) OK() bool { return len(r.Violations) == 0 }

// Violation is an expected service found down after a step of a scenario.
type Violation struct {
	Scenario string
	Step     int // 1-based
	Service  addrs.Address
	Reason   string
}

// ScenarioReport is the starting point and every step of one scenario.
type ScenarioReport struct {
	Name string
	// Start is the starting point as observed (or normal operation).
	Start Snapshot
	// Settle is what the cluster does on its own from an observed starting point before the
	// first event: a group observed on a server that is down fails over.
	Settle []Change
	Steps  []Step
	// Down lists the services that are down at the end of the scenario.
	Down []addrs.Address
}

// Step is one event and what it caused.
type Step struct {
	Event Event
	// Targets are the objects the event's names resolved to.
	Targets  []addrs.Address
	Changes  []Change
	Snapshot Snapshot
}

// ChangeKind classifies what happened to a service in a step.
type ChangeKind string

const (
	ChangeFailover ChangeKind = "failover" // a group moved to the next node of its policy
	ChangeFailback ChangeKind = "failback" // a group returned to a higher-priority node
	ChangeRestart  ChangeKind = "restart"  // a group that had no node left started again
	ChangeDown     ChangeKind = "down"     // the service can no longer be served
	ChangeNodeDown ChangeKind = "node_down"
	ChangeNodeUp   ChangeKind = "node_up"
	ChangeLoad     ChangeKind = "load"      // the scan servers carrying the load changed
	ChangeSwap     ChangeKind = "swap"      // a status file swapped to a spare pair
	ChangeBlocked  ChangeKind = "blocked"   // a status-file pair was blocked (or unblocked)
	ChangeDetach   ChangeKind = "detach"    // a server-group member left the balancer
	ChangeAttach   ChangeKind = "attach"    // a server-group member is back in the balancer
	ChangeRecover  ChangeKind = "recovered" // the service is available again
)

// Change is one thing that happened to one service.
type Change struct {
	Service addrs.Address
	Kind    ChangeKind
	From    string // node or servers before
	To      string // after
	Summary string
	// Details are the ordered consequences: a swap's copies, the monitors that follow a group.
	Details  []string
	Monitors []MonitorEffect
}

// MonitorEffect is what a change does to one monitor.
type MonitorEffect struct {
	Monitor addrs.Address
	Effect  string // "moves to sv2", "stops", "no longer runs on sv1"
}

// Snapshot is every service after a step.
type Snapshot struct {
	// Down are the nodes and scan servers that are down, sorted.
	Down         []addrs.Address
	Groups       []GroupState
	ScanHosts    []ScanState
	StatusFiles  []StatusFileState
	ServerGroups []ServerGroupState
}

// GroupState is where a failover group runs.
type GroupState struct {
	Group     addrs.Address
	Node      string // "" when down
	Available bool
	Policy    []string
	// Up are the nodes of the policy that are up.
	Up []string
}

// Scan modes: who carries the virus-check load.
const (
	ScanNormal  = "normal"  // spread over the connected normal servers
	ScanStandby = "standby" // every normal server is INACT: spread over the standby servers
	ScanStopped = "stopped" // no server left, or the Server-Scan host is down
)

// ScanState is who carries a Server-Scan host's load.
type ScanState struct {
	ServerScan addrs.Address
	Mode       string
	Serving    []string // servers carrying the load
	Idle       []string // connected standby servers waiting
	Inact      []string // disconnected servers
	HostDown   bool
	Available  bool
}

// StatusFileState is a status service's logical files, in definition order.
type StatusFileState struct {
	StatusFile addrs.Address
	Logicals   []statusfile.LogicalState
	Current    int // index of the current logical file, -1 when none
	NodeDown   bool
	Available  bool
}

// ServerGroupState is who is in a server group's load balancer.
type ServerGroupState struct {
	ServerGroup  addrs.Address
	Management   string
	ManagementUp bool
	InBalancer   []string
	Detached     []string // failed: taken out of the balancer
	Disabled     []string // under maintenance, out by configuration
	Available    bool
}
