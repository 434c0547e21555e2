package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// nodeUse is one object that runs on a top-level node, with the shell that object's platform
// implies: what the node is when no ssh block says how to reach it.
type nodeUse struct {
	by    string // the object's address, for the diagnostic
	shell string
}

// nodeUses lists, by node, the objects that run on each top-level node and the shell each
// implies: Groupmax status files live on NTFS on Windows Server (seed 003), WSMGR for Web runs
// on Windows (seed 004), Server-Scan on UNIX (seed 000: /usr/SrvScan/bin on HI-UX).
func (l *loader) nodeUses() map[*Node][]nodeUse {
	uses := map[*Node][]nodeUse{}
	add := func(n *Node, by, shell string) {
		if n != nil {
			uses[n] = append(uses[n], nodeUse{by, shell})
		}
	}
	for _, name := range sortedKeys(l.cfg.StatusFiles) {
		s := l.cfg.StatusFiles[name]
		add(s.Node, s.Addr.String(), transport.ShellCmd)
	}
	for _, name := range sortedKeys(l.cfg.ServerGroups) {
		sg := l.cfg.ServerGroups[name]
		add(sg.Management, sg.Addr.String(), transport.ShellCmd)
		for _, m := range sg.Members {
			add(m.Node, m.Addr.String(), transport.ShellCmd)
		}
	}
	for _, name := range sortedKeys(l.cfg.ServerScans) {
		s := l.cfg.ServerScans[name]
		add(s.Node, s.Addr.String(), transport.ShellPosix)
	}
	return uses
}

// defaultNodeShells gives every top-level node whose ssh blocks set no shell the shell of the
// objects that run on it (posix for a node nothing uses). Objects that imply different shells
// make the node ambiguous: an error asks to set shell, rather than guessing.
func (l *loader) defaultNodeShells() {
	uses := l.nodeUses()
	for _, name := range sortedKeys(l.cfg.Nodes) {
		n := l.cfg.Nodes[name]
		if n.Endpoint.SSH.Shell != "" {
			continue
		}
		byShell := map[string][]string{}
		for _, u := range uses[n] {
			byShell[u.shell] = append(byShell[u.shell], u.by)
		}
		switch len(byShell) {
		case 0:
			n.Endpoint.SSH.Shell = transport.ShellPosix
		case 1:
			for shell := range byShell {
				n.Endpoint.SSH.Shell = shell
			}
		default:
			l.errorf(n.DeclRange.Ptr(), "Node shell ambiguous",
				"Node %q is used by objects of different platforms: %s. Set shell (\"posix\", \"cmd\" or \"powershell\") in this node's ssh block to say how its SSH server runs commands (docs/language.md, \"ssh\").",
				n.Name, describeUses(byShell))
		}
	}
}

// describeUses lists the users of each shell: `status_file.a (default shell "cmd"), ...`.
func describeUses(byShell map[string][]string) string {
	shells := make([]string, 0, len(byShell))
	for s := range byShell {
		shells = append(shells, s)
	}
	sort.Strings(shells)
	parts := make([]string, len(shells))
	for i, s := range shells {
		parts[i] = fmt.Sprintf("%s (default shell %q)", strings.Join(byShell[s], ", "), s)
	}
	return strings.Join(parts, "; ")
}
