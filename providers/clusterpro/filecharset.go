package clusterpro

import "github.com/clusterctl/cluster/hcl/config"

// fileCharset is the charset a script file of the configuration directory (path "scripts/...")
// is written in on the nodes: its script's (config.ScriptCharset), else, for a file no script
// of c owns (one only a node or a backup holds), the charset of c's generated scripts. The
// plan shows the file's text decoded from it; the bytes are never converted.
func fileCharset(c *config.Cluster, path string) string {
	if s := scriptOf(c, path); s != nil {
		return config.ScriptCharset(s, c)
	}
	return config.ScriptCharset(&config.Script{}, c)
}

// scriptOf is the script of c that owns the file at path, or nil.
func scriptOf(c *config.Cluster, path string) *config.Script {
	group, name, monitor, ok := config.ScriptOwner(path)
	if !ok {
		return nil
	}
	if monitor {
		for _, m := range c.AllMonitors() {
			if m.Name == name {
				return m.Script
			}
		}
		return nil
	}
	for _, g := range c.Groups {
		if g.Name != group {
			continue
		}
		for _, r := range g.Resources {
			if r.Name == name {
				return r.Script
			}
		}
	}
	return nil
}
