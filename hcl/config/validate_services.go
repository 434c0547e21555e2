package config

// Limits of the Groupmax status service definition.
const maxStatusFilePairs = 7

func (l *loader) validateScript(s *Script, genwOnly bool) {
	// Content not known (unknown_content, or a variable without a value) counts as given.
	hasStart := s.Start != "" || s.Unknown("start") || l.isUnknown(s, "start")
	hasStop := s.Stop != "" || s.Unknown("stop") || l.isUnknown(s, "stop")
	switch {
	case hasStart && !hasStop && !genwOnly:
		l.errorf(l.where(s, "start", s.DeclRange), "Incomplete script",
			"%s has start content but no stop content, and an exec resource uses it. Add stop = ... (for example file(\"scripts/stop.sh\")); only a script used by genw monitors alone may omit stop.", s.Addr)
	case hasStop && !hasStart:
		l.errorf(l.where(s, "stop", s.DeclRange), "Incomplete script",
			"%s has stop content but no start content. Add start = ... (for example file(\"scripts/start.sh\")).", s.Addr)
	case !s.Literal() && !hasStart && !hasStop && len(s.Services) == 0 && len(s.Hooks) == 0:
		l.errorf(s.DeclRange.Ptr(), "Script has no content",
			"%s has neither start/stop content nor services or hooks to generate a script from. Add start and stop, or service blocks.", s.Addr)
	}
}

// genwOnlyScripts returns the scripts that genw monitors use and no exec resource does: a
// generic monitor runs the start content only.
func (l *loader) genwOnlyScripts() map[*Script]bool {
	byGenw, byExec := map[*Script]bool{}, map[*Script]bool{}
	monitors := func(ms []*Monitor) {
		for _, m := range ms {
			if m.Script != nil {
				byGenw[m.Script] = true
			}
		}
	}
	for _, c := range l.cfg.Clusters {
		monitors(c.Monitors)
	}
	for _, g := range l.cfg.Groups {
		monitors(g.Monitors)
		for _, r := range g.Resources {
			if r.Script != nil {
				byExec[r.Script] = true
			}
		}
	}
	for s := range byExec {
		delete(byGenw, s)
	}
	return byGenw
}

// validateStatusFiles checks each logical file's A/B pairs, and that no path is used twice on
// one node (within or across status files).
func (l *loader) validateStatusFiles() {
	type owner struct {
		sf   *StatusFile
		attr string
	}
	paths := map[*Node]map[string]owner{}
	for _, name := range sortedKeys(l.cfg.StatusFiles) {
		s := l.cfg.StatusFiles[name]
		for _, side := range []struct {
			attr  string
			files []string
		}{{"a_files", s.AFiles}, {"b_files", s.BFiles}} {
			if side.files == nil {
				continue // missing, already reported
			}
			if n := len(side.files); n == 0 || n > maxStatusFilePairs {
				l.errorf(l.where(s, side.attr, s.DeclRange), "Invalid number of status files",
					"%s has %s in %s. A logical status file has 1 to %d A files and as many B files.",
					s.Addr, countNoun(n, "file"), side.attr, maxStatusFilePairs)
			}
			if paths[s.Node] == nil {
				paths[s.Node] = map[string]owner{}
			}
			for _, p := range side.files {
				if prev, dup := paths[s.Node][p]; dup {
					l.errorf(l.where(s, side.attr, s.DeclRange), "Status file path used twice",
						"%s is listed in %s of %s and again in %s of %s. Each A and B file needs its own path on the node.",
						p, prev.attr, prev.sf.Addr, side.attr, s.Addr)
					continue
				}
				paths[s.Node][p] = owner{s, side.attr}
			}
		}
		if s.AFiles != nil && s.BFiles != nil && len(s.AFiles) != len(s.BFiles) {
			l.errorf(l.where(s, "b_files", s.DeclRange), "Unequal A and B file counts",
				"%s has %d A files and %d B files. Files are used in A/B pairs: list as many B files as A files.",
				s.Addr, len(s.AFiles), len(s.BFiles))
		}
		if len(s.AFiles) > 0 && s.InitialCurrent >= len(s.AFiles) {
			l.errorf(l.where(s, "initial_current", s.DeclRange), "Initial current out of range",
				"initial_current is %d, but %s has %d pairs. Use an index from 0 to %d.",
				s.InitialCurrent, s.Addr, len(s.AFiles), len(s.AFiles)-1)
		}
	}
}

// validateServerScans checks scan-server ports and that every Server-Scan host has a normal
// server to send work to. Two scan servers of one Server-Scan host conflict when they name the
// same Scan-Connector address and port; the Server-Scan side's own port must differ from every
// Scan-Connector port (seed 000).
func (l *loader) validateServerScans() {
	type endpoint struct {
		host      *Node
		connector string
		port      int
	}
	used := map[endpoint]*ScanServer{}
	for _, name := range sortedKeys(l.cfg.ServerScans) {
		ss := l.cfg.ServerScans[name]
		if len(ss.Servers) == 0 {
			l.warnf(ss.DeclRange.Ptr(), "Server-Scan without scan servers",
				"%s has no scan_server: nothing will scan its mail. Declare scan_server blocks with server_scan = %s.", ss.Addr, ss.Addr)
			continue
		}
		normal := 0
		for _, srv := range declOrder(ss.Servers, l.order) {
			if srv.Role == "normal" {
				normal++
			}
			if srv.Port == 0 {
				continue
			}
			rng := l.where(srv, "port", srv.DeclRange)
			if ss.Port != 0 && srv.Port == ss.Port {
				l.errorf(rng, "Port conflict",
					"%s uses port %d, the port of %s itself. The Server-Scan side and the Scan-Connector side need different ports.",
					srv.Addr, srv.Port, ss.Addr)
				continue
			}
			key := endpoint{ss.Node, srv.Connector, srv.Port}
			if prev, dup := used[key]; dup {
				l.errorf(rng, "Port conflict",
					"%s and %s both use %s port %d for the same Server-Scan host. Give each scan server its own port or connector.",
					prev.Addr, srv.Addr, srv.Connector, srv.Port)
				continue
			}
			used[key] = srv
		}
		if normal == 0 {
			l.errorf(ss.DeclRange.Ptr(), "No normal scan server",
				"Every scan server of %s is a standby server; standby servers only take over when a normal server fails. Make at least one scan server role = \"normal\".",
				ss.Addr)
		}
	}
}

func (l *loader) validateServerGroup(sg *ServerGroup) {
	seen := map[*Node]*Member{}
	for _, m := range sg.Members {
		if m.Node == nil {
			continue
		}
		rng := l.where(m, "node", m.DeclRange)
		if m.Node == sg.Management {
			l.errorf(rng, "Management node listed as a member",
				"%s is the management server of %s; it cannot also be a member. Remove the member, or choose another management node.",
				m.Node.Addr, sg.Addr)
			continue
		}
		if prev, dup := seen[m.Node]; dup {
			l.errorf(rng, "Node listed twice in server group",
				"%s is already the node of %s. List each node once.", m.Node.Addr, prev.Addr)
			continue
		}
		seen[m.Node] = m
	}
	for _, c := range []struct {
		attr string
		cmd  []string
	}{{"detach_command", sg.DetachCommand}, {"attach_command", sg.AttachCommand}} {
		if c.cmd != nil && (len(c.cmd) == 0 || c.cmd[0] == "") {
			l.errorf(l.where(sg, c.attr, sg.DeclRange), "Empty command",
				"%s of %s names no program. Write the program and its arguments, e.g. [\"/usr/local/bin/lbctl\", \"%s\", \"{node}\"], or remove the argument.",
				c.attr, sg.Addr, map[string]string{"detach_command": "detach", "attach_command": "attach"}[c.attr])
		}
	}
}
