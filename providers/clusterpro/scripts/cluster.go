package scripts

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/charset"
	"github.com/clusterctl/cluster/hcl/config"
)

// ClusterFiles returns every script file of a cluster's configuration directory, keyed by slash
// path relative to that directory (the directory that holds clp.conf):
//
//	scripts/<group>/<exec resource>/start.sh, stop.sh   (start.bat, stop.bat on Windows)
//	scripts/monitor.s/<genw monitor>/genw.sh            (genw.bat on Windows)
//
// A genw monitor runs the start content of its script; a declarative script gets a generated
// script that always reports healthy. Errors name the resource or monitor address.
func ClusterFiles(c *config.Cluster) (map[string][]byte, error) {
	r, err := rendererFor(c.Platform)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Addr, err)
	}
	files := dirFiles{files: make(map[string][]byte), fold: c.Platform == config.Windows, folded: map[string]string{}}
	for _, g := range c.Groups {
		for _, res := range g.Resources {
			if res.Kind != config.ResExec {
				continue
			}
			if err := execFiles(files, c, r, g, res); err != nil {
				return nil, fmt.Errorf("%s: %w", res.Addr, err)
			}
		}
	}
	for _, m := range c.AllMonitors() {
		if m.Kind != config.MonGeneric {
			continue
		}
		if err := genwFile(files, c, r, m); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Addr, err)
		}
	}
	return files.files, nil
}

func execFiles(files dirFiles, c *config.Cluster, r renderer, g *config.Group, res *config.Resource) error {
	p := c.Platform
	if res.Script == nil {
		return fmt.Errorf("exec resource %q has no script", res.Name)
	}
	if err := pathSegment(p, "group", g.Name); err != nil {
		return err
	}
	if err := pathSegment(p, "exec resource", res.Name); err != nil {
		return err
	}
	if p == config.Windows && !res.Script.Literal() && diskPolicy(res.Script) == diskFailover {
		// The failover path runs START ARMFOVER %CLP_GROUPNAME% unquoted, as the vendor's
		// sample does: the group name must be one cmd takes literally.
		if q, err := cmdArg(g.Name); err != nil || q != g.Name {
			return fmt.Errorf("group name %q cannot be passed unquoted to ARMFOVER: %w", g.Name, ErrUnsafeForCmd)
		}
	}
	start, stop, err := Render(res.Script, p)
	if err != nil {
		return err
	}
	if start, err = inCharset(res.Script, c, start); err != nil {
		return err
	}
	if stop, err = inCharset(res.Script, c, stop); err != nil {
		return err
	}
	startPath, stopPath := config.ExecScriptPaths(g.Name, res.Name, p)
	// A part whose content is not known has no file: the provider refuses to plan such a
	// cluster (config.Script.UnknownContent); import compares what is known.
	var out []file
	if !res.Script.Unknown("start") {
		out = append(out, file{startPath, start})
	}
	if !res.Script.Unknown("stop") {
		out = append(out, file{stopPath, stop})
	}
	return files.add(out...)
}

func genwFile(files dirFiles, c *config.Cluster, r renderer, m *config.Monitor) error {
	if m.Script == nil {
		return fmt.Errorf("genw monitor %q has no script", m.Name)
	}
	if err := pathSegment(c.Platform, "monitor", m.Name); err != nil {
		return err
	}
	if m.Script.Unknown("start") {
		return nil // not known: no file (see execFiles)
	}
	var content []byte
	if m.Script.Literal() {
		content = r.literal(m.Script.Start)
	} else {
		content = r.monitor(headerRef(m.Script), m.Script.Description)
	}
	content, err := inCharset(m.Script, c, content)
	if err != nil {
		return err
	}
	return files.add(file{config.MonitorScriptPath(m.Name, c.Platform), content})
}

// inCharset converts a rendered script to the charset its files are written in on the nodes of
// c (config.ScriptCharset): the script's own charset, else the cluster's for generated content;
// literal content without a charset is written as given.
func inCharset(s *config.Script, c *config.Cluster, content []byte) ([]byte, error) {
	cs := config.ScriptCharset(s, c)
	if cs == "" || cs == "UTF-8" {
		return content, nil
	}
	out, err := charset.Encode(cs, string(content))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", scriptRef(s), err)
	}
	return out, nil
}

// file is one file of the configuration directory.
type file struct {
	path string
	data []byte
}

// dirFiles collects the files of a configuration directory. It refuses a second file at a
// path already taken (two objects that map to one path would otherwise silently lose a
// script); with fold, paths that differ only in case are one path, as on NTFS.
type dirFiles struct {
	files  map[string][]byte
	fold   bool
	folded map[string]string // folded path -> the path added
}

func (d dirFiles) add(add ...file) error {
	for _, f := range add {
		key := f.path
		if d.fold {
			key = strings.ToLower(key)
		}
		if prev, dup := d.folded[key]; dup {
			if prev == f.path {
				return fmt.Errorf("%s is produced twice", f.path)
			}
			return fmt.Errorf("%s and %s are one file on Windows, where names differ only in case", prev, f.path)
		}
		d.folded[key] = f.path
		d.files[f.path] = f.data
	}
	return nil
}

// pathSegment checks that a name can be one directory of the configuration directory without
// escaping it or splitting into several, and, on Windows, is not a device name (CON, NUL, ...).
func pathSegment(p config.Platform, what, name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") {
		return fmt.Errorf("%s name %q cannot be a directory name", what, name)
	}
	if p == config.Windows && config.WindowsReservedName(name) {
		return fmt.Errorf("%s name %q cannot be a directory name on Windows, which reserves it for a device", what, name)
	}
	return nil
}
