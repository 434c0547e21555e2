package config

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// unknownVarsConfig uses variables without values everywhere a user would: node addresses and
// ports, interconnects, SSH settings, a local built from a variable, a group and a script
// argument, a variable validation; and it holds one error that needs no value.
const unknownVarsConfig = `
variable "hosts" {
  type = map(object({ address = string, port = number }))
  validation {
    condition     = length(var.hosts) > 0
    error_message = "hosts must not be empty."
  }
}
variable "ssh_user" { type = string }
variable "interconnects" { type = list(string) }
variable "auto_start" { type = bool }
variable "start_script" {}
variable "check" { type = string }

locals {
  sv2 = var.hosts["sv2"]
}

ssh {
  user = var.ssh_user
}

cluster "web" {
  node "sv1" {
    address       = var.hosts["sv1"].address
    port          = var.hosts["sv1"].port
    interconnects = var.interconnects
  }
  node "sv2" {
    address       = local.sv2.address
    port          = local.sv2.port
    interconnects = ["192.168.0.12"]
  }
  heartbeat "hb1" { interconnect = 0 }
}

script "app" {
  start = var.start_script
  stop  = "exit 0"
}

script "check" {
  start = var.check
  stop  = var.check
}

group "app" {
  cluster    = cluster.web
  policy     = [cluster.web.node.sv1, cluster.web.node.sv2]
  auto_start = var.auto_start
  resource "fip" "fip1" { ip = "10.0.0.300" }
  resource "exec" "exec1" { script = script.app }
  resource "exec" "exec2" { script = script.check }
}
`

// validate checks what it can without values (issue 18: it demanded every variable, unlike
// terraform validate): the error that needs no value is still found, nothing is reported for
// want of a value, and a warning names the variables and each check that waited. plan and
// apply, which load without UnknownVariables, still require every value.
func TestValidateWithUnknownVariables(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": unknownVarsConfig})

	_, diags := Load(dir, LoadOptions{UnknownVariables: true})
	var errs []string
	for _, d := range diags.Errs() {
		errs = append(errs, d.Error())
	}
	if len(errs) != 1 || !strings.Contains(errs[0], "Invalid IP address") {
		t.Errorf("errors = %q, want exactly the invalid IP address", errs)
	}
	w := findDiag(diags, hcl.DiagWarning, "Checks waiting for values")
	if w == nil {
		t.Fatalf("no warning about the checks that waited:\n%v", diags)
	}
	for _, want := range []string{
		"var.hosts, var.ssh_user, var.interconnects, var.auto_start, var.start_script, var.check",
		"a validation rule of var.hosts",
		"cluster.web.node.sv1 address", "cluster.web.node.sv1 port", "cluster.web.node.sv1 interconnects",
		"cluster.web.node.sv2 address", "group.app auto_start", "script.app start", "user",
	} {
		if !strings.Contains(w.Detail, want) {
			t.Errorf("the warning does not name %q:\n%s", want, w.Detail)
		}
	}

	_, diags = Load(dir, LoadOptions{})
	if d := findDiag(diags, hcl.DiagError, "Missing required variable"); d == nil {
		t.Errorf("a load for plan accepts variables without values:\n%v", diags)
	}
}
