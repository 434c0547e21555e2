package generate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/clusterctl/cluster/hcl/config"
)

// Host is how a node is reached: the default written for it in var.hosts.
type Host struct {
	Address string
	Port    int
}

// Options say what the generated variables default to and where the cluster came from.
type Options struct {
	// Hosts are the management addresses by node name; a node missing here defaults to its
	// first interconnect address, port 22.
	Hosts          map[string]Host
	SSHUser        string // default "root"
	IdentityFile   string // default "~/.ssh/id_ed25519"
	KnownHostsFile string // default "~/.ssh/known_hosts"
	// Become writes become = true (and BecomeUser, when set) in the ssh block: the node was
	// read through sudo.
	Become     bool
	BecomeUser string
	// Shell and CodePage, when set, are written in the cluster's ssh block: how its nodes
	// run commands (a stock Windows node: "cmd") and their console code page.
	Shell    string
	CodePage int
	// Source names where the cluster was read from, for the files' header comment.
	Source string
	// Prefix, when set, writes the cluster beside others in a directory that already holds a
	// configuration: the cluster is labelled Prefix, its groups and scripts Prefix_<name> (each
	// with name = its clp.conf name), its files are Prefix-cluster.hcl, Prefix-group-<g>.hcl and
	// Prefix-variables.hcl, its scripts live under Prefix/, and its nodes are reached through
	// var.Prefix_hosts. No ssh block is written: the directory's own applies.
	Prefix string
}

// Files is a generated configuration directory: content by slash path relative to it.
type Files map[string][]byte

// Cluster writes cluster c as a configuration directory in canonical layout: cluster.hcl (the
// cluster, its nodes, heartbeats, network partitions and cluster-wide monitors), one
// group-<name>.hcl per failover group (its resources, monitors and scripts), variables.hcl
// (how to reach the nodes), and the scripts and vendor files under scripts/ exactly as the
// vendor lays them out. Loading the directory gives back c: every name must therefore be an HCL
// identifier.
func Cluster(c *config.Cluster, opts Options) (Files, error) {
	g := &generator{c: c, opts: opts, files: Files{}, scriptNames: map[string]bool{}}
	if err := g.checkNames(); err != nil {
		return nil, err
	}
	if opts.Prefix != "" && !hclsyntax.ValidIdentifier(opts.Prefix) {
		return nil, fmt.Errorf("the label %q is not an HCL name", opts.Prefix)
	}
	g.clusterFile()
	for _, grp := range c.Groups {
		g.groupFile(grp)
	}
	g.variablesFile()
	return g.files, nil
}

// The labels and paths of the generated objects: the clp.conf names, or with a Prefix, names
// that cannot collide with the objects already in the directory.

func (g *generator) clusterLabel() string {
	if g.opts.Prefix != "" {
		return g.opts.Prefix
	}
	return g.c.Name
}

func (g *generator) groupLabel(grp *config.Group) string {
	if g.opts.Prefix != "" {
		return g.opts.Prefix + "_" + grp.Name
	}
	return grp.Name
}

// fileName is the name of a generated HCL file.
func (g *generator) fileName(name string) string {
	if g.opts.Prefix != "" {
		return g.opts.Prefix + "-" + name
	}
	return name
}

// filePath is where a script or vendor file at the vendor's path p is written.
func (g *generator) filePath(p string) string {
	if g.opts.Prefix != "" {
		return g.opts.Prefix + "/" + p
	}
	return p
}

func (g *generator) hostsVar() string {
	if g.opts.Prefix != "" {
		return g.opts.Prefix + "_hosts"
	}
	return "hosts"
}

type generator struct {
	c           *config.Cluster
	opts        Options
	files       Files
	scriptNames map[string]bool
}

// checkNames refuses a cluster whose objects cannot be named in HCL.
func (g *generator) checkNames() error {
	var bad []string
	check := func(what, name string) {
		if !hclsyntax.ValidIdentifier(name) {
			bad = append(bad, fmt.Sprintf("%s %q", what, name))
		}
	}
	check("cluster", g.c.Name)
	for _, n := range g.c.Nodes {
		check("server", n.Name)
	}
	for _, h := range g.c.Heartbeats {
		check("heartbeat", h.Name)
	}
	for _, np := range g.c.NetworkPartitions {
		check("network partition", np.Name)
	}
	for _, m := range g.c.AllMonitors() {
		check("monitor", m.Name)
		check("monitor type", string(m.Kind))
	}
	for _, grp := range g.c.Groups {
		check("group", grp.Name)
		for _, r := range grp.Resources {
			check("resource", r.Name)
			check("resource type", string(r.Kind))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("these names cannot be HCL names (a letter or _, then letters, digits, _ or -): %s", strings.Join(bad, ", "))
	}
	return nil
}

func (g *generator) header(body *hclwrite.Body, what string) {
	text := "# " + what + ", written by `cluster import`"
	if g.opts.Source != "" {
		text += " from " + g.opts.Source
	}
	text += ".\n# vendor_parameters carry the clp.conf settings the language does not model, verbatim\n# (docs/vendor-mapping.md).\n"
	body.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(text)}})
	body.AppendNewline()
}

func (g *generator) emit(name string, f *hclwrite.File) {
	g.files[name] = hclwrite.Format(f.Bytes())
}

func (g *generator) clusterFile() {
	c := g.c
	f := hclwrite.NewEmptyFile()
	g.header(f.Body(), "Cluster "+c.Name)
	b := f.Body().AppendNewBlock("cluster", []string{g.clusterLabel()}).Body()
	if g.clusterLabel() != c.Name {
		b.SetAttributeValue("name", cty.StringVal(c.Name))
	}
	b.SetAttributeValue("platform", cty.StringVal(string(c.Platform)))
	if c.InstallDir != "" && c.InstallDir != config.DefaultInstallDir(c.Platform) {
		b.SetAttributeValue("install_dir", cty.StringVal(c.InstallDir))
	}
	setString(b, "comment", c.Comment)
	setString(b, "charset", c.Charset)
	setVendor(b, c.Vendor)
	if g.opts.Shell != "" {
		sb := b.AppendNewBlock("ssh", nil).Body()
		sb.SetAttributeValue("shell", cty.StringVal(g.opts.Shell))
		setInt(sb, "code_page", g.opts.CodePage)
	}
	if len(c.VendorFiles) > 0 {
		var attrs []hclwrite.ObjectAttrTokens
		for _, p := range sortedKeys(c.VendorFiles) {
			g.files[g.filePath(p)] = []byte(c.VendorFiles[p])
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForValue(cty.StringVal(p)), Value: fileCall(g.filePath(p))})
		}
		b.SetAttributeRaw("vendor_files", hclwrite.TokensForObject(attrs))
	}
	for _, n := range c.Nodes {
		b.AppendNewline()
		nb := b.AppendNewBlock("node", []string{n.Name}).Body()
		nb.SetAttributeTraversal("address", hostRef(g.hostsVar(), n.Name, "address"))
		nb.SetAttributeTraversal("port", hostRef(g.hostsVar(), n.Name, "port"))
		nb.SetAttributeValue("priority", cty.NumberIntVal(int64(n.Priority)))
		setStrings(nb, "interconnects", n.Interconnects)
		setString(nb, "mirror_connect", n.MirrorConnect)
		setVendor(nb, n.Vendor)
	}
	for _, h := range c.Heartbeats {
		b.AppendNewline()
		hb := b.AppendNewBlock("heartbeat", []string{h.Name}).Body()
		hb.SetAttributeValue("mode", cty.StringVal(h.Mode))
		hb.SetAttributeValue("interconnect", cty.NumberIntVal(int64(h.Interconnect)))
		hb.SetAttributeValue("priority", cty.NumberIntVal(int64(h.Priority)))
		setVendor(hb, h.Vendor)
	}
	for _, np := range c.NetworkPartitions {
		b.AppendNewline()
		nb := b.AppendNewBlock("network_partition", []string{np.Name}).Body()
		setStrings(nb, "targets", np.Targets)
		setInt(nb, "interval", np.Interval)
		setInt(nb, "timeout", np.Timeout)
		setVendor(nb, np.Vendor)
	}
	if o := c.Options; o.HeartbeatInterval != 0 || o.HeartbeatTimeout != 0 {
		b.AppendNewline()
		ob := b.AppendNewBlock("options", nil).Body()
		setInt(ob, "heartbeat_interval", o.HeartbeatInterval)
		setInt(ob, "heartbeat_timeout", o.HeartbeatTimeout)
	}
	var scripts []*hclwrite.Block
	for _, m := range c.Monitors {
		b.AppendNewline()
		scripts = append(scripts, g.monitor(b, m, nil)...)
	}
	for _, s := range scripts {
		f.Body().AppendNewline()
		f.Body().AppendBlock(s)
	}
	g.emit(g.fileName("cluster.hcl"), f)
}

func (g *generator) groupFile(grp *config.Group) {
	f := hclwrite.NewEmptyFile()
	g.header(f.Body(), "Failover group "+grp.Name)
	b := f.Body().AppendNewBlock("group", []string{g.groupLabel(grp)}).Body()
	if g.groupLabel(grp) != grp.Name {
		b.SetAttributeValue("name", cty.StringVal(grp.Name))
	}
	b.SetAttributeTraversal("cluster", traversal("cluster", g.clusterLabel()))
	setString(b, "comment", grp.Comment)
	var policy []hclwrite.Tokens
	for _, n := range grp.Policy {
		policy = append(policy, hclwrite.TokensForTraversal(traversal("cluster", g.clusterLabel(), "node", n.Name)))
	}
	b.SetAttributeRaw("policy", hclwrite.TokensForTuple(policy))
	if !grp.AutoStart {
		b.SetAttributeValue("auto_start", cty.False)
	}
	if grp.Failback {
		b.SetAttributeValue("failback", cty.True)
	}
	setVendor(b, grp.Vendor)
	var scripts []*hclwrite.Block
	for _, r := range grp.Resources {
		b.AppendNewline()
		scripts = append(scripts, g.resource(b, grp, r)...)
	}
	for _, m := range grp.Monitors {
		b.AppendNewline()
		scripts = append(scripts, g.monitor(b, m, grp)...)
	}
	for _, s := range scripts {
		f.Body().AppendNewline()
		f.Body().AppendBlock(s)
	}
	g.emit(g.fileName("group-"+grp.Name+".hcl"), f)
}

func (g *generator) resource(parent *hclwrite.Body, grp *config.Group, r *config.Resource) []*hclwrite.Block {
	b := parent.AppendNewBlock("resource", []string{string(r.Kind), r.Name}).Body()
	// A required argument is written even when the vendor file lacks its element (its
	// vendor_parameters then remove it), so that the block loads.
	for _, name := range requiredStrings[r.Kind] {
		b.SetAttributeValue(name, cty.StringVal(""))
	}
	setString(b, "ip", r.IP)
	setString(b, "netmask", r.Netmask)
	setString(b, "device", r.Device)
	setString(b, "data_partition", r.DataPartition)
	setString(b, "cluster_partition", r.ClusterPartition)
	setString(b, "mount_point", r.MountPoint)
	setString(b, "fs", r.FS)
	setString(b, "nmp_path", r.NMPPath)
	setStrings(b, "keys", r.RegistryKeys)
	setString(b, "service_name", r.ServiceName)
	var scripts []*hclwrite.Block
	if r.Script != nil {
		name := g.scriptName(r.Name)
		b.SetAttributeTraversal("script", traversal("script", name))
		start, stop := config.ExecScriptPaths(grp.Name, r.Name, g.c.Platform)
		scripts = append(scripts, g.script(name, r.Script, g.filePath(start), g.filePath(stop)))
	}
	if len(r.DependsOn) > 0 {
		var deps []hclwrite.Tokens
		for _, d := range r.DependsOn {
			deps = append(deps, hclwrite.TokensForTraversal(traversal(string(d.Kind), d.Name)))
		}
		b.SetAttributeRaw("depends_on", hclwrite.TokensForTuple(deps))
	}
	setInt(b, "timeout", r.Timeout)
	if !r.Kind.Modelled() && r.Vendor == nil {
		b.SetAttributeValue("vendor_parameters", cty.MapValEmpty(cty.String))
	}
	setVendor(b, r.Vendor)
	return scripts
}

// monitor writes a monitor block in a group (grp set) or the cluster; resources are referred
// to as kind.name in their group, group.<g>.kind.name from the cluster.
func (g *generator) monitor(parent *hclwrite.Body, m *config.Monitor, grp *config.Group) []*hclwrite.Block {
	b := parent.AppendNewBlock("monitor", []string{string(m.Kind), m.Name}).Body()
	ref := func(r *config.Resource) hcl.Traversal {
		if grp != nil && r.Group == grp {
			return traversal(string(r.Kind), r.Name)
		}
		return traversal("group", g.groupLabel(r.Group), string(r.Kind), r.Name)
	}
	if m.Target != nil {
		b.SetAttributeTraversal("target", ref(m.Target))
	}
	setStrings(b, "targets", m.Targets)
	var scripts []*hclwrite.Block
	if m.Script != nil {
		name := g.scriptName(m.Name)
		b.SetAttributeTraversal("script", traversal("script", name))
		scripts = append(scripts, g.script(name, m.Script, g.filePath(config.MonitorScriptPath(m.Name, g.c.Platform)), ""))
	}
	setInt(b, "interval", m.Interval)
	setInt(b, "timeout", m.Timeout)
	setInt(b, "retry", m.Retry)
	if rc := m.Recovery; rc.Action != "" || rc.Group != nil || rc.Resource != nil || rc.MaxRestarts != 0 {
		rb := b.AppendNewBlock("recovery", nil).Body()
		setString(rb, "action", rc.Action)
		switch {
		case rc.Group != nil:
			rb.SetAttributeTraversal("target", traversal("group", g.groupLabel(rc.Group)))
		case rc.Resource != nil:
			rb.SetAttributeTraversal("target", ref(rc.Resource))
		}
		setInt(rb, "max_restarts", rc.MaxRestarts)
	}
	if !m.Kind.Modelled() && m.Vendor == nil {
		b.SetAttributeValue("vendor_parameters", cty.MapValEmpty(cty.String))
	}
	setVendor(b, m.Vendor)
	return scripts
}

// script writes a literal script block whose content is read from files beside the
// configuration, at the paths the vendor uses for them (config.ExecScriptPaths,
// config.MonitorScriptPath); stop is "" for a monitor's single script.
func (g *generator) script(name string, s *config.Script, start, stop string) *hclwrite.Block {
	blk := hclwrite.NewBlock("script", []string{name})
	b := blk.Body()
	var unknown []cty.Value
	var missing []string
	add := func(attr, path, content string) {
		if s.Unknown(attr) {
			// No file: nothing to write at path until the user supplies the node's own.
			unknown = append(unknown, cty.StringVal(attr))
			missing = append(missing, path)
			return
		}
		g.files[path] = []byte(content)
		b.SetAttributeRaw(attr, fileCall(path))
	}
	add("start", start, s.Start)
	if stop != "" {
		add("stop", stop, s.Stop)
	}
	if len(unknown) > 0 {
		text := "# Not imported (not beside clp.conf): " + strings.Join(missing, ", ") + ".\n" +
			"# Plan and apply refuse this cluster until you copy the node's files to those paths\n" +
			"# and set start/stop = file(\"...\") here in place of unknown_content.\n"
		b.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(text)}})
		b.SetAttributeValue("unknown_content", cty.ListVal(unknown))
	}
	setString(b, "charset", s.Charset)
	return blk
}

// scriptName returns a script name not used yet, preferring the owner's name.
func (g *generator) scriptName(owner string) string {
	if g.opts.Prefix != "" {
		owner = g.opts.Prefix + "_" + owner
	}
	name := owner
	for i := 2; g.scriptNames[name]; i++ {
		name = fmt.Sprintf("%s_%d", owner, i)
	}
	g.scriptNames[name] = true
	return name
}

func (g *generator) variablesFile() {
	f := hclwrite.NewEmptyFile()
	g.header(f.Body(), "How to reach the nodes of cluster "+g.c.Name)
	body := f.Body()

	hosts := map[string]cty.Value{}
	for _, n := range g.c.Nodes {
		h, ok := g.opts.Hosts[n.Name]
		if !ok && len(n.Interconnects) > 0 {
			h = Host{Address: n.Interconnects[0]}
		}
		if h.Port == 0 {
			h.Port = 22
		}
		hosts[n.Name] = cty.ObjectVal(map[string]cty.Value{"address": cty.StringVal(h.Address), "port": cty.NumberIntVal(int64(h.Port))})
	}
	v := body.AppendNewBlock("variable", []string{g.hostsVar()}).Body()
	v.SetAttributeRaw("type", hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte("map(object({ address = string, port = number }))")}})
	desc := "Management (SSH) address and port of every cluster server, by node name."
	if g.opts.Prefix != "" {
		desc = "Management (SSH) address and port of every server of cluster " + g.c.Name + ", by node name."
	}
	v.SetAttributeValue("description", cty.StringVal(desc))
	if len(hosts) > 0 {
		v.SetAttributeValue("default", cty.ObjectVal(hosts))
	}
	if g.opts.Prefix != "" {
		// The directory already declares the SSH settings and their variables.
		g.emit(g.fileName("variables.hcl"), f)
		return
	}
	for _, sv := range []struct{ name, def, desc string }{
		{"ssh_user", or(g.opts.SSHUser, "root"), "Login user on every node."},
		{"identity_file", or(g.opts.IdentityFile, "~/.ssh/id_ed25519"), "Private key used to log in."},
		{"known_hosts_file", or(g.opts.KnownHostsFile, "~/.ssh/known_hosts"), "Host keys of the nodes; an unknown or changed key is refused."},
	} {
		body.AppendNewline()
		b := body.AppendNewBlock("variable", []string{sv.name}).Body()
		b.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
		b.SetAttributeValue("default", cty.StringVal(sv.def))
		b.SetAttributeValue("description", cty.StringVal(sv.desc))
	}
	body.AppendNewline()
	ssh := body.AppendNewBlock("ssh", nil).Body()
	ssh.SetAttributeTraversal("user", traversal("var", "ssh_user"))
	ssh.SetAttributeRaw("identity_files", hclwrite.TokensForTuple([]hclwrite.Tokens{hclwrite.TokensForTraversal(traversal("var", "identity_file"))}))
	ssh.SetAttributeTraversal("known_hosts_file", traversal("var", "known_hosts_file"))
	if g.opts.Become {
		ssh.SetAttributeValue("become", cty.True)
		if g.opts.BecomeUser != "" {
			ssh.SetAttributeValue("become_user", cty.StringVal(g.opts.BecomeUser))
		}
	}
	g.emit("variables.hcl", f)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// requiredStrings are the required string arguments of each resource kind (hcl/config schema).
var requiredStrings = map[config.ResourceKind][]string{
	config.ResFIP: {"ip"}, config.ResVIP: {"ip"}, config.ResDisk: {"device"},
	config.ResMD: {"data_partition", "cluster_partition"}, config.ResService: {"service_name"},
}

func traversal(root string, attrs ...string) hcl.Traversal {
	t := hcl.Traversal{hcl.TraverseRoot{Name: root}}
	for _, a := range attrs {
		t = append(t, hcl.TraverseAttr{Name: a})
	}
	return t
}

// hostRef is var.<hosts>["name"].attr.
func hostRef(hosts, node, attr string) hcl.Traversal {
	return hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: hosts},
		hcl.TraverseIndex{Key: cty.StringVal(node)}, hcl.TraverseAttr{Name: attr}}
}

func fileCall(path string) hclwrite.Tokens {
	return hclwrite.TokensForFunctionCall("file", hclwrite.TokensForValue(cty.StringVal(path)))
}

func setString(b *hclwrite.Body, name, v string) {
	if v != "" {
		b.SetAttributeValue(name, cty.StringVal(v))
	}
}

func setInt(b *hclwrite.Body, name string, v int) {
	if v != 0 {
		b.SetAttributeValue(name, cty.NumberIntVal(int64(v)))
	}
}

func setStrings(b *hclwrite.Body, name string, vs []string) {
	if len(vs) == 0 {
		return
	}
	vals := make([]cty.Value, len(vs))
	for i, v := range vs {
		vals[i] = cty.StringVal(v)
	}
	b.SetAttributeValue(name, cty.ListVal(vals))
}

// setVendor writes vendor_parameters, one entry per line in path order; a removal is null.
func setVendor(b *hclwrite.Body, v config.VendorParams) {
	if len(v) == 0 {
		return
	}
	var attrs []hclwrite.ObjectAttrTokens
	for _, k := range v.Keys() {
		val := cty.NullVal(cty.String)
		if v[k] != nil {
			val = cty.StringVal(*v[k])
		}
		attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForValue(cty.StringVal(k)), Value: hclwrite.TokensForValue(val)})
	}
	b.SetAttributeRaw("vendor_parameters", hclwrite.TokensForObject(attrs))
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
