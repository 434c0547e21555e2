package config

import (
	"fmt"
	"strings"
)

// textRule says which control characters a string argument may hold.
type textRule int

const (
	oneLine   textRule = iota // names, paths, service names, comments: no control character
	multiLine                 // commands and script content: tabs and line breaks only
)

// validateText reports control characters (NUL, ESC, ...) in the arguments that end up in
// clp.conf (XML cannot hold them), in a path or a service name on a node, or in a command line.
func (l *loader) validateText() {
	for _, cname := range sortedKeys(l.cfg.Clusters) {
		c := l.cfg.Clusters[cname]
		l.noControl(c, "comment", c.Comment, oneLine)
		l.noControl(c, "install_dir", c.InstallDir, oneLine)
		l.noControl(c, "charset", c.Charset, oneLine)
		for _, n := range c.Nodes {
			l.noControl(n, "address", n.Endpoint.Address, oneLine)
		}
		for _, g := range c.Groups {
			l.noControl(g, "comment", g.Comment, oneLine)
		}
		for _, m := range c.AllMonitors() {
			for _, target := range m.Targets {
				l.noControl(m, "targets", target, oneLine)
			}
		}
		l.vendorText(c)
	}
	for _, gname := range sortedKeys(l.cfg.Groups) {
		for _, r := range l.cfg.Groups[gname].Resources {
			for _, a := range []struct{ attr, value string }{{"device", r.Device}, {"mount_point", r.MountPoint}, {"fs", r.FS},
				{"data_partition", r.DataPartition}, {"cluster_partition", r.ClusterPartition}, {"nmp_path", r.NMPPath},
				{"service_name", r.ServiceName}} {
				l.noControl(r, a.attr, a.value, oneLine)
			}
			for _, k := range r.RegistryKeys {
				l.noControl(r, "keys", k, oneLine)
			}
		}
	}
	for _, sname := range sortedKeys(l.cfg.Scripts) {
		s := l.cfg.Scripts[sname]
		l.noControl(s, "description", s.Description, multiLine)
		l.noControl(s, "start", s.Start, multiLine)
		l.noControl(s, "stop", s.Stop, multiLine)
		for i, svc := range s.Services {
			l.noControl(scriptPart{s, "service", i}, "name", svc.Name, oneLine)
		}
		for i, h := range s.Hooks {
			for _, cmd := range h.Commands {
				l.noControl(scriptPart{s, "hook", i}, "commands", cmd, multiLine)
			}
		}
	}
	for _, name := range sortedKeys(l.cfg.StatusFiles) {
		sf := l.cfg.StatusFiles[name]
		l.noControl(sf, "definition_file", sf.DefinitionFile, oneLine)
		l.noControl(sf, "install_dir", sf.InstallDir, oneLine)
		l.noControl(sf, "definition_content", sf.DefinitionContent, multiLine)
		for _, a := range sf.InitCommand {
			l.noControl(sf, "init_command", a, oneLine)
		}
	}
	for _, name := range sortedKeys(l.cfg.ServerScans) {
		ss := l.cfg.ServerScans[name]
		l.noControl(ss, "install_dir", ss.InstallDir, oneLine)
	}
	for _, name := range sortedKeys(l.cfg.ServerGroups) {
		sg := l.cfg.ServerGroups[name]
		l.noControl(sg, "settings_dir", sg.SettingsDir, oneLine)
		l.noControl(sg, "system_dir", sg.SystemDir, oneLine)
		for _, c := range sg.siteCommands() {
			for _, a := range c.argv {
				l.noControl(sg, c.attr, a, oneLine)
			}
		}
	}
}

// vendorText checks the vendor parameters of c's objects: clp.conf is XML, which can hold no
// control character but tabs and line breaks.
func (l *loader) vendorText(c *Cluster) {
	for _, o := range c.VendorObjects() {
		for _, k := range sortedKeys(*o.Params) {
			if v := (*o.Params)[k]; v != nil {
				l.noControl(o.Object, "vendor_parameters", *v, multiLine)
			}
		}
	}
}

// noControl reports the first control character of value, at obj's attribute.
func (l *loader) noControl(obj any, attr, value string, rule textRule) {
	i := strings.IndexFunc(value, func(r rune) bool {
		if rule == multiLine && (r == '\t' || r == '\n' || r == '\r') {
			return false
		}
		return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
	})
	if i < 0 {
		return
	}
	rng, ok := l.ranges[rangeKey{obj, attr}]
	if !ok {
		return // a default, not written: nothing to point at or fix
	}
	allowed := "cannot hold any control character"
	if rule == multiLine {
		allowed = "can hold no control character other than tabs and line breaks"
	}
	l.errorf(&rng, "Control character",
		"%s holds the control character %s at byte %d. The value is written to the nodes' files or command lines, which %s. Remove it; it usually comes from a \"\\u\" escape or from a stray byte in a file read with file().",
		attr, controlName(value[i:]), i, allowed)
}

// controlName spells the control character at the start of s: U+0000 (NUL).
func controlName(s string) string {
	r := []rune(s)[0]
	names := map[rune]string{0: "NUL", 0x1b: "ESC", 0x7f: "DEL", '\t': "TAB", '\n': "LF", '\r': "CR"}
	if n, ok := names[r]; ok {
		return fmt.Sprintf("%U (%s)", r, n)
	}
	return fmt.Sprintf("%U", r)
}
