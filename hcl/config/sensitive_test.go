package config

import (
	"slices"
	"testing"
)

// Values computed from a sensitive variable, through locals and functions, are secrets; the
// variable's plain neighbours are not.
func TestSecretsFollowSensitiveVariables(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": `
variable "db_password" {
  type      = string
  sensitive = true
  default   = "s3cret"
}
variable "user" {
  default = "admin"
}
locals {
  login = format("%s:%s", var.user, upper(var.db_password))
}
script "app" {
  hook "START" {
    commands = ["connect ${local.login}", "echo ${var.user}"]
  }
}
`})
	cfg := mustLoad(t, dir, LoadOptions{})
	want := []string{"connect admin:S3CRET", "s3cret"}
	if !slices.Equal(cfg.Secrets, want) {
		t.Errorf("secrets = %q, want %q (the value, and only the element computed from it)", cfg.Secrets, want)
	}
	if got := cfg.Scripts["app"].Hooks[0].Commands[0]; got != "connect admin:S3CRET" {
		t.Errorf("the command evaluates to %q", got)
	}
}
