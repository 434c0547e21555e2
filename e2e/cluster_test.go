// Package e2e runs the built cluster binary against real OpenSSH sshd nodes on loopback
// addresses, each node isolated in its own root with the vendor-command emulations installed.
package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const iis4 = "iis-single-standby-4nodes"

// winConf is where the Windows examples' clp.conf lives under a node root.
const winConf = "c/Program Files/EXPRESSCLUSTER/etc/clp.conf"

func TestSingleStandbyAppliesAndConverges(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	ex := filepath.Join("examples", iis4)

	p := n.planJSON(ex)
	if p.Summary.Add == 0 || p.Summary.Change != 0 || p.Summary.Destroy != 0 {
		t.Fatalf("first plan summary = %+v, want only additions", p.Summary)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")
	for _, name := range n.names {
		if _, err := os.Stat(n.path(name, winConf)); err != nil {
			t.Errorf("%s: clp.conf not installed: %v", name, err)
		}
		if _, err := os.Stat(n.path(name, "c/Program Files/EXPRESSCLUSTER/scripts/iis/iis/start.bat")); err != nil {
			t.Errorf("%s: start.bat not installed: %v", name, err)
		}
	}
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after apply")
	if !strings.Contains(r.stdout, "No changes") {
		t.Errorf("plan after apply:\n%s", r.stdout)
	}
	// The running cluster was started by apply: clpstat on sv2 says so.
	stat := n.run("plan", "--json", "--var-file", n.varFile, ex)
	if stat.code != 0 {
		t.Fatalf("plan: %s", stat.stderr)
	}
}

func TestScriptChangeIsExactlyOneUpdate(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	ex := copyExample(t, iis4)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "first apply")

	edit(t, filepath.Join(ex, "iis.hcl"), `name = "MSFTPSVC"`, `name = "MSFTPSVC-NEW"`)
	p := n.planJSON(ex)
	if len(p.Changes) != 1 || p.Changes[0].Address != "group.iis.exec.iis" || p.Changes[0].Action != "update" {
		t.Fatalf("changes = %+v, want exactly one update of group.iis.exec.iis", p.Changes)
	}
	r := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply the change")
	for _, step := range []string{"suspend the cluster", "distribute the configuration", "resume the cluster"} {
		if !strings.Contains(r.stderr, step) {
			t.Errorf("progress lacks %q:\n%s", step, r.stderr)
		}
	}
	for _, name := range n.names {
		b, err := os.ReadFile(n.path(name, "c/Program Files/EXPRESSCLUSTER/scripts/iis/iis/start.bat"))
		if err != nil || !strings.Contains(string(b), "MSFTPSVC-NEW") {
			t.Errorf("%s: start.bat not updated (%v)", name, err)
		}
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the change")
}

func TestHandEditedNodeIsDriftAndRepaired(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	ex := filepath.Join("examples", iis4)
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")

	edit(t, n.path("sv3", winConf), "<ip>10.0.0.100</ip>", "<ip>10.0.0.199</ip>")
	p := n.planJSON(ex)
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
	if b, _ := os.ReadFile(n.path("sv3", winConf)); strings.Contains(string(b), "10.0.0.199") {
		t.Error("sv3 still holds the hand edit")
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after repair")
	// The previous configuration was kept as a backup on the node.
	backups, _ := filepath.Glob(n.path("sv3", "c/Program Files/EXPRESSCLUSTER/work/cluster/backup/*/etc/clp.conf"))
	found := false
	for _, b := range backups {
		if data, _ := os.ReadFile(b); strings.Contains(string(data), "10.0.0.199") {
			found = true
		}
	}
	if !found {
		t.Errorf("no backup on sv3 holds the configuration it had before apply (%v)", backups)
	}
}

func TestStaleSavedPlanIsRefused(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := copyExample(t, "securevisor-windows")
	planFile := filepath.Join(t.TempDir(), "saved.plan")
	n.run("plan", "--out", planFile, "--var-file", n.varFile, ex).must(t, 0, "plan --out")
	n.run("show", planFile).must(t, 0, "show")

	// Someone installs a configuration on sv2 between plan and apply.
	conf := n.path("sv2", winConf)
	if err := os.MkdirAll(filepath.Dir(conf), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(conf, []byte(`<?xml version="1.0" encoding="ASCII"?><root><cluster><name>other</name></cluster></root>`), 0o644)
	r := n.run("apply", planFile).must(t, 1, "apply of a stale plan")
	if !strings.Contains(r.stderr, "changed since this plan was made") {
		t.Errorf("stderr does not say the plan is stale:\n%s", r.stderr)
	}
	os.Remove(conf)

	// A plan is refused once the configuration files change, even by a comment.
	f, err := os.OpenFile(filepath.Join(ex, "securevisor.hcl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("# reviewed\n")
	f.Close()
	r = n.run("apply", planFile).must(t, 1, "apply after a configuration change")
	if !strings.Contains(r.stderr, "configuration changed since this plan was made") {
		t.Errorf("stderr does not say the configuration changed:\n%s", r.stderr)
	}
}

func TestSavedPlanAppliesExactly(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	ex := filepath.Join("examples", "iis-mutual-standby")
	planFile := filepath.Join(t.TempDir(), "saved.plan")
	n.run("plan", "--out", planFile, "--var-file", n.varFile, ex).must(t, 0, "plan --out")
	n.run("apply", planFile).must(t, 0, "apply the saved plan")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after apply")
}

func TestConcurrentAppliesOneFailsNamingTheHolder(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	ex := filepath.Join("examples", iis4)
	// Make the first apply's push slow, so the second one starts while the first holds the lock.
	// exec -a keeps the name the emulation dispatches on.
	push := n.path("sv1", "c/Program Files/EXPRESSCLUSTER/bin/clpcfctrl.exe") // a Windows install: NAME.exe
	slow := "#!/bin/bash\nsleep 3\nexec -a \"$0\" " + binary + " \"$@\"\n"
	if err := os.Remove(push); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(push, []byte(slow), 0o755); err != nil {
		t.Fatal(err)
	}

	first := make(chan result, 1)
	go func() { first <- n.run("apply", "--auto-approve", "--var-file", n.varFile, ex) }()
	lock := n.path("sv1", "c/Program Files/EXPRESSCLUSTER/work/cluster/lock") // the lock file
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(lock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first apply never took the lock")
		}
		time.Sleep(50 * time.Millisecond)
	}
	second := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 1, "second, concurrent apply")
	if !strings.Contains(second.stderr, "locked by another run") || !strings.Contains(second.stderr, "force-unlock") {
		t.Errorf("second apply does not name the lock holder:\nstdout:\n%s\nstderr:\n%s", second.stdout, second.stderr)
	}
	(<-first).must(t, 0, "first apply")
}

func TestUnreachableNodeStopsTheRun(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	n.ssh.Stop(3)
	r := n.run("apply", "--auto-approve", "--connect-timeout", "2s", "--var-file", n.varFile, filepath.Join("examples", iis4)).must(t, 1, "apply with sv4 down")
	if !strings.Contains(r.stdout+r.stderr, "cluster.web.node.sv4") || !strings.Contains(r.stdout+r.stderr, "Node unreachable") {
		t.Errorf("output does not name the unreachable node:\n%s\n%s", r.stdout, r.stderr)
	}
	for _, name := range []string{"sv1", "sv2", "sv3"} {
		if _, err := os.Stat(n.path(name, winConf)); err == nil {
			t.Errorf("%s was changed although the run stopped", name)
		}
	}
}

func TestApplyWithoutTerminalNeedsApproval(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	r := n.run("apply", "--var-file", n.varFile, filepath.Join("examples", "securevisor-windows")).must(t, 1, "apply without a terminal")
	if !strings.Contains(r.stderr, "--auto-approve") {
		t.Errorf("the error does not say how to approve:\n%s", r.stderr)
	}
}

func TestUnknownHostKeyStopsTheRun(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	n.ssh.ChangeHostKey(1)
	r := n.run("plan", "--var-file", n.varFile, filepath.Join("examples", "securevisor-windows")).must(t, 1, "plan with a changed host key")
	if !strings.Contains(r.stdout+r.stderr, "SHA256:") {
		t.Errorf("output does not show the new key's fingerprint:\n%s\n%s", r.stdout, r.stderr)
	}
}
