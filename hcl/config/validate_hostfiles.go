package config

// validateScanServerFields reports a service name or Scan-Connector host that cannot be one
// field of a services file (/etc/services), which separates fields by blanks and starts
// comments with '#' (config.SingleField).
func (l *loader) validateScanServerFields() {
	for _, name := range sortedKeys(l.cfg.ScanServers) {
		s := l.cfg.ScanServers[name]
		for _, f := range []struct{ attr, value string }{{"connector", s.Connector}, {"service", s.Service}} {
			if !l.isSet(s, f.attr) {
				continue
			}
			err := SingleField(f.value)
			if err == nil {
				continue
			}
			l.errorf(l.where(s, f.attr, s.DeclRange), "Value not usable as one field",
				"%s of %s %s, but it must be one blank-separated field, as in a services file (/etc/services). Write the %s without blanks, control characters or '#'.",
				f.attr, s.Addr, err, map[string]string{"connector": "Scan-Connector's host name or address", "service": "service name"}[f.attr])
		}
	}
}
