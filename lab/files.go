package lab

import (
	"fmt"
	"net"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/clusterctl/cluster/internal/atomicfile"
	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/transport"
)

// writeLabFiles writes the registry, known_hosts and lab.vars.hcl of a started lab.
func writeLabFiles(dir string, reg labdir.Registry) error {
	if err := labdir.WriteRegistry(dir, reg); err != nil {
		return fmt.Errorf("write registry: %w", err)
	}
	kh, err := knownHosts(reg)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, KnownHostsFile), kh, 0o644); err != nil {
		return fmt.Errorf("write known_hosts: %w", err)
	}
	u, err := user.Current()
	if err != nil {
		return fmt.Errorf("current user: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, VarsFile), varsFile(dir, u.Username, reg), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", VarsFile, err)
	}
	return nil
}

// knownHosts renders one "[address]:port key" line per node.
func knownHosts(reg labdir.Registry) ([]byte, error) {
	var b strings.Builder
	for _, n := range reg.Nodes {
		key, _, _, _, err := ssh.ParseAuthorizedKey([]byte(n.HostKey))
		if err != nil {
			return nil, fmt.Errorf("host key of %s: %w", n.Name, err)
		}
		hostport := knownhosts.Normalize(net.JoinHostPort(n.Address, strconv.Itoa(n.Port)))
		b.WriteString(knownhosts.Line([]string{hostport}, key) + "\n")
	}
	return []byte(b.String()), nil
}

// varsFile renders lab.vars.hcl as docs/design.md specifies: the variables every example
// declares, with absolute paths; every host entry names its shell, a Windows node's its code page.
func varsFile(dir, username string, reg labdir.Registry) []byte {
	var b strings.Builder
	b.WriteString("# Written by `cluster lab up`: the lab's nodes and credentials. Pass with --var-file.\n")
	b.WriteString("hosts = {\n")
	width := 0
	for _, n := range reg.Nodes {
		width = max(width, len(hclKey(n.Name)))
	}
	for _, n := range reg.Nodes {
		fmt.Fprintf(&b, "  %-*s = { address = %s, port = %d%s }\n", width, hclKey(n.Name), hclString(n.Address), n.Port, shellAttrs(n))
	}
	b.WriteString("}\n")
	fmt.Fprintf(&b, "ssh_user         = %s\n", hclString(username))
	fmt.Fprintf(&b, "identity_file    = %s\n", hclString(filepath.Join(dir, ClientKeyFile)))
	fmt.Fprintf(&b, "known_hosts_file = %s\n", hclString(filepath.Join(dir, KnownHostsFile)))
	return []byte(b.String())
}

// shellAttrs are the attributes of a host entry that say how the tool reaches the node: its
// ssh shell (posix, or cmd for a Windows node) and a Windows node's console code page. Every
// entry names its shell, so an example that passes it through runs on either kind of lab node
// whatever its platform's default shell (docs/language.md). An example whose hosts type lacks
// them drops them (a variable's value loses the attributes its object type does not name).
func shellAttrs(n labdir.Node) string {
	if n.Dialect != labdir.DialectCmd {
		return ", shell = " + hclString(transport.ShellPosix)
	}
	s := ", shell = " + hclString(transport.ShellCmd)
	if n.CodePage != 0 {
		s += fmt.Sprintf(", code_page = %d", n.CodePage)
	}
	return s
}

// hclString quotes s as an HCL string literal: Go quoting, plus the template sequences HCL
// would otherwise interpolate.
func hclString(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// hclKey writes a map key bare when it is an identifier, quoted otherwise.
func hclKey(k string) string {
	if k != "" && (k[0] >= 'a' && k[0] <= 'z' || k[0] >= 'A' && k[0] <= 'Z' || k[0] == '_') {
		return k
	}
	return hclString(k)
}
