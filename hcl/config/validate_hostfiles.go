package config

import "github.com/clusterctl/cluster/transport"

// validateStatusFileDefinitions reports what the status service definition file cannot hold:
// a path that is not absolute or holds whitespace (the file separates fields by blanks), and
// two status files of one node that share a definition file but name different install_dir
// values (one definition file belongs to one object server).
func (l *loader) validateStatusFileDefinitions() {
	type service struct {
		install transport.NodePath
		first   *StatusFile
	}
	services := map[*Node]map[transport.NodePath]service{}
	for _, name := range sortedKeys(l.cfg.StatusFiles) {
		sf := l.cfg.StatusFiles[name]
		for _, side := range []struct {
			attr  string
			files []string
		}{{"a_files", sf.AFiles}, {"b_files", sf.BFiles}} {
			for _, f := range side.files {
				if StatusFilePathUsable(f) {
					continue
				}
				l.errorf(l.where(sf, side.attr, sf.DeclRange), "Status file path not usable",
					"%q in %s of %s is not an absolute path without blanks, and the status service definition holds only such paths (it separates its fields by blanks). Use an absolute path without spaces, tabs or control characters, e.g. \"/data/a/%s1\".",
					f, side.attr, sf.Addr, sf.Name)
				break
			}
		}
		if sf.Node == nil {
			continue
		}
		def, install := StatusFileDefinition(sf)
		if services[sf.Node] == nil {
			services[sf.Node] = map[transport.NodePath]service{}
		}
		prev, seen := services[sf.Node][def]
		if !seen {
			services[sf.Node][def] = service{install, sf}
			continue
		}
		if prev.install != install {
			l.errorf(l.where(sf, "install_dir", sf.DeclRange), "One definition file, two install directories",
				"%s and %s both use the definition file %s on %s but name different install_dir values (%s and %s). The logical files of one definition file belong to one object server: give them the same install_dir, or separate definition files.",
				prev.first.Addr, sf.Addr, def, sf.Node.Addr, prev.install, install)
		}
	}
}

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
