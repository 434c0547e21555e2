package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A value derived from a sensitive variable never appears in any output channel or plan file:
// plan (human and JSON), the saved plan, show (human and JSON), apply (human and JSON), and the
// drift plan that follows a hand edit. It does reach the nodes, where it belongs.
func TestSensitiveValuesNeverLeaveTheNodes(t *testing.T) {
	const secret = "Tr0ub4dor-3"
	const derived = "TR0UB4DOR-3" // upper(): a derived value is as secret as the variable
	n := startNodes(t, "sv1", "sv2")
	dir := copyExample(t, "linux-mirror-exec")
	if err := os.WriteFile(filepath.Join(dir, "secret.hcl"), []byte(`
variable "db_password" {
  type      = string
  sensitive = true
  default   = "`+secret+`"
}

group "failover2" {
  cluster = cluster.cluster
  policy  = [cluster.cluster.node.sv2, cluster.cluster.node.sv1]
  comment = "db ${upper(var.db_password)}"

  resource "exec" "db" {
    script = script.db
    vendor_parameters = {
      "parameters/userlog" = var.db_password
    }
  }
}

script "db" {
  hook "START" {
    commands = ["/opt/db/bin/login --password ${var.db_password}"]
  }
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	// This test's own group replaces the example's failover2.
	if err := os.Remove(filepath.Join(dir, "failover2.hcl")); err != nil {
		t.Fatal(err)
	}
	planFile := filepath.Join(t.TempDir(), "secret.plan")
	var outputs []result
	outputs = append(outputs,
		n.run("plan", "--var-file", n.varFile, dir).must(t, 0, "plan"),
		n.run("plan", "--json", "--var-file", n.varFile, dir).must(t, 0, "plan --json"),
		n.run("plan", "--out", planFile, "--var-file", n.varFile, dir).must(t, 0, "plan --out"),
		n.run("show", planFile).must(t, 0, "show"),
		n.run("show", "--json", planFile).must(t, 0, "show --json"),
		n.run("apply", "--auto-approve", "--json", "--var-file", n.varFile, dir).must(t, 0, "apply --json"),
	)
	// A hand edit of the secret on one node: the drift plan must not show either value.
	start := n.path("sv1", filepath.Join(linuxInstall, "scripts/failover2/db/start.sh"))
	installed, err := os.ReadFile(start)
	if err != nil || !strings.Contains(string(installed), secret) {
		t.Fatalf("the secret is not installed on the node (where it belongs): %v", err)
	}
	edit(t, start, secret, "hunter2-old")
	outputs = append(outputs,
		n.run("plan", "--var-file", n.varFile, dir).must(t, 0, "plan with drift"),
		n.run("plan", "--json", "--var-file", n.varFile, dir).must(t, 0, "plan --json with drift"),
		n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "apply the repair"),
	)
	saved, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	channels := map[string]string{"plan file": string(saved)}
	for i, r := range outputs {
		channels["stdout "+string(rune('a'+i))] = r.stdout
		channels["stderr "+string(rune('a'+i))] = r.stderr
	}
	hits := 0
	for name, text := range channels {
		for _, s := range []string{secret, derived, "hunter2-old"} {
			if strings.Contains(text, s) {
				hits++
				t.Errorf("%s shows %q:\n%s", name, s, text)
			}
		}
	}
	t.Logf("%d output channels and the plan file searched for the secret: %d hits", len(channels), hits)
	if !strings.Contains(outputs[0].stdout, "(sensitive") {
		t.Errorf("the plan does not say a sensitive value changes:\n%s", outputs[0].stdout)
	}
}
