package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clusterctl/cluster/lab/opensshtest"
)

// The become tests log in as a user made for the test, who owns nothing on the nodes: the node
// roots, the vendor commands and the configuration directory are root's. Everything the tool
// does on a node goes through sudo (ssh { become = true }). They need root (to add the user and
// its sudoers rule) and sudo (make deps installs it).

// startBecomeNodes starts sshd nodes that u logs in to, laid out like startNodes: the roots
// stay root's, readable but not writable by u.
func startBecomeNodes(t *testing.T, u opensshtest.SudoUser, names ...string) *nodes {
	t.Helper()
	return layOutNodes(t, opensshtest.Start(t, len(names), opensshtest.WithLoginUser(u.Name)), names...)
}

// becomeExample copies linux-mirror-exec with become = true in its ssh block and, when
// withPassword, become_password from a sensitive variable whose value is in the returned
// variable file.
func becomeExample(t *testing.T, u opensshtest.SudoUser, withPassword bool) (dir, passwordVars string) {
	t.Helper()
	dir = copyExample(t, "linux-mirror-exec")
	conn := filepath.Join(dir, "connection.hcl")
	add := "  become           = true\n"
	if withPassword {
		add += "  become_password  = var.sudo_password\n"
		f, err := os.OpenFile(conn, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(f, "\nvariable \"sudo_password\" {\n  type      = string\n  sensitive = true\n}\n")
		f.Close()
		passwordVars = filepath.Join(t.TempDir(), "sudo.vars.hcl")
		if err := os.WriteFile(passwordVars, []byte(fmt.Sprintf("sudo_password = %q\n", u.Password)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	edit(t, conn, "  known_hosts_file = var.known_hosts_file\n", "  known_hosts_file = var.known_hosts_file\n"+add)
	return dir, passwordVars
}

// ownerUID is the uid that owns a node file.
func ownerUID(t *testing.T, path string) uint32 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Uid
}

// A user who may only log in does the whole cycle through sudo (NOPASSWD): plan, apply, status,
// import --from, rollback. Without become the same user cannot apply at all.
func TestBecomeFullCycleWithoutPassword(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/sh", "ALL=(ALL:ALL) NOPASSWD: ALL")
	n := startBecomeNodes(t, u, "sv1", "sv2")
	plain := copyExample(t, "linux-mirror-exec")
	denied := n.run("apply", "--auto-approve", "--var-file", n.varFile, plain)
	if denied.code == 0 {
		t.Fatalf("apply as %s without become succeeded: the test nodes do not stand for a root-only node", u.Name)
	}

	dir, _ := becomeExample(t, u, false)
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 2, "plan as "+u.Name)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "apply")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, "plan after apply")

	// Written by root: the configuration belongs to root, and a rewrite keeps owner and mode.
	conf := n.path("sv1", filepath.Join(linuxInstall, "etc/clp.conf"))
	uid := ownerUID(t, conf)
	if uid != 0 {
		t.Errorf("clp.conf is owned by uid %d, want root", uid)
	}
	start := n.path("sv1", filepath.Join(linuxInstall, "scripts/failover1/exec1/start.sh"))
	if _, err := os.Stat(start); err != nil {
		t.Fatalf("the start script is not installed: %v", err)
	}
	st := n.run("status", "--var-file", n.varFile, dir).must(t, 0, "status")
	if !strings.Contains(st.stdout, "failover1") {
		t.Errorf("status does not show the groups:\n%s", st.stdout)
	}

	// import --from reads the root-only configuration directory through sudo.
	imported := filepath.Join(t.TempDir(), "imported")
	first := n.ssh.Nodes[0]
	n.run("import", "--from", first.Address, "--port", strconv.Itoa(first.Port), "--become",
		"--user", u.Name, "--identity-file", n.ssh.IdentityFile, "--known-hosts-file", n.ssh.KnownHostsFile,
		"--out", imported).must(t, 0, "import --from --become")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, imported).must(t, 0, "plan of the import")

	// force-unlock removes the root-owned locks of a run that no longer exists.
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	for _, node := range []string{"sv1", "sv2"} {
		plantLock(t, n, node, deadRunRecord(t, gone.Process.Pid), time.Minute)
	}
	n.run("force-unlock", "--all-stale", "--var-file", n.varFile, dir).must(t, 0, "force-unlock --all-stale")
	for _, node := range []string{"sv1", "sv2"} {
		if _, err := os.Stat(n.path(node, linuxLock)); !os.IsNotExist(err) {
			t.Errorf("%s: the dead run's lock is still there (%v)", node, err)
		}
	}

	// rollback restores the previous configuration as root.
	edit(t, filepath.Join(dir, "failover1.hcl"), "interval = 10", "interval = 11")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "apply interval 11")
	n.run("rollback", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "rollback")
	plan := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 2, "plan after rollback")
	if !strings.Contains(plan.stdout, "~ interval = 10 -> 11") {
		t.Errorf("after rollback the plan should change interval 10 -> 11:\n%s", plan.stdout)
	}
}

// With a password (sudo asks for it), plan and apply work, and the password appears in no
// output, no saved plan and no error. A login shell that prints a banner does not disturb it.
func TestBecomeWithPassword(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/bash", "ALL=(ALL:ALL) ALL")
	n := startBecomeNodes(t, u, "sv1", "sv2")
	for _, node := range n.ssh.Nodes {
		// bash runs ~/.bashrc for a command from sshd: a banner on stdout and stderr.
		rc := filepath.Join(node.Dir, "home", ".bashrc")
		if err := os.WriteFile(rc, []byte("echo 'Welcome to the node'\necho 'Authorized use only' >&2\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir, pwVars := becomeExample(t, u, true)
	planFile := filepath.Join(t.TempDir(), "become.plan")
	outputs := []result{
		n.run("plan", "--out", planFile, "--var-file", n.varFile, "--var-file", pwVars, dir).must(t, 0, "plan --out"),
		n.run("show", planFile).must(t, 0, "show"),
		n.run("plan", "--json", "--var-file", n.varFile, "--var-file", pwVars, dir).must(t, 0, "plan --json"),
		n.run("validate", dir).must(t, 0, "validate"),
		// The saved plan holds no password: it is given again, as every sensitive value is.
		n.run("apply", "--auto-approve", "--json", "--var-file", pwVars, planFile).must(t, 0, "apply the saved plan"),
		n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, "--var-file", pwVars, dir).must(t, 0, "plan after apply"),
		n.run("status", "--var-file", n.varFile, "--var-file", pwVars, dir).must(t, 0, "status"),
	}
	// import --from reads the password from stdin, never from an argument.
	first := n.ssh.Nodes[0]
	imp := n.runIn(u.Password+"\n", "import", "--from", first.Address, "--port", strconv.Itoa(first.Port),
		"--become", "--become-password-stdin", "--user", u.Name, "--identity-file", n.ssh.IdentityFile,
		"--known-hosts-file", n.ssh.KnownHostsFile, "--out", filepath.Join(t.TempDir(), "imported")).must(t, 0, "import --from --become-password-stdin")
	outputs = append(outputs, imp)
	saved, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"plan file": string(saved)}
	for i, r := range outputs {
		texts[fmt.Sprintf("stdout %d", i)], texts[fmt.Sprintf("stderr %d", i)] = r.stdout, r.stderr
	}
	for _, node := range n.ssh.Nodes {
		texts["sshd log of "+node.Name] = node.Log()
	}
	for name, text := range texts {
		if strings.Contains(text, u.Password) {
			t.Errorf("%s shows the sudo password:\n%s", name, text)
		}
	}
	uid := ownerUID(t, n.path("sv2", filepath.Join(linuxInstall, "etc/clp.conf")))
	if uid != 0 {
		t.Errorf("clp.conf is owned by uid %d, want root", uid)
	}
}

// becomeRefused runs plan against nodes where sudo refuses and checks the error: exit 1 well
// before any timeout, the node named, sudo's words and the advice shown, and no password.
func becomeRefused(t *testing.T, u opensshtest.SudoUser, withPassword bool, password string, want ...string) {
	t.Helper()
	n := startBecomeNodes(t, u, "sv1", "sv2")
	dir, pwVars := becomeExample(t, u, withPassword)
	args := []string{"plan", "--var-file", n.varFile}
	if withPassword {
		if err := os.WriteFile(pwVars, []byte(fmt.Sprintf("sudo_password = %q\n", password)), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--var-file", pwVars)
	}
	began := time.Now()
	r := n.run(append(args, dir)...).must(t, 1, "plan refused by sudo")
	if took := time.Since(began); took > 60*time.Second {
		t.Errorf("the refusal took %s", took)
	}
	out := r.stdout + r.stderr
	for _, w := range append([]string{n.ssh.Nodes[0].Address, "sudo did not run the command as root"}, want...) {
		if !strings.Contains(out, w) {
			t.Errorf("the error lacks %q:\n%s", w, out)
		}
	}
	if withPassword && strings.Contains(out, password) {
		t.Errorf("the error shows the password:\n%s", out)
	}
}

func TestBecomeWrongPassword(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/sh", "ALL=(ALL:ALL) ALL")
	// One try per session, not sudo's three: pam_faillock and its like count each.
	becomeRefused(t, u, true, "not-"+u.Password, "sudo: 1 incorrect password attempt", "become_password is wrong")
}

func TestBecomePasswordRequired(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/sh", "ALL=(ALL:ALL) ALL")
	becomeRefused(t, u, false, "", "sudo: a password is required", "give the password with become_password")
}

func TestBecomeUserWithoutSudoRights(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/sh", "")
	becomeRefused(t, u, true, u.Password, "is not in the sudoers file", "needs a sudoers rule")
}

func TestBecomeRequiretty(t *testing.T) {
	u := opensshtest.AddSudoUser(t, "/bin/sh", "ALL=(ALL:ALL) NOPASSWD: ALL", "requiretty")
	becomeRefused(t, u, false, "", "you must have a tty", "!requiretty")
}
