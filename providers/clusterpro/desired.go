package clusterpro

// How DesiredConf maps the configuration model to clp.conf.
//
// Element names and nesting follow the three files the vendor's WebUI saved (see
// clpconf/testdata/reference): cluster, all, monitor (types, userw, mdw, fipw, genw with
// relation/polling/emergency/threshold/restart), server (priority, device id with type/info,
// mdc/info), heartbeat (types, lankhb), networkpartition (types, pingnp with
// grp/list/ip), group (comment, resource name="type@name", gid), resource (types, fip
// parameters/ip, md parameters/netdev/nmppath/mount/point/diskdev/fs and the Windows
// volumemountpoint/cpvolumemountpoint, exec parameters/act/path and deact/path) and webmgr.
//
// Where the references show nothing, these names were chosen (vendor-like, to be checked
// against a WebUI save when one is available):
//
//	lanhb                             user-mode heartbeat, same children as lankhb
//	group/policy[name]/order          failover order, 0 first
//	group/start/automatic             1 | 0 (auto_start)
//	group/failback/automatic          1 | 0 (failback)
//	resource/T/depend[name]           one per depends_on
//	resource/T/act/timeout, deact/timeout   seconds, when timeout is set
//	vip parameters/ip, parameters/netmask
//	disk parameters/device, parameters/mount/point, parameters/fs
//	regsync parameters/key[i]         one per registry key, id = position
//	service parameters/name           the OS service name
//	pingnp parameters/interval, parameters/timeout   seconds, when set
//	monitor polling/timeout, polling/reconfirmation   seconds / retry count, when set
//	monitor parameters/list[i]/ip     ipw ping targets
//	monitor parameters/object         mdw: the md resource (as in the references); diskw: the device
//	genw parameters/path              genw.sh (Linux) | genw.bat (Windows)
//	monitor emergency/threshold/fo    failovers before the final action
//	monitor emergency/action          final action: 1 none, 2 stop group, 3 stop cluster, 4 shutdown
//	cluster/heartbeat/interval, timeout   milliseconds, from options (seconds)
//	haltp/use                         1 | 0, options.shutdown_monitor
//
// Recovery mapping (action -> threshold/restart, threshold/fo, action):
// none -> 0, 0, 1; restart -> max(max_restarts, 1), 0, 1; failover -> max_restarts, 1, 1;
// stop_group -> max_restarts, 0, 2; stop_cluster -> max_restarts, 0, 3;
// shutdown -> max_restarts, 0, 4. No action set writes no emergency element (vendor default).
//
// Relation: the recovery target when set (rsc or grp); else the monitored resource (rsc, as
// the WebUI does for fipw and mdw); else the monitor's group (grp); else cls LocalServer.

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
	r := renderer{c: c, windows: platform == config.Windows, groups: sortedGroups(c.Groups)}

	charset := c.Charset
	switch {
	case charset != "":
	case r.windows:
		charset = "ASCII"
	default:
		charset = "EUC-JP"
	}
	// The layout of the WebUI's own saves on each platform, so a rendered file looks native.
	style := clpconf.Style{SpaceSelfClose: r.windows, FinalNewline: r.windows}
	doc := clpconf.New(charset, style)

	doc.SetCluster(c.Name, c.Comment)
	doc.SetAll(clpconf.All{Charset: charset, Encode: "SJIS", ServerOS: string(platform)})
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
	groups  []*config.Group // in name order
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
	if o.ShutdownMonitor != nil {
		doc.Root.Set("haltp/use", digit(*o.ShutdownMonitor))
	}
}

func (r renderer) servers(doc *clpconf.Document) error {
	nodes := slices.Clone(r.c.Nodes)
	slices.SortStableFunc(nodes, func(a, b *config.ClusterNode) int { return a.Priority - b.Priority })
	for _, n := range nodes {
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
		typ := "lankhb"
		switch hb.Mode {
		case "", "kernel":
		case "user":
			typ = "lanhb"
		default:
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
		for _, res := range g.Resources {
			out.Resources = append(out.Resources, clpconf.MemberRef(string(res.Kind), res.Name))
		}
		doc.AddGroup(out)
	}
	return nil
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
			params, err := r.resourceParams(res, &mdIndex)
			if err != nil {
				return fmt.Errorf("%s: %w", res.Addr, err)
			}
			if res.Timeout > 0 {
				t := strconv.Itoa(res.Timeout)
				params = append(params, clpconf.Param{Path: "act/timeout", Value: t}, clpconf.Param{Path: "deact/timeout", Value: t})
			}
			out := clpconf.Resource{Type: string(res.Kind), Name: res.Name, Params: params}
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
func (r renderer) resourceParams(res *config.Resource, mdIndex *int) ([]clpconf.Param, error) {
	p := func(path, value string) clpconf.Param { return clpconf.Param{Path: "parameters/" + path, Value: value} }
	switch res.Kind {
	case config.ResFIP:
		return []clpconf.Param{p("ip", res.IP)}, nil
	case config.ResVIP:
		return []clpconf.Param{p("ip", res.IP), p("netmask", res.Netmask)}, nil
	case config.ResDisk:
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
		return r.mirrorDiskParams(res, *mdIndex)
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
	return nil, fmt.Errorf("unknown resource kind %q", res.Kind)
}

func (r renderer) mirrorDiskParams(res *config.Resource, n int) ([]clpconf.Param, error) {
	for _, node := range r.c.Nodes {
		if node.MirrorConnect == "" {
			return nil, fmt.Errorf("a mirror disk needs mirror_connect on every node; %s has none", node.Name)
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
		if len(m.Targets) == 0 {
			return out, errors.New("an ipw monitor needs at least one target")
		}
		for i, t := range m.Targets {
			out.Params = append(out.Params, p("parameters/list["+strconv.Itoa(i)+"]/ip", t))
		}
	case config.MonFIP, config.MonDisk, config.MonService, config.MonMD:
		if m.Target == nil {
			return out, fmt.Errorf("a %s monitor needs a target resource", m.Kind)
		}
		switch m.Kind {
		case config.MonMD:
			// The WebUI leaves target empty for mdw and names the mirror disk as the object.
			out.Params = append(out.Params, p("parameters/object", m.Target.Name))
		case config.MonDisk:
			out.Target = m.Target.Name
			out.Params = append(out.Params, p("parameters/object", m.Target.Device))
		default:
			out.Target = m.Target.Name
		}
	case config.MonGeneric:
		if m.Script == nil {
			return out, errors.New("a genw monitor needs a script")
		}
		out.Params = append(out.Params, p("parameters/path", "genw"+r.scriptExt()))
	default:
		return out, fmt.Errorf("unknown monitor kind %q", m.Kind)
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
	emergency, err := emergencyParams(m.Recovery)
	if err != nil {
		return out, err
	}
	out.Params = append(out.Params, emergency...)
	out.Relation = relationOf(m)
	return out, nil
}

// emergencyParams maps a recovery action to the vendor's thresholds and final action (see
// the table at the top of this file).
func emergencyParams(rc config.Recovery) ([]clpconf.Param, error) {
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
		{Path: "emergency/threshold/fo", Value: strconv.Itoa(failover)},
		{Path: "emergency/action", Value: strconv.Itoa(final)},
	}, nil
}

func relationOf(m *config.Monitor) clpconf.Relation {
	switch {
	case m.Recovery.Resource != nil:
		return clpconf.Relation{Type: "rsc", Name: m.Recovery.Resource.Name}
	case m.Recovery.Group != nil:
		return clpconf.Relation{Type: "grp", Name: m.Recovery.Group.Name}
	case m.Target != nil:
		return clpconf.Relation{Type: "rsc", Name: m.Target.Name}
	case m.Group != nil:
		return clpconf.Relation{Type: "grp", Name: m.Group.Name}
	}
	return clpconf.LocalServer()
}

func digit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
