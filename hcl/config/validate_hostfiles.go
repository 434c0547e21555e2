package config

// validateScanServerFields reports values the Server-Scan settings file cannot hold: it
// separates fields by blanks and starts comments with '#'.
func (l *loader) validateScanServerFields() {
	for _, name := range sortedKeys(l.cfg.ScanServers) {
		s := l.cfg.ScanServers[name]
		for _, f := range []struct{ attr, value string }{{"connector", s.Connector}, {"service", s.Service}} {
			if !l.isSet(s, f.attr) {
				continue
			}
			err := SettingsField(f.value)
			if err == nil {
				continue
			}
			l.errorf(l.where(s, f.attr, s.DeclRange), "Value not usable in the settings file",
				"%s of %s %s, but the Server-Scan settings file keeps it as one blank-separated field. Write the %s without blanks, control characters or '#'.",
				f.attr, s.Addr, err, map[string]string{"connector": "Scan-Connector's host name or address", "service": "service name"}[f.attr])
		}
	}
}
