package clusterpro

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
)

// refuseUnknownScripts refuses a cluster that runs a script whose content is not known
// (unknown_content, written by an import from clp.conf alone): the configuration directory
// would be pushed without that file, or with a guess, and the cluster's real start or stop
// script would be lost. The error lists every such file and how to supply it.
func refuseUnknownScripts(c *config.Cluster) error {
	var missing []string
	note := func(s *config.Script, part, path string) {
		if s != nil && s.Unknown(part) {
			missing = append(missing, fmt.Sprintf("%s (%s of %s)", path, part, s.Addr))
		}
	}
	for _, g := range sortedGroups(c.Groups) {
		for _, r := range g.Resources {
			if r.Kind == config.ResExec && r.Script != nil {
				start, stop := config.ExecScriptPaths(g.Name, r.Name, c.Platform)
				note(r.Script, "start", start)
				note(r.Script, "stop", stop)
			}
		}
	}
	for _, m := range c.AllMonitors() {
		if m.Kind == config.MonGeneric {
			note(m.Script, "start", config.MonitorScriptPath(m.Name, c.Platform))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s runs scripts whose content is not known (unknown_content): %s. Nothing is planned for this cluster, so that its real scripts are not replaced: copy each file from a node's configuration directory beside the configuration, set start/stop = file(\"...\") in the script and remove the part from unknown_content",
		c.Addr, strings.Join(missing, ", "))
}
