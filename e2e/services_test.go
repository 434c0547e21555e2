package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// Plan reads every managed service's startup type on the nodes of its group's policy and warns
// of one that starts at boot, naming the node (seed 001, 1.1.4 and 1.5.5).
func TestManagedServiceStartingAtBootIsWarned(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	ex := "examples/" + iis4
	clean := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan")
	if strings.Contains(clean.stdout+clean.stderr, "starts at boot") {
		t.Fatalf("a warning with every service manual:\n%s", clean.stderr)
	}
	if err := labdir.SetFault(n.roots["sv3"], labdir.ServiceAuto, "W3SVC"); err != nil {
		t.Fatal(err)
	}
	r := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan with an automatic service")
	out := r.stdout + r.stderr
	if strings.Count(out, "Managed service starts at boot") != 1 || !strings.Contains(out, "cluster.web.node.sv3") ||
		!strings.Contains(out, "sc config W3SVC start= demand") {
		t.Errorf("the plan does not warn exactly once about W3SVC on sv3:\n%s", out)
	}
}

// A registry synchronisation resource is refused while its key is missing on a node of the
// policy (the product is not installed there), and warned of once it is registered.
func TestRegistrySyncNeedsTheProductOnEveryNode(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	const ex, key = "examples/dbmail", `HKLM\SOFTWARE\NEC\dbMail`
	if err := labdir.SetFault(n.roots["sv4"], labdir.RegistryMissing, key); err != nil {
		t.Fatal(err)
	}
	refused := n.run("plan", "--var-file", n.varFile, ex).must(t, 1, "plan adding regsync with the key missing on sv4")
	out := refused.stdout + refused.stderr
	if !strings.Contains(out, "Synchronised registry key missing") || !strings.Contains(out, ".node.sv4") {
		t.Fatalf("the plan does not refuse the regsync resource naming sv4:\n%s", out)
	}
	if err := labdir.ClearFault(n.roots["sv4"], labdir.RegistryMissing, key); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply once the product is everywhere")
	if err := labdir.SetFault(n.roots["sv2"], labdir.RegistryMissing, key); err != nil {
		t.Fatal(err)
	}
	warned := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan of a registered regsync with the key gone on sv2")
	if !strings.Contains(warned.stdout+warned.stderr, "Synchronised registry key missing") {
		t.Errorf("no warning for the missing key on sv2:\n%s\n%s", warned.stdout, warned.stderr)
	}
}

// WEBharmo/OLTP runs after a failover with the registry values of the server the group moved to
// (seed 001, 1.4.6 (3)): plan reads the group's identical_registry_keys on every node of the
// policy over SSH and warns, naming the node and the value, when one node's values differ.
func TestIdenticalRegistryKeysDifferOnOneNode(t *testing.T) {
	n := startNodes(t, "sv1", "sv2", "sv3", "sv4")
	const ex, key = "examples/webharmo-oltp", `HKLM\SOFTWARE\NEC\WEBharmo\OLTP`
	clean := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan with identical keys")
	if strings.Contains(clean.stdout+clean.stderr, "Registry values differ") {
		t.Fatalf("a warning while every node holds the same values:\n%s", clean.stderr)
	}
	if err := labdir.SetFault(n.roots["sv3"], labdir.RegistryDiffers, key); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply: a warning does not stop it")
	// The START.BAT apply wrote holds the clean-up of 1.4.5 right before IIS starts.
	bat, err := os.ReadFile(n.path("sv2", "c/Program Files/EXPRESSCLUSTER/scripts/iis/iis/start.bat"))
	if err != nil {
		t.Fatal(err)
	}
	const before = "rmdir /S /Q C:\\WEBharmo\\OLTP\\TEMP\r\ndel /S /Q \"C:\\WEBharmo\\OLTP\\PRINT\\DOC\\*.*\"\r\nARMLOAD WWWService /S W3SVC\r\n"
	if c := strings.Count(string(bat), before); c != 4 {
		t.Errorf("start.bat on sv2 has the clean-up before IIS in %d paths, want 4:\n%s", c, bat)
	}
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan of the applied example with sv3's values different")
	out := r.stdout + r.stderr
	if strings.Count(out, "Registry values differ between nodes") != 1 || !strings.Contains(out, "cluster.web.node.sv3") ||
		!strings.Contains(out, `value "LabDiffers"`) || !strings.Contains(out, key) {
		t.Errorf("the plan does not warn exactly once about sv3's value LabDiffers:\n%s", out)
	}
	if strings.Contains(out, "set on this node only") {
		t.Errorf("the warning shows registry data:\n%s", out)
	}
}
