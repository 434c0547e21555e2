package servergroup

import (
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// siteCommand renders one of the group's site-declared commands for one server: {node}
// becomes its node name and {address} its address, inside any argument. An absolute program
// is a node path (so lab and test nodes find it under their root); anything else is looked up
// on PATH. Every argument is quoted when sent. An empty argv means the site declared no such
// command: the step is left out.
func siteCommand(argv []string, node, address string) (transport.Command, bool) {
	if len(argv) == 0 {
		return transport.Command{}, false
	}
	r := strings.NewReplacer("{node}", node, "{address}", address)
	args := make([]any, len(argv))
	for i, a := range argv {
		args[i] = r.Replace(a)
	}
	if p := args[0].(string); strings.HasPrefix(p, "/") || len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') {
		args[0] = transport.NodePath(p)
	}
	return transport.Cmd(args...), true
}

// shown is a site command as the plan and errors show it: as the management node, where every
// site command runs, receives it (transport.Command.DisplayFor).
func (u *unit) shown(c transport.Command) string {
	return c.DisplayFor(u.g.Management.Endpoint.SSH.Shell)
}
