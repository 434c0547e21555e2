package config

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/hcl/addrs"
)

func (l *loader) decodeCluster(b *hcl.Block) {
	name := b.Labels[0]
	if !l.validName(b, "cluster") {
		return
	}
	c := &Cluster{Addr: l.at(addrs.Cluster(l.step(b))), Name: name, DeclRange: b.DefRange}
	if !l.declare(c.Addr, c, b) {
		return
	}
	l.cfg.Clusters[mapKey(c.Addr)] = c
	content, diags := b.Body.Content(clusterSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(c, content)
	r.clpName(&c.Name)
	var platform string
	if r.oneOf("platform", &platform, string(Linux), string(Windows)) {
		c.Platform = Platform(platform)
	}
	r.str("install_dir", &c.InstallDir)
	r.str("comment", &c.Comment)
	r.str("charset", &c.Charset)
	r.vendor("vendor_parameters", &c.Vendor)
	r.vendorFiles("vendor_files", &c.VendorFiles)

	blocks := byType(content.Blocks)
	l.clusterSSH[c] = sshOver(l.singleSSH(blocks["ssh"], c), l.modSSH)
	for i, nb := range blocks["node"] {
		l.decodeClusterNode(nb, c, i)
	}
	for i, hb := range blocks["heartbeat"] {
		l.decodeHeartbeat(hb, c, i)
	}
	for _, nb := range blocks["network_partition"] {
		l.decodeNetworkPartition(nb, c)
	}
	for i, ob := range blocks["options"] {
		if i > 0 {
			l.errorf(ob.TypeRange.Ptr(), "Duplicate options block",
				"Only one options block is allowed in a cluster; the first is at %s. Merge the two blocks.", blocks["options"][0].DefRange)
			continue
		}
		l.decodeOptions(ob, c)
	}
	for i, pb := range blocks["ports"] {
		if i > 0 {
			l.errorf(pb.TypeRange.Ptr(), "Duplicate ports block",
				"Only one ports block is allowed in a cluster; the first is at %s. Merge the two blocks.", blocks["ports"][0].DefRange)
			continue
		}
		l.decodePorts(pb, c)
	}
	for _, mb := range blocks["monitor"] {
		l.expand(mb, func(mb *hcl.Block) {
			if m := l.decodeMonitor(mb, c.Addr, nil); m != nil {
				m.Cluster = c
				c.Monitors = append(c.Monitors, m)
			}
		})
	}
}

func (l *loader) decodeClusterNode(b *hcl.Block, c *Cluster, index int) {
	name := b.Labels[0]
	if !l.validName(b, "node") {
		return
	}
	n := &ClusterNode{Addr: c.Addr.Child(addrs.KindClusterNode, "node", name), Name: name, Cluster: c, DeclRange: b.DefRange}
	if !l.declare(n.Addr, n, b) {
		return
	}
	l.order[n] = index
	c.Nodes = append(c.Nodes, n)
	content, diags := b.Body.Content(clusterNodeSchema)
	l.diags = append(l.diags, diags...)
	n.Endpoint.SSH = l.singleSSH(byType(content.Blocks)["ssh"], n)
	r := l.reader(n, content)
	l.readEndpoint(r, &n.Endpoint)
	r.integer("priority", &n.Priority, 0, maxCount)
	r.strs("interconnects", &n.Interconnects)
	r.str("mirror_connect", &n.MirrorConnect)
	r.vendor("vendor_parameters", &n.Vendor)
}

// readEndpoint reads the connection arguments a cluster node and a node share.
func (l *loader) readEndpoint(r attrReader, e *Endpoint) {
	r.str("address", &e.Address)
	r.integer("port", &e.Port, 1, maxPort)
	r.str("user", &e.SSH.User) // the node's user overrides its own ssh block's
	r.str("host_key", &e.HostKey)
}

func (l *loader) decodeHeartbeat(b *hcl.Block, c *Cluster, index int) {
	name := b.Labels[0]
	if !l.validName(b, "heartbeat") {
		return
	}
	h := &Heartbeat{Addr: c.Addr.Child(addrs.KindHeartbeat, "heartbeat", name), Name: name, Mode: "kernel", DeclRange: b.DefRange}
	if !l.declare(h.Addr, h, b) {
		return
	}
	l.order[h] = index
	c.Heartbeats = append(c.Heartbeats, h)
	content, diags := b.Body.Content(heartbeatSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(h, content)
	r.oneOf("mode", &h.Mode, "kernel", "user")
	r.integer("interconnect", &h.Interconnect, 0, maxCount)
	r.integer("priority", &h.Priority, 0, maxCount)
	r.vendor("vendor_parameters", &h.Vendor)
}

func (l *loader) decodeNetworkPartition(b *hcl.Block, c *Cluster) {
	name := b.Labels[0]
	if !l.validName(b, "network_partition") {
		return
	}
	np := &NetworkPartition{Addr: c.Addr.Child(addrs.KindNetworkPartition, "network_partition", name), Name: name, DeclRange: b.DefRange}
	if !l.declare(np.Addr, np, b) {
		return
	}
	c.NetworkPartitions = append(c.NetworkPartitions, np)
	content, diags := b.Body.Content(networkPartitionSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(np, content)
	r.strs("targets", &np.Targets)
	r.integer("interval", &np.Interval, 1, maxCount)
	r.integer("timeout", &np.Timeout, 1, maxCount)
	r.vendor("vendor_parameters", &np.Vendor)
	if np.Targets != nil && len(np.Targets) == 0 {
		l.errorf(l.where(np, "targets", b.DefRange), "Empty list",
			"A network partition resolver needs at least one ping target. List the addresses to ping, e.g. [\"192.168.0.254\"].")
	}
}

func (l *loader) decodeOptions(b *hcl.Block, c *Cluster) {
	content, diags := b.Body.Content(optionsSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(&c.Options, content)
	r.integer("heartbeat_interval", &c.Options.HeartbeatInterval, 1, maxCount)
	r.integer("heartbeat_timeout", &c.Options.HeartbeatTimeout, 1, maxCount)
}

// decodePorts reads the packet filter of the cluster's nodes: the ports it lets through.
func (l *loader) decodePorts(b *hcl.Block, c *Cluster) {
	content, diags := b.Body.Content(portsSchema)
	l.diags = append(l.diags, diags...)
	c.Ports = &PortFilter{}
	l.blockRanges[c.Ports] = b.DefRange
	r := l.reader(c.Ports, content)
	r.ports("tcp_in", &c.Ports.TCPIn)
	r.ports("udp_in", &c.Ports.UDPIn)
	r.ports("tcp_out", &c.Ports.TCPOut)
	r.ports("udp_out", &c.Ports.UDPOut)
}
