package clusterpro

// How DesiredConf maps the configuration model to clp.conf. docs/vendor-mapping.md lists, per
// object kind, every element written here with the public vendor source it comes from, and the
// elements that travel as vendor_parameters instead.
//
// Every object is rendered in two layers: first the modelled attributes, then its
// vendor_parameters, which set (or, when null, remove) elements by path and win over the first
// layer. Decode (decode.go) is the exact inverse: what the first layer does not reproduce of a
// file becomes vendor_parameters, so Render(Decode(file)) is the file.
//
// Platform names: an exec resource is <exec> on Linux and <script> on Windows, a switchable
// disk <disk> on Linux and <sd> on Windows (EXPRESSCLUSTER/clpcfset, EXPRESSCLUSTER/BasicCluster).
//
// Recovery mapping (action -> threshold/restart, threshold/fo (fo2 on Windows), action):
// none -> 0, 0, 1; restart -> max(max_restarts, 1), 0, 1; failover -> max_restarts, 1, 1;
// stop_group -> max_restarts, 0, 2; stop_cluster -> max_restarts, 0, 3;
// shutdown -> max_restarts, 0, 4. No action set writes no emergency element (vendor default).
//
// Relation (recovery target): the one written in the configuration; else the vendor's default
// for the kind (defaultRelation).

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

// DesiredConf renders the clp.conf document for c. It is deterministic: the same cluster gives
// the same document, and Parse(Encode(doc)) has no Diff against it. Groups get gid 0.. in name
// order; resources and monitors follow group name order, then declaration order.
func DesiredConf(c *config.Cluster) (*clpconf.Document, error) {
	doc, err := typedConf(c)
	if err != nil {
		return nil, err
	}
	if err := applyVendor(doc, c); err != nil {
		return nil, fmt.Errorf("%s: %w", c.Addr, err)
	}
	return doc, nil
}

// typedConf renders the modelled attributes only: the first layer.
func typedConf(c *config.Cluster) (*clpconf.Document, error) {
	if c == nil {
		return nil, errors.New("no cluster")
	}
	platform := c.Platform
	if platform == "" {
		platform = config.Linux
	}
	if platform != config.Linux && platform != config.Windows {
		return nil, fmt.Errorf("%s: unknown platform %q", c.Addr, platform)
	}
	r := renderer{c: c, windows: platform == config.Windows, groups: sortedGroups(c.Groups), nodes: byPriority(c.Nodes)}

	charset := c.Charset
	if charset == "" {
		charset = config.DefaultCharset(platform)
	}
	// The layout of the WebUI's own saves on each platform, so a rendered file looks native.
	style := clpconf.Style{SpaceSelfClose: r.windows, FinalNewline: r.windows}
	doc := clpconf.New(charset, style)

	doc.SetCluster(c.Name, c.Comment)
	doc.SetAll(clpconf.All{Charset: charset, Encode: allEncode(platform, charset), ServerOS: string(platform)})
	r.options(doc)

	// Sections in the WebUI's order; element order carries no meaning but keeps diffs of the
	// rendered file readable.
	steps := []func(*clpconf.Document) error{r.monitors, r.servers, r.heartbeats, r.partitions, r.groupElems, r.resources}
	for _, step := range steps {
		if err := step(doc); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// renderer holds what every section needs.
type renderer struct {
	c       *config.Cluster
	windows bool
	groups  []*config.Group       // in name order
	nodes   []*config.ClusterNode // highest priority (0) first
}

func sortedGroups(gs []*config.Group) []*config.Group {
	out := slices.Clone(gs)
	slices.SortStableFunc(out, func(a, b *config.Group) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (r renderer) options(doc *clpconf.Document) {
	o := r.c.Options
	if o.HeartbeatInterval > 0 {
		doc.Root.Set("cluster/heartbeat/interval", strconv.Itoa(o.HeartbeatInterval*1000))
	}
	if o.HeartbeatTimeout > 0 {
		doc.Root.Set("cluster/heartbeat/timeout", strconv.Itoa(o.HeartbeatTimeout*1000))
	}
}

func (r renderer) servers(doc *clpconf.Document) error {
	for _, n := range r.nodes {
		s := clpconf.Server{Name: n.Name, Priority: n.Priority}
		for i, addr := range n.Interconnects {
			s.Devices = append(s.Devices, clpconf.Device{ID: clpconf.DeviceLAN + i, Type: "lan", Info: addr})
		}
		if n.MirrorConnect != "" {
			s.Devices = append(s.Devices, clpconf.Device{ID: clpconf.DeviceMDC, Type: "mdc", Info: n.MirrorConnect, MDCInfo: n.MirrorConnect})
		}
		for i := range r.c.NetworkPartitions {
			s.Devices = append(s.Devices, clpconf.Device{ID: clpconf.DevicePingNP + i, Type: "ping", Info: "1"})
		}
		doc.AddServer(s)
	}
	return nil
}

func (r renderer) heartbeats(doc *clpconf.Document) error {
	for _, hb := range r.c.Heartbeats {
		typ, ok := config.HeartbeatType(hb.Mode)
		if !ok {
			return fmt.Errorf("%s: unknown heartbeat mode %q (kernel | user)", hb.Addr, hb.Mode)
		}
		for _, n := range r.c.Nodes {
			if hb.Interconnect < 0 || hb.Interconnect >= len(n.Interconnects) {
				return fmt.Errorf("%s: interconnect %d does not exist on node %s (it has %d)", hb.Addr, hb.Interconnect, n.Name, len(n.Interconnects))
			}
		}
		doc.AddHeartbeat(clpconf.Heartbeat{Type: typ, Name: hb.Name, Priority: hb.Priority, Device: clpconf.DeviceLAN + hb.Interconnect})
	}
	return nil
}

func (r renderer) partitions(doc *clpconf.Document) error {
	doc.EnsureSection("networkpartition") // the WebUI writes it empty when there is none
	for i, np := range r.c.NetworkPartitions {
		if len(np.Targets) == 0 {
			return fmt.Errorf("%s: a ping network partition needs at least one target", np.Addr)
		}
		doc.AddPingNP(clpconf.PingNP{
			Name: np.Name, Priority: i, Device: clpconf.DevicePingNP + i,
			Targets: np.Targets, Interval: np.Interval, Timeout: np.Timeout,
		})
	}
	return nil
}

func (r renderer) groupElems(doc *clpconf.Document) error {
	for gid, g := range r.groups {
		out := clpconf.Group{Name: g.Name, Comment: g.Comment, GID: gid, AutoStart: g.AutoStart, AutoFailback: g.Failback}
		for order, n := range g.Policy {
			if !slices.Contains(r.c.Nodes, n) {
				return fmt.Errorf("%s: policy names %s, which is not a node of %s", g.Addr, nodeName(n), r.c.Addr)
			}
			out.Policy = append(out.Policy, clpconf.Policy{Server: n.Name, Order: order})
		}
		if slices.Equal(g.Policy, r.nodes) {
			// Every server in priority order is the vendor's default: the WebUI writes no
			// <policy> then (shared/reference).
			out.Policy = nil
		}
		for _, res := range g.Resources {
			out.Resources = append(out.Resources, clpconf.MemberRef(config.VendorResourceType(res.Kind, r.c.Platform), res.Name))
		}
		doc.AddGroup(out)
	}
	return nil
}

// byPriority returns nodes sorted by priority, highest (0) first.
func byPriority(nodes []*config.ClusterNode) []*config.ClusterNode {
	nodes = slices.Clone(nodes)
	slices.SortStableFunc(nodes, func(a, b *config.ClusterNode) int { return a.Priority - b.Priority })
	return nodes
}

func nodeName(n *config.ClusterNode) string {
	if n == nil {
		return "(nil)"
	}
	return n.Name
}

func (r renderer) resources(doc *clpconf.Document) error {
	mdIndex := 0
	for _, g := range r.groups {
		for _, res := range g.Resources {
			params, err := r.resourceParams(g, res, &mdIndex)
			if err != nil {
				return fmt.Errorf("%s: %w", res.Addr, err)
			}
			params = append(params, timeoutParams(res)...)
			out := clpconf.Resource{Type: config.VendorResourceType(res.Kind, r.c.Platform), Name: res.Name, Params: params}
			for _, dep := range res.DependsOn {
				out.Depends = append(out.Depends, dep.Name)
			}
			doc.AddResource(out)
		}
	}
	return nil
}

// resourceParams maps one resource's settings to its parameters. mdIndex counts md resources
// of the cluster, for the default NMP device path.
func (r renderer) resourceParams(g *config.Group, res *config.Resource, mdIndex *int) ([]clpconf.Param, error) {
	p := func(path, value string) clpconf.Param { return clpconf.Param{Path: "parameters/" + path, Value: value} }
	switch res.Kind {
	case config.ResFIP:
		return []clpconf.Param{p("ip", res.IP)}, nil
	case config.ResVIP:
		return []clpconf.Param{p("ip", res.IP), p("netmask", res.Netmask)}, nil
	case config.ResDisk:
		if r.windows {
			// <sd>: the drive letter; each server's volumeguid travels as a vendor parameter.
			return []clpconf.Param{p("volumemountpoint", driveLetter(res.Device))}, nil
		}
		ps := []clpconf.Param{p("device", res.Device)}
		if res.MountPoint != "" {
			ps = append(ps, p("mount/point", res.MountPoint))
		}
		if res.FS != "" {
			ps = append(ps, p("fs", res.FS))
		}
		return ps, nil
	case config.ResMD:
		*mdIndex++
		return r.mirrorDiskParams(g, res, *mdIndex)
	case config.ResRegSync:
		if len(res.RegistryKeys) == 0 {
			return nil, errors.New("a regsync resource needs at least one registry key")
		}
		var ps []clpconf.Param
		for i, k := range res.RegistryKeys {
			ps = append(ps, p("key["+strconv.Itoa(i)+"]", k))
		}
		return ps, nil
	case config.ResService:
		return []clpconf.Param{p("name", res.ServiceName)}, nil
	case config.ResExec:
		if res.Script == nil {
			return nil, errors.New("an exec resource needs a script")
		}
		ext := r.scriptExt()
		return []clpconf.Param{p("act/path", "start"+ext), p("deact/path", "stop"+ext)}, nil
	}
	return nil, nil // a vendor resource type: every setting is a vendor parameter
}

// scriptGrace is what the vendor adds to an exec resource's script timeout for its own
// activation and deactivation timeout (issue 10; docs/vendor-mapping.md).
const scriptGrace = 180

// timeoutParams renders a resource's timeout: an exec resource's scripts get it as
// parameters/timeout/start|stop and the resource itself that plus scriptGrace; any other
// resource gets it as its activation and deactivation timeout.
func timeoutParams(res *config.Resource) []clpconf.Param {
	if res.Timeout <= 0 {
		return nil
	}
	t, act := strconv.Itoa(res.Timeout), strconv.Itoa(res.Timeout)
	var ps []clpconf.Param
	if res.Kind == config.ResExec {
		act = strconv.Itoa(res.Timeout + scriptGrace)
		ps = append(ps, clpconf.Param{Path: "parameters/timeout/start", Value: t}, clpconf.Param{Path: "parameters/timeout/stop", Value: t})
	}
	return append(ps, clpconf.Param{Path: "act/timeout", Value: act}, clpconf.Param{Path: "deact/timeout", Value: act})
}

func (r renderer) mirrorDiskParams(g *config.Group, res *config.Resource, n int) ([]clpconf.Param, error) {
	// Only the servers the group may run on mirror the disk.
	for _, node := range g.Policy {
		if node.MirrorConnect == "" {
			return nil, fmt.Errorf("a mirror disk needs mirror_connect on every node of its group's policy; %s has none", node.Name)
		}
	}
	p := func(path, value string) clpconf.Param { return clpconf.Param{Path: "parameters/" + path, Value: value} }
	// One mirror connect (device 400); the WebUI numbers netdev priority from 0 on Linux and
	// from 1 on Windows.
	priority := "0"
	if r.windows {
		priority = "1"
	}
	ps := []clpconf.Param{
		p("netdev[0]/priority", priority),
		p("netdev[0]/device", strconv.Itoa(clpconf.DeviceMDC)),
		p("netdev[0]/mdcname", "mdc1"),
	}
	if r.windows {
		return append(ps,
			p("volumemountpoint", driveLetter(res.DataPartition)),
			p("cpvolumemountpoint", driveLetter(res.ClusterPartition)),
		), nil
	}
	nmp := res.NMPPath
	if nmp == "" {
		nmp = "/dev/NMP" + strconv.Itoa(n)
	}
	ps = append(ps, p("nmppath", nmp), p("mount/point", res.MountPoint),
		p("diskdev/dppath", res.DataPartition), p("diskdev/cppath", res.ClusterPartition))
	if res.FS != "" {
		ps = append(ps, p("fs", res.FS))
	}
	return ps, nil
}

// driveLetter turns "E:" or "E:\" into "E", as the WebUI writes volume mount points.
func driveLetter(s string) string {
	return strings.TrimRight(s, `:\`)
}

func (r renderer) scriptExt() string {
	if r.windows {
		return ".bat"
	}
	return ".sh"
}

func (r renderer) monitors(doc *clpconf.Document) error {
	all := slices.Clone(r.c.Monitors)
	for _, g := range r.groups {
		all = append(all, g.Monitors...)
	}
	hasUserw := slices.ContainsFunc(all, func(m *config.Monitor) bool { return m.Kind == config.MonUser })
	if !hasUserw {
		// Every WebUI-made cluster has it: the user-space stall monitor.
		doc.AddMonitor(clpconf.Monitor{Type: string(config.MonUser), Name: "userw", Relation: clpconf.LocalServer()})
	}
	all = append(all, r.implicitMirrorMonitors(all)...)
	for _, m := range all {
		out, err := r.monitor(m)
		if err != nil {
			return fmt.Errorf("%s: %w", m.Addr, err)
		}
		doc.AddMonitor(out)
	}
	return nil
}

func (r renderer) monitor(m *config.Monitor) (clpconf.Monitor, error) {
	out := clpconf.Monitor{Type: string(m.Kind), Name: m.Name}
	p := func(path, value string) clpconf.Param { return clpconf.Param{Path: path, Value: value} }

	switch m.Kind {
	case config.MonUser:
	case config.MonIP:
		for i, t := range m.Targets {
			out.Params = append(out.Params, p("parameters/list["+strconv.Itoa(i)+"]/ip", t))
		}
	// The loader requires the target of every targeted monitor; one decoded from a file may lack
	// it, and then its elements are vendor parameters.
	case config.MonDisk:
		if m.Target == nil {
			break // a Windows diskw checks a file: parameters/file is a vendor parameter
		}
		out.Target = m.Target.Name
		out.Params = append(out.Params, p("parameters/object", m.Target.Device))
	case config.MonFIP, config.MonService, config.MonMD, config.MonMDN, config.MonSD:
		if m.Target == nil {
			break
		}
		switch m.Kind {
		case config.MonMD, config.MonMDN, config.MonSD:
			// The WebUI leaves target empty for mdw and mdnw and names the disk as the object.
			out.Params = append(out.Params, p("parameters/object", m.Target.Name))
		default:
			out.Target = m.Target.Name
		}
	case config.MonGeneric:
		if m.Script == nil {
			return out, errors.New("a genw monitor needs a script")
		}
		out.Params = append(out.Params, p("parameters/path", "genw"+r.scriptExt()))
	default:
		return out, nil // a vendor monitor type: every setting is a vendor parameter
	}

	if m.Interval > 0 {
		out.Params = append(out.Params, p("polling/interval", strconv.Itoa(m.Interval)))
	}
	if m.Timeout > 0 {
		out.Params = append(out.Params, p("polling/timeout", strconv.Itoa(m.Timeout)))
	}
	if m.Retry > 0 {
		out.Params = append(out.Params, p("polling/reconfirmation", strconv.Itoa(m.Retry)))
	}
	emergency, err := emergencyParams(m.Recovery, r.windows)
	if err != nil {
		return out, err
	}
	out.Params = append(out.Params, emergency...)
	out.Relation = relationOf(m, r.windows)
	return out, nil
}

// implicitMirrorMonitors returns the mdnw monitor the WebUI creates for every mirror disk, for
// each md of the cluster that no declared mdnw watches: mdnw1 for the first md, and so on.
func (r renderer) implicitMirrorMonitors(declared []*config.Monitor) []*config.Monitor {
	watched := map[*config.Resource]bool{}
	names := map[string]bool{}
	for _, m := range declared {
		names[m.Name] = true
		if m.Kind == config.MonMDN {
			watched[m.Target] = true
		}
	}
	var out []*config.Monitor
	n := 0
	for _, g := range r.groups {
		for _, res := range g.Resources {
			if res.Kind != config.ResMD {
				continue
			}
			n++
			if watched[res] {
				continue
			}
			name := "mdnw" + strconv.Itoa(n)
			for names[name] {
				name += "_"
			}
			names[name] = true
			out = append(out, &config.Monitor{Kind: config.MonMDN, Name: name, Cluster: r.c, Target: res})
		}
	}
	return out
}

// emergencyParams maps a recovery action to the vendor's thresholds and final action (see
// the table at the top of this file).
func emergencyParams(rc config.Recovery, windows bool) ([]clpconf.Param, error) {
	restart, failover, final := rc.MaxRestarts, 0, 1
	switch rc.Action {
	case "":
		return nil, nil
	case "none":
		restart = 0
	case "restart":
		restart = max(restart, 1)
	case "failover":
		failover = 1
	case "stop_group":
		final = 2
	case "stop_cluster":
		final = 3
	case "shutdown":
		final = 4
	default:
		return nil, fmt.Errorf("unknown recovery action %q (none | restart | failover | stop_group | stop_cluster | shutdown)", rc.Action)
	}
	return []clpconf.Param{
		{Path: "emergency/threshold/restart", Value: strconv.Itoa(restart)},
		{Path: failoverThreshold(windows), Value: strconv.Itoa(failover)},
		{Path: "emergency/action", Value: strconv.Itoa(final)},
	}, nil
}

// failoverThreshold is the element counting failovers before the final action: fo on Linux,
// fo2 on Windows (X 4.x; docs/vendor-mapping.md).
func failoverThreshold(windows bool) string {
	if windows {
		return "emergency/threshold/fo2"
	}
	return "emergency/threshold/fo"
}

func relationOf(m *config.Monitor, windows bool) clpconf.Relation {
	switch {
	case m.Recovery.Resource != nil:
		return clpconf.Relation{Type: "rsc", Name: m.Recovery.Resource.Name}
	case m.Recovery.Group != nil:
		return clpconf.Relation{Type: "grp", Name: m.Recovery.Group.Name}
	}
	return defaultRelation(m, windows)
}

// defaultRelation is the recovery target the WebUI gives a monitor of m's kind: the local
// server for the user-space monitor and (on Linux) the mirror monitors, the watched resource
// for fipw, sdw and the Windows mirror monitors (shared/reference), the watched resource or
// else the monitor's group for the others.
func defaultRelation(m *config.Monitor, windows bool) clpconf.Relation {
	switch {
	case m.Kind == config.MonUser:
		return clpconf.LocalServer()
	case (m.Kind == config.MonMD || m.Kind == config.MonMDN) && !windows:
		return clpconf.LocalServer()
	case m.Target != nil:
		return clpconf.Relation{Type: "rsc", Name: m.Target.Name}
	case m.Group != nil:
		return clpconf.Relation{Type: "grp", Name: m.Group.Name}
	}
	return clpconf.LocalServer()
}

// allEncode is <all><encode> as the vendor's own tools write it (docs/vendor-elements.md row 18):
// SJIS for a Windows cluster whatever its charset (every Windows file of testdata/vendor, ASCII
// ones included), and the cluster's charset on Linux (EUC-JP in the files clpcreate and clpcfset
// make). A Linux file saved by a WebUI that ran on Windows says SJIS; import keeps that as the
// vendor parameter "all/encode".
func allEncode(platform config.Platform, charset string) string {
	if platform == config.Windows {
		return "SJIS"
	}
	return charset
}
