package scripts

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
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
	files := make(map[string][]byte)
	for _, g := range c.Groups {
		for _, res := range g.Resources {
			if res.Kind != config.ResExec {
				continue
			}
			if err := execFiles(files, c.Platform, r, g, res); err != nil {
				return nil, fmt.Errorf("%s: %w", res.Addr, err)
			}
		}
	}
	for _, m := range clusterMonitors(c) {
		if m.Kind != config.MonGeneric {
			continue
		}
		if err := genwFile(files, r, m); err != nil {
			return nil, fmt.Errorf("%s: %w", m.Addr, err)
		}
	}
	return files, nil
}

func execFiles(files map[string][]byte, p config.Platform, r renderer, g *config.Group, res *config.Resource) error {
	if res.Script == nil {
		return fmt.Errorf("exec resource %q has no script", res.Name)
	}
	if err := pathSegment("group", g.Name); err != nil {
		return err
	}
	if err := pathSegment("exec resource", res.Name); err != nil {
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
	if start, err = inCharset(res.Script, start); err != nil {
		return err
	}
	if stop, err = inCharset(res.Script, stop); err != nil {
		return err
	}
	dir := "scripts/" + g.Name + "/" + res.Name + "/"
	return addFiles(files,
		file{dir + "start" + r.ext(), start},
		file{dir + "stop" + r.ext(), stop})
}

func genwFile(files map[string][]byte, r renderer, m *config.Monitor) error {
	if m.Script == nil {
		return fmt.Errorf("genw monitor %q has no script", m.Name)
	}
	if err := pathSegment("monitor", m.Name); err != nil {
		return err
	}
	var content []byte
	if m.Script.Literal() {
		content = r.literal(m.Script.Start)
	} else {
		content = r.monitor(scriptRef(m.Script), m.Script.Description)
	}
	content, err := inCharset(m.Script, content)
	if err != nil {
		return err
	}
	return addFiles(files, file{"scripts/monitor.s/" + m.Name + "/genw" + r.ext(), content})
}

// inCharset converts a rendered script to the charset its script block names (UTF-8, as
// rendered, when none).
func inCharset(s *config.Script, content []byte) ([]byte, error) {
	if s.Charset == "" || s.Charset == "UTF-8" {
		return content, nil
	}
	out, err := clpconf.ToCharset(s.Charset, string(content))
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

// addFiles adds to files, refusing to replace a file already there: two objects that map to
// one path would otherwise silently lose a script.
func addFiles(files map[string][]byte, add ...file) error {
	for _, f := range add {
		if _, dup := files[f.path]; dup {
			return fmt.Errorf("%s is produced twice", f.path)
		}
		files[f.path] = f.data
	}
	return nil
}

// clusterMonitors returns the cluster-level monitors and those declared in its groups, each
// once, cluster-level first, then by group in the cluster's group order.
func clusterMonitors(c *config.Cluster) []*config.Monitor {
	seen := make(map[*config.Monitor]bool)
	var out []*config.Monitor
	add := func(ms []*config.Monitor) {
		for _, m := range ms {
			if !seen[m] {
				seen[m] = true
				out = append(out, m)
			}
		}
	}
	add(c.Monitors)
	for _, g := range c.Groups {
		add(g.Monitors)
	}
	return out
}

// pathSegment checks that a name can be one directory of the configuration directory without
// escaping it or splitting into several.
func pathSegment(what, name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\\x00") {
		return fmt.Errorf("%s name %q cannot be a directory name", what, name)
	}
	return nil
}
