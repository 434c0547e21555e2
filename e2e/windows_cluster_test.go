package e2e

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pkg/sftp"

	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/transport"
)

// TestWindowsClusterOnCmdNodes is issue 17's goal end to end on in-process Windows lab nodes
// (lab.StartInProcess with Windows "*"), whose lab.vars.hcl sets shell = "cmd" per host: the
// scenario of windowsClusterScenario.
func TestWindowsClusterOnCmdNodes(t *testing.T) {
	n, l := startWindowsLab(t, "sv1", "sv2", "sv3", "sv4")
	windowsClusterScenario(t, n, func(name string) *sftp.Client { return labSFTP(t, l, name) })
}

// TestWindowsClusterOnRealSSHD is the same scenario on Windows-dialect nodes on real sshd,
// where no POSIX shell exists: each node chrooted with the labcmd login shell (cmd.exe's
// emulation) and the real internal-sftp, the emulated CLUSTERPRO commands reaching their peers
// over the peer link (opensshtest.StartWindowsCluster).
func TestWindowsClusterOnRealSSHD(t *testing.T) {
	n := startWindowsRealCluster(t, "sv1", "sv2", "sv3", "sv4")
	windowsClusterScenario(t, n, func(name string) *sftp.Client { return n.sftp(name) })
}

// startWindowsRealCluster starts one Windows-dialect real-sshd node per name, peers of each
// other (opensshtest.StartWindowsCluster, code page 932), and a variable file whose hosts reach
// them with shell = "cmd" and code_page = 932, as a Windows lab's lab.vars.hcl does.
func startWindowsRealCluster(t testing.TB, names ...string) *nodes {
	t.Helper()
	const codePage = 932
	c := opensshtest.StartWindowsCluster(t, labcmdBinary(t), codePage, names...)
	n := &nodes{t: t, ssh: c, names: names, roots: map[string]string{}, home: t.TempDir()}
	var hosts []string
	for _, node := range c.Nodes {
		n.roots[node.Name] = node.Root
		hosts = append(hosts, fmt.Sprintf("  %s = { address = %q, port = %d, shell = %q, code_page = %d }",
			node.Name, node.Address, node.Port, transport.ShellCmd, codePage))
	}
	n.varFile = filepath.Join(t.TempDir(), "nodes.vars.hcl")
	vars := fmt.Sprintf("hosts = {\n%s\n}\nssh_user = %q\nidentity_file = %q\nknown_hosts_file = %q\n",
		strings.Join(hosts, "\n"), c.User, c.IdentityFile, c.KnownHostsFile)
	if err := os.WriteFile(n.varFile, []byte(vars), 0o644); err != nil {
		t.Fatal(err)
	}
	return n
}

// sftp opens an SFTP session to real-sshd node name as the harness's client.
func (n *nodes) sftp(name string) *sftp.Client {
	n.t.Helper()
	i := slices.Index(n.names, name)
	if i < 0 || n.ssh == nil {
		n.t.Fatalf("no real-sshd node %s", name)
	}
	fs, err := sftp.NewClient(sshClient(n.t, n.ssh, i))
	if err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(func() { fs.Close() })
	return fs
}

// windowsClusterScenario is issue 17's goal end to end: the Windows example
// iis-single-standby-4nodes validates, plans, applies and converges on the four Windows nodes
// sv1..sv4 of n, reached with shell = "cmd" (no POSIX shell: file work over SFTP with /C:/
// paths, each program in its own exec channel, output in code page 932 with CRLF); a script
// edit is one update; a hand edit over SFTP (sftpTo opens a session to a node) is drift on that
// node only; status shows every server running.
func windowsClusterScenario(t *testing.T, n *nodes, sftpTo func(name string) *sftp.Client) {
	t.Helper()
	if vars, err := os.ReadFile(n.varFile); err != nil || !strings.Contains(string(vars), `shell = "cmd"`) {
		t.Fatalf("%s does not give the Windows nodes shell = \"cmd\" (%v):\n%s", n.varFile, err, vars)
	}
	ex := copyExample(t, iis4)

	n.run("validate", "--var-file", n.varFile, ex).must(t, 0, "validate")
	if p := n.planJSON(ex); p.Summary.Add == 0 || p.Summary.Change != 0 || p.Summary.Destroy != 0 {
		t.Fatalf("first plan summary = %+v, want only additions", p.Summary)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after apply")
	if !strings.Contains(r.stdout, "No changes") {
		t.Errorf("plan after apply:\n%s", r.stdout)
	}

	// A script edit is exactly one update, and applying it converges.
	edit(t, filepath.Join(ex, "iis.hcl"), `name = "MSFTPSVC"`, `name = "MSFTPSVC-NEW"`)
	p := n.planJSON(ex)
	if len(p.Changes) != 1 || p.Changes[0].Address != "group.iis.exec.iis" || p.Changes[0].Action != "update" {
		t.Fatalf("changes = %+v, want exactly one update of group.iis.exec.iis", p.Changes)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply the script change")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the script change")

	// Someone edits sv3's start.bat by hand over SFTP: drift, on sv3 only.
	fs := sftpTo("sv3")
	start := "/C:/Program Files/EXPRESSCLUSTER/scripts/iis/iis/start.bat"
	f, err := fs.OpenFile(start, os.O_WRONLY|os.O_APPEND)
	if err != nil {
		t.Fatalf("open %s on sv3 over SFTP: %v", start, err)
	}
	if _, err := f.Write([]byte("rem edited by hand\r\n")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	p = n.planJSON(ex)
	var drifted []string
	for _, c := range p.Changes {
		for _, d := range c.Drift {
			drifted = append(drifted, d.Node)
		}
	}
	if strings.Join(drifted, ",") != "cluster.web.node.sv3" {
		t.Fatalf("drifted nodes = %v, want exactly cluster.web.node.sv3 (changes %+v)", drifted, p.Changes)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "repairing apply")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the repair")

	st := n.run("status", "--var-file", n.varFile, ex).must(t, 0, "status")
	for _, name := range n.names {
		if !strings.Contains(st.stdout, "server  "+name) || !lineHas(st.stdout, "server  "+name, "Online, running") {
			t.Errorf("status does not show %s running:\n%s%s", name, st.stdout, st.stderr)
		}
	}
	if !strings.Contains(st.stdout, "group.iis") {
		t.Errorf("status does not show the group:\n%s", st.stdout)
	}
}

// startWindowsLab starts in-process Windows lab nodes names (cmd.exe emulation, code page 932,
// /C:/ SFTP, no POSIX shell), stopped when t ends; the nodes' variable file is the lab's own
// lab.vars.hcl, whose host entries say shell = "cmd".
func startWindowsLab(t *testing.T, names ...string) (*nodes, *lab.Lab) {
	t.Helper()
	l, err := lab.StartInProcess(lab.Options{Dir: t.TempDir(), Names: names, Binary: binary, Windows: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return &nodes{t: t, names: names, varFile: filepath.Join(l.Dir, lab.VarsFile), home: t.TempDir()}, l
}

// lineHas reports whether the line of out that contains key also contains want.
func lineHas(out, key, want string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, key) {
			return strings.Contains(line, want)
		}
	}
	return false
}

// labSFTP opens an SFTP session to lab node name as the lab's client.
func labSFTP(t *testing.T, l *lab.Lab, name string) *sftp.Client {
	t.Helper()
	node, ok := l.Registry().Node(name)
	if !ok {
		t.Fatalf("no lab node %s", name)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	client := dialNode(t, node.Address, node.Port, u.Username, filepath.Join(l.Dir, lab.ClientKeyFile), filepath.Join(l.Dir, lab.KnownHostsFile))
	fs, err := sftp.NewClient(client)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fs.Close() })
	return fs
}
