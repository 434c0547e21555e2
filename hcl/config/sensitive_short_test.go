package config

import (
	"slices"
	"testing"
)

// A sensitive value too short to be hidden inside texts, and every sensitive number, is kept
// apart (hidden only as a whole value): hiding "2" or "on" by substring would hide it in every
// address, port and name of a plan.
func TestShortSecretsAreWholeValuesOnly(t *testing.T) {
	dir := writeDir(t, map[string]string{"main.hcl": `
variable "pin" {
  sensitive = true
  default   = "on"
}
variable "port" {
  type      = number
  sensitive = true
  default   = 2
}
variable "token" {
  sensitive = true
  default   = "abcd"
}
`})
	cfg := mustLoad(t, dir, LoadOptions{})
	if want := []string{"abcd"}; !slices.Equal(cfg.Secrets, want) {
		t.Errorf("secrets = %q, want %q (only values of at least %d bytes)", cfg.Secrets, want, MinSecretLen)
	}
	if want := []string{"on", "2"}; !slices.Equal(cfg.WholeSecrets, want) {
		t.Errorf("whole-value secrets = %q, want %q", cfg.WholeSecrets, want)
	}
}
