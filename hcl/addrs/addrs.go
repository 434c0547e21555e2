// Package addrs defines the typed, immutable address of every object a configuration declares.
//
// An address prints in HCL traversal syntax (cluster.web.node.sv1, group.iis.fip.fip1) and that
// string is the one used everywhere: diagnostics, plan output, JSON and --target. Plans and maps
// key on Address values, never on ad-hoc strings.
//
// As in Terraform, an object declared with for_each or count carries its instance key on its
// name step (group.web["hr"], group.web[0]), and an object declared inside a module call is
// prefixed by the call's instance: module.branch["osaka"].cluster.web.
package addrs

import (
	"fmt"
	"strconv"
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
	KindModule           Kind = "module" // a module call instance, for --target
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

// Parts returns the traversal steps of the address; a step keeps its instance key
// (web["hr"]), and a dot inside a key does not split it.
func (a Address) Parts() []string { return splitSteps(a.path) }

// Contains reports whether b is a or lies inside a (cluster.web contains cluster.web.node.sv1;
// group.web, written without a key, contains every instance group.web["hr"]; module.branch
// contains everything its instances declare).
func (a Address) Contains(b Address) bool {
	return a.path == b.path || strings.HasPrefix(b.path, a.path+".") || strings.HasPrefix(b.path, a.path+"[")
}

// Child is the address of an object declared inside a (a cluster's node, a group's resource):
// a's steps followed by steps.
func (a Address) Child(k Kind, steps ...string) Address {
	return Address{Kind: k, path: a.path + "." + strings.Join(steps, ".")}
}

// InModule places a root address inside the module instance whose address is prefix
// (module.branch["osaka"]); an empty prefix leaves a at the root.
func (a Address) InModule(prefix string) Address {
	if prefix == "" {
		return a
	}
	return Address{Kind: a.Kind, path: prefix + "." + a.path}
}

// ModulePath is the module instance prefix of a (module.branch["osaka"]), or "" at the root.
func (a Address) ModulePath() string {
	if !strings.HasPrefix(a.path, "module.") {
		return ""
	}
	steps := splitSteps(a.path)
	end := 0
	for end+1 < len(steps) && steps[end] == "module" {
		end += 2
	}
	return strings.Join(steps[:end], ".")
}

// Local is the address without its module prefix: cluster.web for module.osaka.cluster.web.
func (a Address) Local() Address {
	m := a.ModulePath()
	if m == "" {
		return a
	}
	return Address{Kind: a.Kind, path: strings.TrimPrefix(a.path, m+".")}
}

// Module is the address of a module call instance: Module("", "branch[\"osaka\"]") is
// module.branch["osaka"]; parent is the calling module instance, "" for the root.
func Module(parent, step string) Address {
	return Address{Kind: KindModule, path: Address{path: "module." + step}.InModule(parent).path}
}

// StringKey is the name step of the instance with a for_each key: web["hr"].
func StringKey(name, key string) string { return name + "[" + strconv.Quote(key) + "]" }

// IndexKey is the name step of the instance with a count index: web[0].
func IndexKey(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

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
// form the constructors above produce, with instance keys on name steps and module prefixes.
func Parse(s string) (Address, error) {
	bad := fmt.Errorf("%q is not an address: expected e.g. cluster.web, cluster.web.node.sv1, group.iis, group.iis.fip.fip1, script.iis, group.web[\"hr\"], module.branch[\"osaka\"].cluster.web", s)
	steps, ok := parseSteps(s)
	if !ok {
		return Address{}, bad
	}
	prefix := ""
	for len(steps) >= 2 && steps[0].name == "module" && steps[0].key == "" {
		if steps[1].name == "" {
			return Address{}, bad
		}
		prefix = Module(prefix, steps[1].String()).path
		steps = steps[2:]
	}
	if len(steps) == 0 && prefix != "" {
		return Address{Kind: KindModule, path: prefix}, nil
	}
	a, ok := parseLocal(steps)
	if !ok {
		return Address{}, bad
	}
	return a.InModule(prefix), nil
}

// parseLocal parses the steps of an address without its module prefix. Only the name steps of
// objects (the second and fourth) may carry an instance key.
func parseLocal(steps []step) (Address, bool) {
	for i, st := range steps {
		if st.key != "" && i != 1 && i != 3 {
			return Address{}, false
		}
	}
	p := make([]string, len(steps))
	for i, st := range steps {
		p[i] = st.String()
	}
	switch {
	case len(p) == 2:
		switch p[0] {
		case "var":
			if steps[1].key != "" {
				return Address{}, false
			}
			return Variable(p[1]), true
		case "cluster":
			return Cluster(p[1]), true
		case "node":
			return Node(p[1]), true
		case "group":
			return Group(p[1]), true
		case "script":
			return Script(p[1]), true
		case "server_scan":
			return ServerScan(p[1]), true
		case "scan_server":
			return ScanServer(p[1]), true
		case "status_file":
			return StatusFile(p[1]), true
		case "server_group":
			return ServerGroup(p[1]), true
		}
	case len(p) == 4 && p[0] == "cluster":
		switch p[2] {
		case "node":
			return ClusterNode(p[1], p[3]), true
		case "heartbeat":
			return Heartbeat(p[1], p[3]), true
		case "network_partition":
			return NetworkPartition(p[1], p[3]), true
		case "monitor":
			return Monitor(p[1], p[3]), true
		}
	case len(p) == 4 && p[0] == "group":
		return Resource(p[1], p[2], p[3]), true
	case len(p) == 4 && p[0] == "server_group" && p[2] == "member":
		return Member(p[1], p[3]), true
	}
	return Address{}, false
}

// step is one traversal step: a name and, for an instance, its key as written in the address
// ("\"hr\"" or "0").
type step struct{ name, key string }

func (s step) String() string {
	if s.key == "" {
		return s.name
	}
	return s.name + "[" + s.key + "]"
}

// parseSteps reads name, name["key"] and name[0] steps separated by dots.
func parseSteps(s string) ([]step, bool) {
	var out []step
	for len(s) > 0 {
		i := strings.IndexAny(s, ".[")
		if i < 0 {
			i = len(s)
		}
		st := step{name: s[:i]}
		if st.name == "" {
			return nil, false
		}
		s = s[i:]
		if strings.HasPrefix(s, "[") {
			key, rest, ok := readKey(s[1:])
			if !ok {
				return nil, false
			}
			st.key, s = key, rest
		}
		out = append(out, st)
		if s == "" {
			break
		}
		if s[0] != '.' || len(s) == 1 {
			return nil, false
		}
		s = s[1:]
	}
	return out, len(out) > 0
}

// readKey reads a key after "[": a quoted string or a decimal index, then "]". The key is
// returned in canonical form (strconv.Quote, or the index without leading zeros).
func readKey(s string) (key, rest string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil || !strings.HasPrefix(s[len(q):], "]") {
			return "", "", false
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			return "", "", false
		}
		return strconv.Quote(v), s[len(q)+1:], true
	}
	end := strings.IndexByte(s, ']')
	if end <= 0 {
		return "", "", false
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil || n < 0 {
		return "", "", false
	}
	return strconv.Itoa(n), s[end+1:], true
}

// splitSteps splits a rendered path at the dots outside instance keys.
func splitSteps(path string) []string {
	var out []string
	start, inKey, inQuote := 0, false, false
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case inQuote && c == '\\':
			i++
		case inQuote && c == '"':
			inQuote = false
		case inKey && c == '"':
			inQuote = true
		case !inQuote && c == '[':
			inKey = true
		case !inQuote && c == ']':
			inKey = false
		case !inKey && c == '.':
			out = append(out, path[start:i])
			start = i + 1
		}
	}
	return append(out, path[start:])
}
