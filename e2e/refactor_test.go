package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fleetNodes are the lab nodes of examples/fleet: two servers per branch.
var fleetNodes = []string{"osaka1", "osaka2", "nagoya1", "nagoya2", "fukuoka1", "fukuoka2"}

// fleetBranches are the branches of examples/fleet with their servers, virtual IP and
// interconnect LAN, as its branches.hcl declares them.
var fleetBranches = []struct{ name, sv1, sv2, vip, lan string }{
	{"fukuoka", "fukuoka1", "fukuoka2", "10.3.0.100", "192.168.30"},
	{"nagoya", "nagoya1", "nagoya2", "10.2.0.100", "192.168.20"},
	{"osaka", "osaka1", "osaka2", "10.1.0.100", "192.168.10"},
}

// copiesConfig is examples/fleet written out by hand: one cluster, group and exec per branch,
// with no module and no for_each, as a configuration looks before it is refactored.
func copiesConfig() string {
	var b strings.Builder
	b.WriteString(`script "iis" {
  description = "IIS single standby (seed 001, 1.1.5.1)"
  env_prefix  = "ARMS"
  service "WWWService" {
    name = "W3SVC"
  }
}
`)
	for _, br := range fleetBranches {
		fmt.Fprintf(&b, `
cluster "%[1]s" {
  platform = "windows"
  comment  = "IIS single standby of branch %[1]s"
  node "%[2]s" {
    address       = var.hosts["%[2]s"].address
    port          = var.hosts["%[2]s"].port
    interconnects = ["%[5]s.11"]
    ssh {
      shell = var.hosts["%[2]s"].shell
    }
  }
  node "%[3]s" {
    address       = var.hosts["%[3]s"].address
    port          = var.hosts["%[3]s"].port
    interconnects = ["%[5]s.12"]
    ssh {
      shell = var.hosts["%[3]s"].shell
    }
  }
  heartbeat "lankhb1" {
    mode         = "kernel"
    interconnect = 0
  }
  monitor "userw" "userw" {}
}

group "iis_%[1]s" {
  name    = "iis"
  cluster = cluster.%[1]s
  comment = "IIS of branch %[1]s"
  policy  = [cluster.%[1]s.node.%[2]s, cluster.%[1]s.node.%[3]s]
  resource "vip" "vip1" {
    ip      = "%[4]s"
    netmask = "255.255.255.0"
  }
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1, disk.disk1]
  }
}
`, br.name, br.sv1, br.sv2, br.vip, br.lan)
	}
	return b.String()
}

// forEachConfig is the same three clusters from one cluster block and one group block with
// for_each, without a module.
const forEachConfig = `
locals {
  branches = {
    osaka   = { servers = ["osaka1", "osaka2"], vip = "10.1.0.100", lan = "192.168.10" }
    nagoya  = { servers = ["nagoya1", "nagoya2"], vip = "10.2.0.100", lan = "192.168.20" }
    fukuoka = { servers = ["fukuoka1", "fukuoka2"], vip = "10.3.0.100", lan = "192.168.30" }
  }
}

cluster "branch" {
  for_each = local.branches
  name     = each.key
  platform = "windows"
  comment  = "IIS single standby of branch ${each.key}"
  dynamic "node" {
    for_each = each.value.servers
    labels   = [node.value]
    content {
      address       = var.hosts[node.value].address
      port          = var.hosts[node.value].port
      interconnects = ["${each.value.lan}.${11 + node.key}"]
      ssh {
        shell = var.hosts[node.value].shell
      }
    }
  }
  heartbeat "lankhb1" {
    mode         = "kernel"
    interconnect = 0
  }
  monitor "userw" "userw" {}
}

group "iis" {
  for_each = local.branches
  cluster  = cluster.branch[each.key]
  comment  = "IIS of branch ${each.key}"
  policy   = [cluster.branch[each.key].node[each.value.servers[0]], cluster.branch[each.key].node[each.value.servers[1]]]
  resource "vip" "vip1" {
    ip      = each.value.vip
    netmask = "255.255.255.0"
  }
  resource "disk" "disk1" {
    device = "F:"
  }
  resource "exec" "iis" {
    script     = script.iis
    depends_on = [vip.vip1, disk.disk1]
  }
}

script "iis" {
  description = "IIS single standby (seed 001, 1.1.5.1)"
  env_prefix  = "ARMS"
  service "WWWService" {
    name = "W3SVC"
  }
}
`

// TestRefactoringCostsNothing proves that there is no state to migrate: three clusters
// written as copies are applied to real nodes, and then the same clusters written as one
// module called with for_each (examples/fleet), and as for_each blocks without a module, each
// plan "No changes" against those nodes. Only the addresses in the configuration change.
func TestRefactoringCostsNothing(t *testing.T) {
	n := startNodes(t, fleetNodes...)
	fleet := copyExample(t, "fleet")
	copies := filepath.Join(t.TempDir(), "copies")
	forEach := filepath.Join(t.TempDir(), "for_each")
	connection, err := os.ReadFile(filepath.Join(fleet, "connection.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	for dir, body := range map[string]string{copies: copiesConfig(), forEach: forEachConfig} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range map[string]string{"connection.hcl": string(connection), "main.hcl": body} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	n.run("apply", "--auto-approve", "--var-file", n.varFile, copies).must(t, 0, "apply the copies")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, copies).must(t, 0, "plan the copies again")

	for _, dir := range []string{fleet, forEach} {
		r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir)
		r.must(t, 0, "plan "+filepath.Base(dir)+" against the nodes the copies configured")
		if !strings.Contains(r.stdout, "No changes.") {
			t.Errorf("plan %s: no \"No changes.\" in\n%s", filepath.Base(dir), r.stdout)
		}
	}

	// The check can fail: the module with one branch's virtual IP changed plans exactly that
	// change, under the module's address.
	edit(t, filepath.Join(fleet, "branches.hcl"), `vip = "10.2.0.100"`, `vip = "10.2.0.101"`)
	p := n.planJSON(fleet)
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Action+" "+c.Address)
	}
	want := `update module.branch["nagoya"].group.iis.vip.vip1`
	if len(got) != 1 || got[0] != want {
		t.Errorf("changes after editing nagoya's vip = %q, want [%s]", got, want)
	}

	// Instance addresses work wherever an address does: --target, status, simulate.
	n.run("plan", "--detailed-exitcode", "--target", `module.branch["osaka"]`, "--var-file", n.varFile, fleet).
		must(t, 0, "plan --target another branch: no changes there")
	n.run("plan", "--detailed-exitcode", "--target", `module.branch["nagoya"].group.iis`, "--var-file", n.varFile, fleet).
		must(t, 2, "plan --target the edited branch's group")
	st := n.run("status", "--var-file", n.varFile, fleet).must(t, 0, "status")
	if !strings.Contains(st.stdout, `module.branch["osaka"].group.iis`) {
		t.Errorf("status does not name the group by its address:\n%s", st.stdout)
	}
	sim := n.run("simulate", "--var-file", n.varFile, "--fail", "osaka1", "--expect-available", `module.branch["osaka"].group.iis`, fleet)
	sim.must(t, 0, "simulate a branch server's failure")
	if !strings.Contains(sim.stdout, `module.branch["osaka"].group.iis fails over from osaka1 to osaka2`) {
		t.Errorf("simulate:\n%s", sim.stdout)
	}
}
