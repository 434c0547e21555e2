package e2e

import (
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/clusterctl/cluster/lab"
)

// TestWindowsClusterOnCmdNodes is issue 17's goal end to end: the Windows example
// iis-single-standby-4nodes plans, applies and converges on four Windows nodes reached with
// shell = "cmd" (no POSIX shell: file work over SFTP with /C:/ paths, each program in its own
// exec channel, output in code page 932 with CRLF), which the lab.vars.hcl of a Windows lab
// sets per host.
//
// The nodes are in-process Windows lab nodes (lab.StartInProcess), not real sshd with
// opensshtest.WithWindowsShell: a real-sshd Windows node runs chrooted in its own root, so the
// emulated clpcfctrl --push on one node cannot reach its peers' roots to distribute the
// configuration, and a cluster of four cannot be applied there. The transport itself is
// checked on real sshd by TestWindowsDialectConformanceOnRealSSHD.
func TestWindowsClusterOnCmdNodes(t *testing.T) {
	n, l := startWindowsLab(t, "sv1", "sv2", "sv3", "sv4")
	if vars, err := os.ReadFile(n.varFile); err != nil || !strings.Contains(string(vars), `shell = "cmd"`) {
		t.Fatalf("%s does not give the Windows nodes shell = \"cmd\" (%v):\n%s", lab.VarsFile, err, vars)
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
	fs := labSFTP(t, l, "sv3")
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
	key, err := os.ReadFile(filepath.Join(l.Dir, lab.ClientKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	hostKeys, err := knownhosts.New(filepath.Join(l.Dir, lab.KnownHostsFile))
	if err != nil {
		t.Fatal(err)
	}
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	client, err := ssh.Dial("tcp", net.JoinHostPort(node.Address, strconv.Itoa(node.Port)), &ssh.ClientConfig{
		User: u.Username, Auth: []ssh.AuthMethod{ssh.PublicKeys(signer)}, HostKeyCallback: hostKeys, Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	fs, err := sftp.NewClient(client)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fs.Close() })
	return fs
}
