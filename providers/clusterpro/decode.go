package clusterpro

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clusterctl/cluster/charset"
	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

// Decode turns a configuration directory, clp.conf and the files beside it (slash paths
// relative to the directory: "scripts/<group>/<resource>/start.sh"), into the model the
// configuration language produces, for the cluster labelled name. It is the exact inverse of
// rendering: DesiredConf of the result gives doc back (apart from the vendor's bookkeeping),
// and the cluster's files give files back. What the language does not model travels as
// vendor_parameters and vendor_files, so nothing is lost.
//
// The result has no endpoints (clp.conf does not say how to reach a node) and no declaration
// ranges; objects are linked as the loader links them.
func Decode(name string, doc *clpconf.Document, files map[string][]byte) (*config.Cluster, error) {
	d := &decoder{doc: doc, files: files, used: map[string]bool{}}
	c, err := d.cluster(name)
	if err != nil {
		return nil, fmt.Errorf("clp.conf: %w", err)
	}
	if err := d.fillResidual(c); err != nil {
		return nil, err
	}
	return c, nil
}

type decoder struct {
	doc      *clpconf.Document
	files    map[string][]byte
	used     map[string]bool // files consumed by a script
	platform config.Platform
	windows  bool
	charset  string
}

func (d *decoder) cluster(name string) (*config.Cluster, error) {
	all := d.doc.All()
	c := &config.Cluster{Addr: addrs.Cluster(name), Name: name, Platform: config.Linux, Comment: d.doc.ClusterComment(), Charset: all.Charset}
	if strings.EqualFold(all.ServerOS, "windows") {
		c.Platform = config.Windows
	}
	d.platform, d.windows = c.Platform, c.Platform == config.Windows
	d.charset = c.Charset
	c.InstallDir = config.DefaultInstallDir(c.Platform)
	if c.Charset == "" {
		c.Charset = config.DefaultCharset(c.Platform)
	}
	c.Options.HeartbeatInterval = secondsAt(d.doc.Root, "cluster/heartbeat/interval")
	c.Options.HeartbeatTimeout = secondsAt(d.doc.Root, "cluster/heartbeat/timeout")
	if err := d.nodes(c); err != nil {
		return nil, err
	}
	if err := d.heartbeats(c); err != nil {
		return nil, err
	}
	if err := d.partitions(c); err != nil {
		return nil, err
	}
	if err := d.groups(c); err != nil {
		return nil, err
	}
	if err := d.monitors(c); err != nil {
		return nil, err
	}
	return c, nil
}

// secondsAt reads a millisecond setting as whole seconds, as options() writes it; any other
// value is left to the vendor parameters.
func secondsAt(e *clpconf.Element, path string) int {
	v, ok := e.Value(path)
	if !ok {
		return 0
	}
	ms, err := strconv.Atoi(v)
	if err != nil || ms <= 0 || ms%1000 != 0 {
		return 0
	}
	return ms / 1000
}

func (d *decoder) nodes(c *config.Cluster) error {
	servers, err := d.doc.Servers()
	if err != nil {
		return err
	}
	slices.SortStableFunc(servers, func(a, b clpconf.Server) int { return a.Priority - b.Priority })
	for _, s := range servers {
		n := &config.ClusterNode{Addr: addrs.ClusterNode(c.Name, s.Name), Name: s.Name, Cluster: c, Priority: s.Priority}
		lans := map[int]string{}
		for _, dev := range s.Devices {
			switch {
			case dev.Type == "lan" && dev.ID >= clpconf.DeviceLAN && dev.ID < clpconf.DeviceDiskHB:
				lans[dev.ID] = dev.Info
			case dev.Type == "mdc" && dev.ID == clpconf.DeviceMDC:
				n.MirrorConnect = dev.Info
			}
		}
		// Interconnects are lan devices 0, 1, ... without a gap; any other lan device is a
		// vendor parameter.
		for i := 0; ; i++ {
			addr, ok := lans[clpconf.DeviceLAN+i]
			if !ok {
				break
			}
			n.Interconnects = append(n.Interconnects, addr)
		}
		c.Nodes = append(c.Nodes, n)
	}
	return nil
}

func (d *decoder) heartbeats(c *config.Cluster) error {
	hbs, err := d.doc.Heartbeats()
	if err != nil {
		return err
	}
	for _, hb := range hbs {
		if hb.Type != "lankhb" && hb.Type != "lanhb" {
			continue // another heartbeat kind (disk, witness, ...) stays in the cluster's vendor parameters
		}
		if hb.Device < clpconf.DeviceLAN || hb.Device >= clpconf.DeviceDiskHB {
			continue // not on an interconnect LAN: a vendor parameter of the cluster
		}
		mode := "kernel"
		if hb.Type == "lanhb" {
			mode = "user"
		}
		c.Heartbeats = append(c.Heartbeats, &config.Heartbeat{
			Addr: addrs.Heartbeat(c.Name, hb.Name), Name: hb.Name, Mode: mode,
			Interconnect: hb.Device - clpconf.DeviceLAN, Priority: hb.Priority,
		})
	}
	slices.SortStableFunc(c.Heartbeats, func(a, b *config.Heartbeat) int { return a.Priority - b.Priority })
	return nil
}

func (d *decoder) partitions(c *config.Cluster) error {
	nps, err := d.doc.PingNPs()
	if err != nil {
		return err
	}
	for _, np := range nps {
		c.NetworkPartitions = append(c.NetworkPartitions, &config.NetworkPartition{
			Addr: addrs.NetworkPartition(c.Name, np.Name), Name: np.Name,
			Targets: np.Targets, Interval: np.Interval, Timeout: np.Timeout,
		})
	}
	return nil
}

func (d *decoder) groups(c *config.Cluster) error {
	groups, err := d.doc.Groups()
	if err != nil {
		return err
	}
	byType := map[string]clpconf.Resource{}
	for _, r := range d.doc.Resources() {
		byType[clpconf.MemberRef(r.Type, r.Name)] = r
	}
	nodes := map[string]*config.ClusterNode{}
	for _, n := range c.Nodes {
		nodes[n.Name] = n
	}
	for _, cg := range groups {
		g := &config.Group{Addr: addrs.Group(cg.Name), Name: cg.Name, Cluster: c, Comment: cg.Comment,
			AutoStart: cg.AutoStart, Failback: cg.AutoFailback}
		for _, s := range cg.Servers() {
			if n, ok := nodes[s]; ok {
				g.Policy = append(g.Policy, n)
			}
		}
		if len(cg.Policy) == 0 {
			g.Policy = slices.Clone(c.Nodes) // no policy: every server, in priority order
		}
		for _, ref := range cg.Resources {
			cr, ok := byType[ref]
			if !ok {
				continue // a member without a resource element stays a vendor parameter of the group
			}
			res, err := d.resource(g, cr)
			if err != nil {
				return fmt.Errorf("resource %s: %w", ref, err)
			}
			g.Resources = append(g.Resources, res)
		}
		c.Groups = append(c.Groups, g)
	}
	slices.SortStableFunc(c.Groups, func(a, b *config.Group) int { return strings.Compare(a.Name, b.Name) })
	// Dependencies within a group; any other <depend> stays a vendor parameter.
	for _, g := range c.Groups {
		for _, res := range g.Resources {
			for _, dep := range byType[clpconf.MemberRef(config.VendorResourceType(res.Kind, d.platform), res.Name)].Depends {
				if i := slices.IndexFunc(g.Resources, func(r *config.Resource) bool { return r.Name == dep }); i >= 0 {
					res.DependsOn = append(res.DependsOn, g.Resources[i])
				}
			}
		}
	}
	return nil
}

func (d *decoder) resource(g *config.Group, cr clpconf.Resource) (*config.Resource, error) {
	kind := config.ResourceKindOf(cr.Type, d.platform)
	if config.VendorResourceType(kind, d.platform) != cr.Type {
		return nil, fmt.Errorf("a %s resource cannot be expressed on %s: the language names the %s resource of this platform %q",
			cr.Type, platformName(d.windows), kind, config.VendorResourceType(kind, d.platform))
	}
	res := &config.Resource{Addr: addrs.Resource(g.Name, string(kind), cr.Name), Kind: kind, Name: cr.Name, Group: g}
	p := func(path string) string { v, _ := clpconf.ParamValue(cr.Params, path); return v }
	switch kind {
	case config.ResFIP:
		res.IP = p("parameters/ip")
	case config.ResVIP:
		res.IP, res.Netmask = p("parameters/ip"), p("parameters/netmask")
	case config.ResDisk:
		if d.windows {
			res.Device = driveOf(p("parameters/volumemountpoint"))
		} else {
			res.Device, res.MountPoint, res.FS = p("parameters/device"), p("parameters/mount/point"), p("parameters/fs")
		}
	case config.ResMD:
		if d.windows {
			res.DataPartition = driveOf(p("parameters/volumemountpoint"))
			res.ClusterPartition = driveOf(p("parameters/cpvolumemountpoint"))
		} else {
			res.DataPartition, res.ClusterPartition = p("parameters/diskdev/dppath"), p("parameters/diskdev/cppath")
			res.MountPoint, res.FS, res.NMPPath = p("parameters/mount/point"), p("parameters/fs"), p("parameters/nmppath")
		}
	case config.ResRegSync:
		for i := 0; ; i++ {
			k, ok := clpconf.ParamValue(cr.Params, "parameters/key["+strconv.Itoa(i)+"]")
			if !ok {
				break
			}
			res.RegistryKeys = append(res.RegistryKeys, k)
		}
	case config.ResService:
		res.ServiceName = p("parameters/name")
	case config.ResExec:
		start, stop := config.ExecScriptPaths(g.Name, cr.Name, d.platform)
		script, err := d.script(cr.Name, start, stop)
		if err != nil {
			return nil, err
		}
		res.Script = script
	}
	res.Timeout = d.timeout(kind, cr.Params)
	return res, nil
}

func platformName(windows bool) string {
	if windows {
		return "Windows"
	}
	return "Linux"
}

// driveOf is the inverse of driveLetter: "E" is drive "E:".
func driveOf(letter string) string {
	if letter == "" {
		return ""
	}
	return letter + ":"
}

// timeout reads what timeoutParams writes; anything else is left to the vendor parameters.
func (d *decoder) timeout(kind config.ResourceKind, ps []clpconf.Param) int {
	v, ok := clpconf.ParamValue(ps, "act/timeout")
	if kind == config.ResExec {
		v, ok = clpconf.ParamValue(ps, "parameters/timeout/start")
	}
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// script reads a script pair (or, with stop "", a monitor's single script) from the files at
// those paths.
func (d *decoder) script(name, start, stop string) (*config.Script, error) {
	s := &config.Script{Addr: addrs.Script(name), Name: name, EnvPrefix: "CLP", OnDiskFailure: "abort"}
	read := func(path string) (string, error) {
		b, ok := d.files[path]
		if !ok {
			return "", nil
		}
		d.used[path] = true
		text, charset, err := d.text(b)
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		if charset != "" {
			s.Charset = charset
		}
		return text, nil
	}
	var err error
	if s.Start, err = read(start); err != nil {
		return nil, err
	}
	if stop != "" {
		if s.Stop, err = read(stop); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// text turns a script file into UTF-8 text: as it is when it is UTF-8, else from the
// cluster's charset (or SJIS, which the vendor's Japanese Windows scripts use), reporting
// which, spelled as the script's charset attribute takes it.
func (d *decoder) text(b []byte) (string, string, error) {
	if utf8.Valid(b) {
		return string(b), "", nil
	}
	for _, cs := range []string{d.charset, "SJIS", "EUC-JP"} {
		kind, err := charset.Lookup(cs)
		if err != nil || kind == charset.UTF8 || kind == charset.ASCII {
			continue // unknown, or a charset whose text is valid UTF-8: tried above
		}
		if t, err := charset.Decode(cs, b); err == nil {
			return t, kind.Name(), nil
		}
	}
	return "", "", fmt.Errorf("neither UTF-8 nor %s text", d.charset)
}

func (d *decoder) monitors(c *config.Cluster) error {
	resources := map[string]*config.Resource{}
	groups := map[string]*config.Group{}
	for _, g := range c.Groups {
		groups[g.Name] = g
		for _, r := range g.Resources {
			resources[r.Name] = r
		}
	}
	for _, cm := range d.doc.Monitors() {
		m := &config.Monitor{Addr: addrs.Monitor(c.Name, cm.Name), Kind: config.MonitorKind(cm.Type), Name: cm.Name, Cluster: c}
		p := func(path string) (string, bool) { return clpconf.ParamValue(cm.Params, path) }
		num := func(path string) int {
			v, _ := p(path)
			n, _ := strconv.Atoi(v)
			return max(n, 0)
		}
		switch m.Kind {
		case config.MonFIP, config.MonService:
			m.Target = resources[cm.Target]
		case config.MonDisk:
			if !d.windows {
				m.Target = resources[cm.Target]
			}
		case config.MonMD, config.MonMDN, config.MonSD:
			obj, _ := p("parameters/object")
			m.Target = resources[obj]
		case config.MonIP:
			for i := 0; ; i++ {
				ip, ok := p("parameters/list[" + strconv.Itoa(i) + "]/ip")
				if !ok {
					break
				}
				m.Targets = append(m.Targets, ip)
			}
		case config.MonGeneric:
			s, err := d.script(cm.Name, config.MonitorScriptPath(cm.Name, d.platform), "")
			if err != nil {
				return err
			}
			m.Script = s
		}
		if want, ok := config.TargetKind[m.Kind]; ok && (m.Target == nil || m.Target.Kind != want) {
			m.Target = nil // not a resource of the right kind: the elements stay vendor parameters
		}
		m.Interval, m.Timeout, m.Retry = num("polling/interval"), num("polling/timeout"), num("polling/reconfirmation")
		m.Recovery = d.recovery(cm, groups, resources)
		m.Group = monitorGroup(m, cm.Relation, groups)
		if m.Group != nil {
			m.Group.Monitors = append(m.Group.Monitors, m)
		} else {
			c.Monitors = append(c.Monitors, m)
		}
	}
	// A relation equal to the vendor's default is not written in the configuration.
	for _, m := range c.AllMonitors() {
		if relationOf(m, d.windows) == defaultRelation(m, d.windows) {
			m.Recovery.Group, m.Recovery.Resource = nil, nil
		}
	}
	return nil
}

// recovery reads the emergency settings written by emergencyParams and the relation.
func (d *decoder) recovery(cm clpconf.Monitor, groups map[string]*config.Group, resources map[string]*config.Resource) config.Recovery {
	var rc config.Recovery
	switch cm.Relation.Type {
	case "grp":
		rc.Group = groups[cm.Relation.Name]
	case "rsc":
		rc.Resource = resources[cm.Relation.Name]
	}
	restart, okR := clpconf.ParamValue(cm.Params, "emergency/threshold/restart")
	fo, okF := clpconf.ParamValue(cm.Params, failoverThreshold(d.windows))
	final, okA := clpconf.ParamValue(cm.Params, "emergency/action")
	if !okR || !okF || !okA {
		return rc // partial emergency settings are vendor parameters
	}
	r, err1 := strconv.Atoi(restart)
	f, err2 := strconv.Atoi(fo)
	a, err3 := strconv.Atoi(final)
	if err1 != nil || err2 != nil || err3 != nil || r < 0 {
		return rc
	}
	switch {
	case f == 1 && a == 1:
		rc.Action = "failover"
	case f != 0:
		return rc
	case a == 1 && r == 0:
		rc.Action = "none"
	case a == 1:
		rc.Action = "restart"
	case a == 2:
		rc.Action = "stop_group"
	case a == 3:
		rc.Action = "stop_cluster"
	case a == 4:
		rc.Action = "shutdown"
	default:
		return rc
	}
	if rc.Action != "none" {
		rc.MaxRestarts = r
	}
	return rc
}

// monitorGroup places a monitor in the group it recovers or watches; cluster-wide otherwise.
func monitorGroup(m *config.Monitor, rel clpconf.Relation, groups map[string]*config.Group) *config.Group {
	switch {
	case rel.Type == "grp" && groups[rel.Name] != nil:
		return groups[rel.Name]
	case m.Recovery.Resource != nil:
		return m.Recovery.Resource.Group
	case m.Target != nil:
		return m.Target.Group
	}
	return nil
}

// fillResidual renders the decoded model's first layer and records, object by object, what it
// does not reproduce of the file as vendor parameters; files no script consumed become vendor
// files.
func (d *decoder) fillResidual(c *config.Cluster) error {
	typed, err := typedConf(c)
	if err != nil {
		return fmt.Errorf("%s: %w", c.Addr, err)
	}
	objects := c.VendorObjects()
	paths := map[string]bool{}
	for _, o := range objects[1:] {
		paths[o.Path] = true
	}
	for _, o := range objects {
		orig, rendered := d.doc.Root, typed.Root
		skip := clusterSkip(paths)
		if o.Path != "" {
			orig, rendered, skip = d.doc.Root.Find(o.Path), typed.Root.Find(o.Path), nil
		}
		if orig == nil || rendered == nil {
			return fmt.Errorf("%s: <%s> is missing while decoding", c.Addr, o.Path)
		}
		if v := residual(orig, rendered, skip); len(v) > 0 {
			*o.Params = v
		}
	}
	for path, b := range d.files {
		if d.used[path] || !config.ValidVendorFile(path) {
			continue
		}
		if !utf8.Valid(b) {
			return fmt.Errorf("%s: only UTF-8 files can be carried as vendor_files", path)
		}
		if c.VendorFiles == nil {
			c.VendorFiles = map[string]string{}
		}
		c.VendorFiles[path] = string(b)
	}
	return nil
}
