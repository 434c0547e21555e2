package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSingleDashArgs(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plan -var x=y -var-file f.vars.hcl -out p.plan", "plan --var x=y --var-file f.vars.hcl --out p.plan"},
		{"plan -target=cluster.web -detailed-exitcode -no-color -json", "plan --target=cluster.web --detailed-exitcode --no-color --json"},
		{"apply -auto-approve -lock-timeout 30s p.plan", "apply --auto-approve --lock-timeout 30s p.plan"},
		{"-chdir web plan -var x=y", "--chdir web plan --var x=y"},
		{"-chdir=web apply -auto-approve", "--chdir=web apply --auto-approve"},
		{"plan -help", "plan --help"},
		// Left alone: a shorthand, a flag another command has, a flag's value, after "--".
		{"plan -h", "plan -h"},
		{"validate -out x", "validate -out x"},
		{"plan --var -json", "plan --var -json"},
		{"plan -var x=1 -- -json", "plan --var x=1 -- -json"},
		{"plan -nosuchflag", "plan -nosuchflag"},
		{"fmt -check -recursive", "fmt --check --recursive"},
	} {
		got := singleDashArgs(newRootCmd(), strings.Fields(tc.in))
		if diff := cmp.Diff(strings.Fields(tc.want), got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.in, diff)
		}
	}
}

// cluster validate -var-file F -var x=y runs as with double dashes.
func TestSingleDashFlagsRun(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.hcl"), []byte("variable \"a\" {\n  type = string\n}\nvariable \"b\" {\n  type = string\n}\n"), 0o644)
	vars := filepath.Join(t.TempDir(), "a.vars.hcl")
	os.WriteFile(vars, []byte("a = \"1\"\n"), 0o644)
	_, errOut, code := runRoot(t, nil, "validate", "-var-file", vars, "-var", "b=2", dir)
	if code != 0 {
		t.Errorf("validate -var-file -var: exit %d\n%s", code, errOut)
	}
}
