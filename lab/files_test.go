package lab

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab/labdir"
)

// TestVarsFileWindowsHosts: a Windows node's host entry carries shell = "cmd" and its code
// page; a POSIX node's entry shell = "posix", so that a Windows example runs on it too.
func TestVarsFileWindowsHosts(t *testing.T) {
	reg := labdir.Registry{Nodes: []labdir.Node{
		{Name: "sv1", Address: "127.0.0.11", Port: 2201, Dialect: labdir.DialectCmd, CodePage: 932},
		{Name: "sv2", Address: "127.0.0.12", Port: 2202},
	}}
	want := `# Written by ` + "`cluster lab up`" + `: the lab's nodes and credentials. Pass with --var-file.
hosts = {
  sv1 = { address = "127.0.0.11", port = 2201, shell = "cmd", code_page = 932 }
  sv2 = { address = "127.0.0.12", port = 2202, shell = "posix" }
}
ssh_user         = "me"
identity_file    = "/lab/id_ed25519"
known_hosts_file = "/lab/known_hosts"
`
	if diff := cmp.Diff(want, string(varsFile("/lab", "me", reg))); diff != "" {
		t.Errorf("lab.vars.hcl (-want +got):\n%s", diff)
	}
}
