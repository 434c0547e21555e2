package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runAt runs the binary as run does, in working directory dir.
func (n *nodes) runAt(dir string, args ...string) result {
	n.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"HOME=" + n.home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		n.t.Fatalf("running cluster %v: %v", args, err)
	}
	return r
}

// TestSavedPlanAppliesFromAnotherCheckout is CI's shape (issue 18): one job plans in its
// checkout, another applies the plan file in a checkout at another path, from its root.
func TestSavedPlanAppliesFromAnotherCheckout(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := copyExample(t, securevisor)
	job1 := filepath.Dir(ex)
	planFile := filepath.Join(t.TempDir(), "ci.plan")
	n.runAt(job1, "plan", "--out", planFile, "--var-file", n.varFile, securevisor).must(t, 0, "plan --out in job 1")

	job2 := filepath.Join(t.TempDir(), "job2")
	if err := os.Rename(job1, job2); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	r := n.runAt(empty, "apply", planFile).must(t, 1, "apply from an empty directory")
	if !strings.Contains(r.stderr, "--chdir") {
		t.Errorf("stderr does not say how to name the moved configuration:\n%s", r.stderr)
	}
	conf := filepath.Join(job2, securevisor, "securevisor.hcl")
	orig, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(conf, append(append([]byte(nil), orig...), "# reviewed\n"...), 0o644)
	r = n.runAt(job2, "apply", planFile).must(t, 1, "apply after an edit")
	if !strings.Contains(r.stderr, "securevisor.hcl changed since the plan") {
		t.Errorf("stderr does not name the changed file:\n%s", r.stderr)
	}
	os.WriteFile(conf, orig, 0o644)

	r = n.runAt(job2, "apply", planFile).must(t, 0, "apply in job 2's checkout root")
	if strings.Contains(r.stdout, "Do you want") {
		t.Errorf("apply of a saved plan asked for approval:\n%s", r.stdout)
	}
	// The plan is not printed whole again: a short list and the summary, as Terraform does.
	if strings.Contains(r.stdout, "will perform the following actions") || !strings.Contains(r.stdout, "Applying the saved plan "+planFile) {
		t.Errorf("apply of a saved plan does not print it in short:\n%s", r.stdout)
	}
	n.runAt(empty, "plan", "--detailed-exitcode", "--var-file", n.varFile, filepath.Join(job2, securevisor)).must(t, 0, "plan after apply")
}

// TestSavedPlanWithPlanFlagsIsRefused: apply PLANFILE --target would apply the whole plan; it is
// refused, as are --var and --var-file for values the plan holds.
func TestSavedPlanWithPlanFlagsIsRefused(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", securevisor)
	planFile := filepath.Join(t.TempDir(), "saved.plan")
	n.run("plan", "--out", planFile, "--var-file", n.varFile, ex).must(t, 0, "plan --out")
	for _, args := range [][]string{
		{"--target", "cluster.securevisor"},
		{"--var-file", n.varFile},
		{"-target", "cluster.securevisor"},
	} {
		r := n.run(append([]string{"apply", planFile}, args...)...).must(t, 1, "apply PLANFILE "+strings.Join(args, " "))
		if !strings.Contains(r.stderr, "saved plan") {
			t.Errorf("apply PLANFILE %v: stderr does not say why:\n%s", args, r.stderr)
		}
	}
	for _, name := range n.names {
		if _, err := os.Stat(n.path(name, winConf)); err == nil {
			t.Errorf("%s was changed", name)
		}
	}
}
