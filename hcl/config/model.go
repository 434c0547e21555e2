package config

import (
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// Config is a loaded, fully evaluated and validated configuration: every expression has been
// evaluated and every reference resolved to a pointer. Providers read it; nothing mutates it.
type Config struct {
	Dir          string
	Variables    map[string]*Variable
	Clusters     map[string]*Cluster
	Nodes        map[string]*Node // top-level nodes (node "x"), not cluster nodes
	Groups       map[string]*Group
	Scripts      map[string]*Script
	ServerScans  map[string]*ServerScan
	ScanServers  map[string]*ScanServer
	StatusFiles  map[string]*StatusFile
	ServerGroups map[string]*ServerGroup

	// Outputs are the root module's output blocks, by name. The maps above hold the objects of
	// every module instance too: by name at the root (web, web["hr"] for an instance), by
	// address inside a module (module.branch["osaka"].cluster.web); see MapKey.
	Outputs map[string]*Output

	// evalCtx is the root module's evaluation context, for Evaluate.
	evalCtx *hcl.EvalContext

	// Fingerprint is a SHA-256 over the configuration files and the effective variable values;
	// a saved plan records it to refuse applying against a changed configuration.
	Fingerprint string

	// Secrets are the values of every argument derived from a sensitive variable (each string
	// inside them of at least MinSecretLen bytes), longest first: output and plan files must
	// never show them, wherever they appear inside a text.
	Secrets []string

	// WholeSecrets are the shorter strings and the numbers (as written) of those values: too
	// short to be hidden inside texts, they are hidden where they are a whole attribute value.
	WholeSecrets []string
}

// SortedClusters returns the clusters in name order.
func (c *Config) SortedClusters() []*Cluster {
	out := make([]*Cluster, 0, len(c.Clusters))
	for _, name := range slices.Sorted(maps.Keys(c.Clusters)) {
		out = append(out, c.Clusters[name])
	}
	return out
}

// AllMonitors returns the cluster-level monitors, then each group's, in group order, each
// once (a model built by hand may list a group's monitor on the cluster too).
func (c *Cluster) AllMonitors() []*Monitor {
	var out []*Monitor
	seen := map[*Monitor]bool{}
	for _, ms := range append([][]*Monitor{c.Monitors}, groupMonitors(c.Groups)...) {
		for _, m := range ms {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	return out
}

func groupMonitors(gs []*Group) [][]*Monitor {
	out := make([][]*Monitor, len(gs))
	for i, g := range gs {
		out[i] = g.Monitors
	}
	return out
}

// Variable is a declared input variable with its effective value.
type Variable struct {
	Name        string
	Description string
	Type        cty.Type
	Value       cty.Value
	Sensitive   bool
	DeclRange   hcl.Range
}

// SSH holds connection settings; the effective settings of a node are merged from the top-level,
// cluster and node blocks (innermost wins). Zero values mean "not set". The type is the
// transport's: the configuration fills in what the transport defines (layers point down).
type SSH = transport.SSHSettings

// Endpoint is what the transport needs to reach one machine: the transport's own type.
type Endpoint = transport.Endpoint

// Platform is the operating system family of a cluster.
type Platform string

const (
	Linux   Platform = "linux"
	Windows Platform = "windows"
)

// Cluster is a CLUSTERPRO / EXPRESSCLUSTER X failover cluster.
type Cluster struct {
	Addr       addrs.Address
	Name       string
	Platform   Platform
	InstallDir string // defaulted by platform
	Comment    string
	Charset    string // clp.conf charset; defaulted by platform

	Nodes             []*ClusterNode // in priority order (0 first)
	Heartbeats        []*Heartbeat   // in priority order
	NetworkPartitions []*NetworkPartition
	Options           ClusterOptions
	Monitors          []*Monitor // cluster-level monitors (relation cls)
	Groups            []*Group   // groups of this cluster, in name order

	// Ports is the packet filter declared on the cluster's nodes (a ports block), checked
	// against the ports CLUSTERPRO needs; nil when the configuration declares none.
	Ports *PortFilter

	// Vendor holds clp.conf settings of the whole file that the language does not model, by
	// path below <root> ("pm/exec0/recover"). VendorFiles are files of the configuration
	// directory that no object owns (e.g. a monitor's preaction script), by slash path relative
	// to it ("scripts/monitor.s/genw/preaction.sh").
	Vendor      VendorParams
	VendorFiles map[string]string

	DeclRange hcl.Range
}

// VendorParams are vendor settings the language does not model, carried verbatim so that
// nothing is lost: keys are element paths relative to the object's own clp.conf element, in the
// syntax "parameters/mddriver/port" or "server[sv1]/parameters/volumeguid" (a bracket names the
// element's name attribute, or its id attribute when it is a number). A nil value removes that
// element where the tool would otherwise write it. See docs/vendor-mapping.md.
type VendorParams map[string]*string

// PortFilter is what a node's packet filter lets through, by protocol and direction: local
// ports for incoming traffic, remote ports for outgoing traffic.
type PortFilter struct {
	TCPIn, UDPIn, TCPOut, UDPOut []int
}

// ClusterOptions are cluster-wide settings; zero means the vendor default.
type ClusterOptions struct {
	HeartbeatInterval int // seconds
	HeartbeatTimeout  int // seconds
}

// ClusterNode is a server of a cluster.
type ClusterNode struct {
	Addr          addrs.Address
	Name          string
	Cluster       *Cluster
	Endpoint      Endpoint
	Priority      int
	Interconnects []string
	MirrorConnect string
	Vendor        VendorParams
	DeclRange     hcl.Range
}

// Heartbeat is a heartbeat LAN: kernel mode (lankhb) or user mode (lanhb).
type Heartbeat struct {
	Addr         addrs.Address
	Name         string
	Mode         string // "kernel" | "user"
	Interconnect int    // index into each node's Interconnects
	Priority     int
	Vendor       VendorParams
	DeclRange    hcl.Range
}

// NetworkPartition is a ping network-partition resolver.
type NetworkPartition struct {
	Addr      addrs.Address
	Name      string
	Targets   []string
	Interval  int
	Timeout   int
	Vendor    VendorParams
	DeclRange hcl.Range
}

// Node is a machine outside a failover cluster (Server-Scan host, object server, web server).
type Node struct {
	Addr      addrs.Address
	Name      string
	Endpoint  Endpoint
	DeclRange hcl.Range
}

// Group is a failover group.
type Group struct {
	Addr      addrs.Address
	Name      string
	Cluster   *Cluster
	Comment   string
	Policy    []*ClusterNode // ordered; the group starts on the first available
	AutoStart bool
	Failback  bool
	Resources []*Resource // in declaration order
	Monitors  []*Monitor  // monitors declared in this group
	Vendor    VendorParams
	// IdenticalRegistryKeys are registry keys whose values must be the same on every node of
	// the policy (seed 001, 1.4.6 (3); 1.3.7 (1)): plan compares them and warns of a difference.
	IdenticalRegistryKeys []string
	DeclRange             hcl.Range
}

// ResourceKind names a group resource type, as in clp.conf.
type ResourceKind string

const (
	ResFIP     ResourceKind = "fip"
	ResVIP     ResourceKind = "vip"
	ResDisk    ResourceKind = "disk"
	ResMD      ResourceKind = "md"
	ResRegSync ResourceKind = "regsync"
	ResService ResourceKind = "service"
	ResExec    ResourceKind = "exec"
)

// Resource is one group resource. Only the fields of its Kind are set.
type Resource struct {
	Addr      addrs.Address
	Kind      ResourceKind
	Name      string
	Group     *Group
	DependsOn []*Resource
	Timeout   int // seconds, 0 = vendor default

	IP      string // fip, vip
	Netmask string // vip

	Device           string // disk
	MountPoint       string // disk, md
	FS               string // disk, md
	DataPartition    string // md
	ClusterPartition string // md
	NMPPath          string // md

	RegistryKeys []string // regsync
	ServiceName  string   // service
	Script       *Script  // exec

	// Vendor is every setting not modelled above; a resource of a kind the language does not
	// model (Kind not one of the constants) carries all its settings here.
	Vendor VendorParams

	DeclRange hcl.Range
}

// MonitorKind names a monitor type, as in clp.conf.
type MonitorKind string

const (
	MonUser    MonitorKind = "userw"
	MonIP      MonitorKind = "ipw"
	MonFIP     MonitorKind = "fipw"
	MonDisk    MonitorKind = "diskw"
	MonMD      MonitorKind = "mdw"
	MonService MonitorKind = "servicew"
	MonGeneric MonitorKind = "genw"
	MonMDN     MonitorKind = "mdnw" // mirror disk connect monitor; the WebUI adds one per md
	MonSD      MonitorKind = "sdw"  // Windows switchable disk (sd) monitor
)

// Monitor is a monitor resource of a cluster.
type Monitor struct {
	Addr      addrs.Address
	Kind      MonitorKind
	Name      string
	Cluster   *Cluster
	Group     *Group    // nil for cluster-level monitors
	Target    *Resource // fipw, diskw, mdw, servicew
	Targets   []string  // ipw ping targets
	Script    *Script   // genw
	Interval  int
	Timeout   int
	Retry     int
	Recovery  Recovery
	Vendor    VendorParams // as Resource.Vendor
	DeclRange hcl.Range
}

// Recovery is what a monitor does on failure.
type Recovery struct {
	Action string // none | restart | failover | stop_group | stop_cluster | shutdown
	// The recovery target (clp.conf relation): a group, a resource, or neither for the
	// vendor's default of the monitor's kind.
	Group       *Group
	Resource    *Resource
	MaxRestarts int
}

// Script is a start/stop script pair: literal content, or generated from a description.
type Script struct {
	Addr        addrs.Address
	Name        string
	Description string

	// Literal content; when both are set, the declarative fields are unused.
	Start, Stop string
	// UnknownContent lists the literal parts ("start", "stop") whose content is not known,
	// such as the scripts of a cluster imported from clp.conf alone: the script is literal,
	// and nothing may write those files until the user supplies them (unknown_content).
	UnknownContent []string

	EnvPrefix       string // "CLP" | "ARMS"
	Services        []ScriptService
	RestartServices bool
	Hooks           []ScriptHook
	OnDiskFailure   string // abort | failover | ignore | broadcast

	// Charset is the encoding the script files are written in on the nodes; content is
	// converted to it, e.g. "SJIS" for Japanese .bat files. When empty, literal content is
	// written as given (UTF-8) and generated content follows the cluster (ScriptCharset).
	Charset string

	// OLTP is the WEBharmo/OLTP clean-up the start script runs before IIS (seed 001, 1.4.5);
	// nil when the script declares none.
	OLTP *WebharmoOLTP

	DeclRange hcl.Range
}

// WebharmoOLTP is a script's webharmo_oltp block: WEBharmo/OLTP runs inside IIS, and when its
// partial-send or Web form printing feature is used, the start script removes the files those
// features leave behind before every start of IIS (seed 001, 1.4.5).
type WebharmoOLTP struct {
	InstallDir   string // WEBharmo/OLTP's installation directory on every node, e.g. C:\WEBharmo
	PartialSend  bool   // 部分送信機能: rmdir /S /Q <dir>\OLTP\TEMP
	WebFormPrint bool   // Web 帳票印刷機能: del /S /Q <dir>\OLTP\PRINT\DOC\*.*
}

// Literal reports whether the script's content is given literally.
func (s *Script) Literal() bool { return s.Start != "" || s.Stop != "" || len(s.UnknownContent) > 0 }

// Unknown reports whether the content of part ("start" or "stop") is not known.
func (s *Script) Unknown(part string) bool {
	for _, p := range s.UnknownContent {
		if p == part {
			return true
		}
	}
	return false
}

// ScriptService is one application service a generated script starts and stops.
type ScriptService struct {
	ID      string // ARMLOAD id
	Name    string // OS service name
	Monitor bool
}

// ScriptHook is extra commands run for one event.
type ScriptHook struct {
	Event    string // START | FAILOVER | RECOVER
	On       string // home | other | any
	Phase    string // start | stop
	Position string // before | after the services; "" = the phase's default (HookPosition)
	Commands []string
}

// ServerScan is a Server-Scan host (the mail server side of the virus-scan service).
type ServerScan struct {
	Addr           addrs.Address
	Name           string
	Node           *Node
	InstallDir     string
	Port           int
	CheckConnector bool
	Servers        []*ScanServer // normal first, then standby, each by Order
	DeclRange      hcl.Range
}

// ScanServer is a Scan-Connector server used by a Server-Scan host.
type ScanServer struct {
	Addr       addrs.Address
	Name       string
	ServerScan *ServerScan
	Connector  string
	Service    string
	Port       int
	Role       string // normal | standby
	Order      int
	DeclRange  hcl.Range
}

// StatusFile is one status service definition of a High-end Object Server (seed 003): the
// logical files it names, in definition order. The first is current after a normal start.
type StatusFile struct {
	Addr           addrs.Address
	Name           string
	Node           *Node
	DefinitionFile string
	InstallDir     string
	// InitCommand is the site's xodstsinit command line, with the placeholders of
	// StatusFileInitCommand; nil when not declared (the tool then creates no status file).
	InitCommand []string
	// DefinitionContent is the whole status service definition, verbatim, written by the tool
	// as bytes; "" when not declared (the tool then leaves the definition file alone).
	DefinitionContent string
	Logicals          []*LogicalFile
	DeclRange         hcl.Range
}

// LogicalFile is a logical status file: its name and its A-system and B-system files, NTFS
// paths (D:\...) as the status service definition holds them.
type LogicalFile struct {
	Name      string
	AFile     string
	BFile     string
	DeclRange hcl.Range
}

// ServerGroup is a WSMGR for Web server group (seed 004): WSMGR syncs the members from the
// management node; the tool only drives the site's commands around that sync
// (docs/servergroup.md).
type ServerGroup struct {
	Addr        addrs.Address
	Name        string
	Management  *Node
	SettingsDir string // WSMGR's config directory: read (hashed), never written
	SystemDir   string
	// The site's load-balancer commands: all three or none.
	DetachCommand     []string
	AttachCommand     []string
	InBalancerCommand []string
	// The site's commands that have WSMGR sync one member and read its sync state.
	SyncCommand      []string
	SyncCheckCommand []string
	SyncTimeout      time.Duration
	Members          []*Member
	DeclRange        hcl.Range
}

// Member is a member server of a server group.
type Member struct {
	Addr      addrs.Address
	Name      string
	Node      *Node
	Disabled  bool
	DeclRange hcl.Range
}
