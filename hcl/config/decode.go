package config

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// decodeBlocks decodes every top-level block other than variables and locals into the model.
// Blocks that may repeat (for_each, count) go through l.expand; module calls come first, so
// that the other blocks and the outputs can use their outputs (module.NAME.OUTPUT).
func (l *loader) decodeBlocks() {
	if l.modPrefix == "" {
		l.topSSH = l.singleSSH(l.blocks["ssh"], l.cfg)
	} else {
		l.modSSH = sshOver(l.singleSSH(l.blocks["ssh"], l.cfg), l.modSSH)
	}
	l.decodeModuleCalls()
	for _, b := range l.blocks["cluster"] {
		l.expand(b, l.decodeCluster)
	}
	for _, b := range l.blocks["node"] {
		l.decodeNode(b)
	}
	for _, b := range l.blocks["script"] {
		l.expand(b, l.decodeScript)
	}
	for _, b := range l.blocks["group"] {
		l.expand(b, l.decodeGroup)
	}
	for _, b := range l.blocks["server_scan"] {
		l.decodeServerScan(b)
	}
	for i, b := range l.blocks["scan_server"] {
		l.decodeScanServer(b, i)
	}
	for _, b := range l.blocks["status_file"] {
		l.expand(b, l.decodeStatusFile)
	}
	for _, b := range l.blocks["server_group"] {
		l.expand(b, l.decodeServerGroup)
	}
	l.decodeOutputs()
}

func (l *loader) decodeNode(b *hcl.Block) {
	name := b.Labels[0]
	if !l.validName(b, "node") {
		return
	}
	n := &Node{Addr: l.at(addrs.Node(name)), Name: name, DeclRange: b.DefRange}
	if !l.declare(n.Addr, n, b) {
		return
	}
	l.cfg.Nodes[mapKey(n.Addr)] = n
	content, diags := b.Body.Content(nodeSchema)
	l.diags = append(l.diags, diags...)
	n.Endpoint.SSH = sshOver(l.singleSSH(byType(content.Blocks)["ssh"], n), l.modSSH)
	l.readEndpoint(l.reader(n, content), &n.Endpoint)
}

// nodeRef queues the resolution of an argument naming a top-level node.
func (l *loader) nodeRef(content *hcl.BodyContent, attr string, set func(*Node)) {
	a, ok := content.Attributes[attr]
	if !ok {
		return
	}
	l.later(func() {
		if rf, ok := l.resolve(a.Expr, refQuery{attr: attr, example: "node.web1", kinds: []addrs.Kind{addrs.KindNode}}); ok {
			set(rf.obj.(*Node))
		}
	})
}

func (l *loader) decodeServerScan(b *hcl.Block) {
	name := b.Labels[0]
	if !l.validName(b, "server_scan") {
		return
	}
	s := &ServerScan{Addr: l.at(addrs.ServerScan(name)), Name: name, DeclRange: b.DefRange}
	if !l.declare(s.Addr, s, b) {
		return
	}
	l.cfg.ServerScans[mapKey(s.Addr)] = s
	content, diags := b.Body.Content(serverScanSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(s, content)
	r.str("install_dir", &s.InstallDir)
	r.integer("port", &s.Port, 1, maxPort)
	r.boolean("check_connector", &s.CheckConnector)
	l.nodeRef(content, "node", func(n *Node) { s.Node = n })
}

func (l *loader) decodeScanServer(b *hcl.Block, index int) {
	name := b.Labels[0]
	if !l.validName(b, "scan_server") {
		return
	}
	s := &ScanServer{Addr: l.at(addrs.ScanServer(name)), Name: name, Role: "normal", DeclRange: b.DefRange}
	if !l.declare(s.Addr, s, b) {
		return
	}
	l.order[s] = index
	l.cfg.ScanServers[mapKey(s.Addr)] = s
	content, diags := b.Body.Content(scanServerSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(s, content)
	r.str("connector", &s.Connector)
	r.str("service", &s.Service)
	r.integer("port", &s.Port, 1, maxPort)
	r.oneOf("role", &s.Role, "normal", "standby")
	r.integer("order", &s.Order, 0, maxCount)
	if a, ok := content.Attributes["server_scan"]; ok {
		l.later(func() {
			if rf, ok := l.resolve(a.Expr, refQuery{attr: "server_scan", example: "server_scan.mail", kinds: []addrs.Kind{addrs.KindServerScan}}); ok {
				s.ServerScan = rf.obj.(*ServerScan)
				s.ServerScan.Servers = append(s.ServerScan.Servers, s)
			}
		})
	}
}

func (l *loader) decodeServerGroup(b *hcl.Block) {
	name := b.Labels[0]
	if !l.validName(b, "server_group") {
		return
	}
	sg := &ServerGroup{Addr: l.at(addrs.ServerGroup(l.step(b))), Name: name, DeclRange: b.DefRange}
	if !l.declare(sg.Addr, sg, b) {
		return
	}
	l.cfg.ServerGroups[mapKey(sg.Addr)] = sg
	content, diags := b.Body.Content(serverGroupSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(sg, content)
	r.str("settings_dir", &sg.SettingsDir)
	r.str("system_dir", &sg.SystemDir)
	r.strs("detach_command", &sg.DetachCommand)
	r.strs("attach_command", &sg.AttachCommand)
	r.strs("in_balancer_command", &sg.InBalancerCommand)
	r.strs("sync_command", &sg.SyncCommand)
	r.strs("sync_check_command", &sg.SyncCheckCommand)
	sg.SyncTimeout = DefaultSyncTimeout
	r.duration("sync_timeout", &sg.SyncTimeout)
	l.nodeRef(content, "management", func(n *Node) { sg.Management = n })
	for _, mb := range content.Blocks {
		l.decodeMember(mb, sg)
	}
}

func (l *loader) decodeMember(b *hcl.Block, sg *ServerGroup) {
	name := b.Labels[0]
	if !l.validName(b, "member") {
		return
	}
	m := &Member{Addr: sg.Addr.Child(addrs.KindMember, "member", name), Name: name, DeclRange: b.DefRange}
	if !l.declare(m.Addr, m, b) {
		return
	}
	sg.Members = append(sg.Members, m)
	content, diags := b.Body.Content(memberSchema)
	l.diags = append(l.diags, diags...)
	l.reader(m, content).boolean("disabled", &m.Disabled)
	l.nodeRef(content, "node", func(n *Node) { m.Node = n })
}
