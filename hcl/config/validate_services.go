package config

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
