package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/clusterctl/cluster/lab/labdir"
)

// faultRig is a running 2-node Linux cluster whose configuration a trial flips between two
// versions, so that every apply has something to do.
type faultRig struct {
	t       *testing.T
	n       *nodes
	dir     string
	flipped bool

	tried, converged int
}

func newFaultRig(t *testing.T) *faultRig {
	n := startNodes(t, "sv1", "sv2")
	r := &faultRig{t: t, n: n, dir: copyExample(t, "linux-mirror-exec")}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, r.dir).must(t, 0, "first apply")
	r.mustConverged("after the first apply")
	return r
}

// flip changes one attribute of the configuration (genw's polling interval).
func (r *faultRig) flip() {
	r.t.Helper()
	from, to := "interval = 10", "interval = 11"
	if r.flipped {
		from, to = to, from
	}
	edit(r.t, filepath.Join(r.dir, "failover1.hcl"), from, to)
	r.flipped = !r.flipped
}

// suspended lists the nodes whose emulated cluster service is suspended.
func (r *faultRig) suspended() []string {
	r.t.Helper()
	var out []string
	for _, name := range r.n.names {
		b, err := os.ReadFile(r.n.path(name, filepath.Join(linuxInstall, "work/lab/state.json")))
		if err != nil {
			r.t.Fatalf("%s: %v", name, err)
		}
		var st struct{ Cluster string }
		if err := json.Unmarshal(b, &st); err != nil {
			r.t.Fatalf("%s: %v", name, err)
		}
		if st.Cluster == "suspended" {
			out = append(out, name)
		}
	}
	return out
}

func (r *faultRig) mustConverged(what string) {
	r.t.Helper()
	r.n.run("plan", "--detailed-exitcode", "--var-file", r.n.varFile, r.dir).must(r.t, 0, what+": plan")
	if s := r.suspended(); len(s) > 0 {
		r.t.Fatalf("%s: plan says no changes, but %v are suspended", what, s)
	}
}

// settle is the check after every fault: the plan never hides a suspended node (exit 0 only
// when every node runs the configuration), and one more apply converges.
func (r *faultRig) settle(what string) {
	r.t.Helper()
	r.tried++
	plan := r.n.run("plan", "--detailed-exitcode", "--var-file", r.n.varFile, r.dir)
	switch plan.code {
	case 0:
		if s := r.suspended(); len(s) > 0 {
			r.t.Fatalf("%s: plan exits 0 while %v are suspended\n%s", what, s, plan.stdout)
		}
	case 2:
		// The run-state repair is shown whatever else changes: the cluster an earlier apply
		// left suspended (its record on the node it suspended from) is resumed first.
		if s := r.suspended(); len(s) > 0 && (!strings.Contains(plan.stdout, `run_state = "suspended from`) ||
			!strings.Contains(plan.stdout, "resume the cluster an earlier apply left suspended")) {
			r.t.Errorf("%s: %v are suspended, but the plan does not show the resume:\n%s", what, s, plan.stdout)
		}
	default:
		r.t.Fatalf("%s: plan exit %d\n%s\n%s", what, plan.code, plan.stdout, plan.stderr)
	}
	apply := r.n.run("apply", "--auto-approve", "--var-file", r.n.varFile, r.dir)
	if apply.code != 0 && len(r.suspended()) == 0 && strings.Contains(apply.stderr, "clpcl --resume exited") {
		// A kill between writing the suspension record and clpcl --suspend (or between a
		// resume and the record's removal) leaves a record while the cluster runs. The tool
		// never takes clpstat as proof of a resume: it keeps the record and reports the failed
		// resume. The operator, having checked the cluster, removes it as the plan says.
		for _, name := range r.n.names {
			if err := os.Remove(r.n.path(name, filepath.Join(linuxInstall, "work/cluster/suspended"))); err != nil && !os.IsNotExist(err) {
				r.t.Fatal(err)
			}
		}
		apply = r.n.run("apply", "--auto-approve", "--var-file", r.n.varFile, r.dir)
	}
	apply.must(r.t, 0, what+": the repairing apply")
	r.mustConverged(what + ": after the repairing apply")
	r.converged++
}

// start runs `cluster apply` in the background.
func (r *faultRig) start() *exec.Cmd {
	r.t.Helper()
	cmd := exec.Command(binary, "apply", "--auto-approve", "--var-file", r.n.varFile, r.dir)
	cmd.Env = []string{"HOME=" + r.n.home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
	cmd.Dir = repoRoot()
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	return cmd
}

// Injected failures of the vendor sequence: each leaves the cluster running (old or new
// configuration) or makes the plan show the repair, and one more apply converges.
func TestApplyFaultsConverge(t *testing.T) {
	r := newFaultRig(t)
	sv2 := r.n.roots["sv2"]
	for _, f := range []struct {
		what  string
		kind  labdir.Fault
		arg   string
		after func()
	}{
		{"failed suspend on sv2", labdir.VendorFail, "suspend", nil},
		{"failed resume on sv2", labdir.VendorFail, "resume", func() {
			if s := r.suspended(); len(s) != 1 || s[0] != "sv2" {
				t.Errorf("after a failed resume, suspended = %v, want [sv2]", s)
			}
			plan := r.n.run("plan", "--detailed-exitcode", "--var-file", r.n.varFile, r.dir).must(t, 2, "plan shows the resume")
			// clpcl --resume acts on the whole cluster: the plan resumes it once, from sv1,
			// which holds the record of the suspension it made.
			if !strings.Contains(plan.stdout, `run_state = "suspended from sv1" -> "running"`) {
				t.Errorf("the plan does not show the resume:\n%s", plan.stdout)
			}
		}},
		{"disk full on sv2", labdir.DiskFull, "", nil},
	} {
		r.flip()
		if err := labdir.SetFault(sv2, f.kind, f.arg); err != nil {
			t.Fatal(err)
		}
		res := r.n.run("apply", "--auto-approve", "--var-file", r.n.varFile, r.dir).must(t, 1, f.what)
		if !strings.Contains(res.stderr+res.stdout, "cluster.cluster.node.sv1: holds") {
			t.Errorf("%s: the apply does not say where each node stands:\n%s\n%s", f.what, res.stdout, res.stderr)
		}
		if f.after != nil {
			f.after()
		}
		if err := labdir.ClearFault(sv2, f.kind, f.arg); err != nil {
			t.Fatal(err)
		}
		r.settle(f.what)
	}
	t.Logf("injected faults: %d tried, %d converged", r.tried, r.converged)
}

// Interrupts and kills at many points of an apply: never a suspended cluster behind a plan
// that says "No changes", and one more apply always converges.
func TestApplyInterruptedAnywhereConverges(t *testing.T) {
	if testing.Short() {
		t.Skip("kills apply at 30+ points; run without -short")
	}
	r := newFaultRig(t)
	// How long one apply takes here, to spread the kill points over it.
	r.flip()
	began := time.Now()
	r.n.run("apply", "--auto-approve", "--var-file", r.n.varFile, r.dir).must(t, 0, "a timed apply")
	span := time.Since(began)
	r.mustConverged("after the timed apply")

	const killPoints = 30
	for i := 0; i < killPoints; i++ {
		r.flip()
		cmd := r.start()
		time.Sleep(span * time.Duration(i) / killPoints)
		_ = cmd.Process.Kill() // SIGKILL: no recovery at all
		_ = cmd.Wait()
		r.settle("kill -9 at point " + string(rune('0'+i/10)) + string(rune('0'+i%10)))
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, at := range []int{1, 4, 8} {
			r.flip()
			cmd := r.start()
			time.Sleep(span * time.Duration(at) / 10)
			_ = cmd.Process.Signal(sig)
			_ = cmd.Wait()
			// A graceful stop resumes what it suspended: no node is left suspended.
			if s := r.suspended(); len(s) > 0 {
				t.Errorf("%v at %d/10 of an apply left %v suspended", sig, at, s)
			}
			r.settle(sig.String() + " during apply")
		}
	}
	t.Logf("kill -9, SIGINT and SIGTERM during apply: %d tried, %d converged", r.tried, r.converged)
	if r.tried < 36 || r.converged != r.tried {
		t.Errorf("%d tried, %d converged", r.tried, r.converged)
	}
}
