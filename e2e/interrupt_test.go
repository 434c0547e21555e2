package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// signalledApply is an apply started in its own process group, as a CI runner or GNU timeout
// starts a command, whose stderr is watched line by line.
type signalledApply struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	seen   chan struct{} // closed when stderr has shown the awaited line
	ended  chan struct{}
	code   int
}

// startSignalled starts `cluster apply` (after prefix, e.g. timeout and its arguments) and
// closes seen when a stderr line contains await.
func startSignalled(t *testing.T, r *faultRig, await string, prefix ...string) *signalledApply {
	t.Helper()
	args := append(append([]string{}, prefix...), binary, "apply", "--auto-approve", "--var-file", r.n.varFile, r.dir)
	a := &signalledApply{cmd: exec.Command(args[0], args[1:]...), seen: make(chan struct{}), ended: make(chan struct{})}
	a.cmd.Env = []string{"HOME=" + r.n.home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
	a.cmd.Dir = repoRoot()
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	a.cmd.Stdout = lockedWriter{&a.mu, &a.stdout}
	pipe, err := a.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		once := sync.Once{}
		for sc.Scan() {
			a.mu.Lock()
			a.stderr.WriteString(sc.Text() + "\n")
			a.mu.Unlock()
			if await != "" && strings.Contains(sc.Text(), await) {
				once.Do(func() { close(a.seen) })
			}
		}
		err := a.cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			a.code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				a.code = 128 + int(ws.Signal())
			}
		}
		close(a.ended)
	}()
	return a
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (a *signalledApply) output() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stdout.String() + a.stderr.String()
}

// await waits for the awaited stderr line; the test fails if the apply ends first.
func (a *signalledApply) await(t *testing.T) {
	t.Helper()
	select {
	case <-a.seen:
	case <-a.ended:
		t.Fatalf("the apply ended before the awaited line:\n%s", a.output())
	case <-time.After(60 * time.Second):
		t.Fatalf("no awaited line after 60 s:\n%s", a.output())
	}
}

// signal sends sig to the process (group false) or to its whole process group.
func (a *signalledApply) signal(t *testing.T, sig syscall.Signal, group bool) {
	t.Helper()
	pid := a.cmd.Process.Pid
	if group {
		pid = -pid
	}
	if err := syscall.Kill(pid, sig); err != nil && err != syscall.ESRCH {
		t.Fatal(err)
	}
}

func (a *signalledApply) wait(t *testing.T, limit time.Duration) {
	t.Helper()
	select {
	case <-a.ended:
	case <-time.After(limit):
		_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
		<-a.ended
		t.Fatalf("the apply did not stop within %s:\n%s", limit, a.output())
	}
}

// suspendDone is the progress line of the suspend that starts a push.
const suspendDone = "suspend the cluster... done"

// Signals that arrive together are one request to stop: the apply resumes what it suspended
// and says it was interrupted, listing nothing as failed.
func TestApplyInterruptedBySignalsTogether(t *testing.T) {
	r := newFaultRig(t)
	for _, tc := range []struct {
		name string
		send func(t *testing.T, a *signalledApply)
	}{
		{"SIGINT to the process, then 50 ms later to its group (GNU timeout)", func(t *testing.T, a *signalledApply) {
			a.signal(t, syscall.SIGINT, false)
			time.Sleep(50 * time.Millisecond)
			a.signal(t, syscall.SIGINT, true)
		}},
		{"SIGINT, then SIGTERM (a runner's cancel)", func(t *testing.T, a *signalledApply) {
			a.signal(t, syscall.SIGINT, true)
			time.Sleep(300 * time.Millisecond)
			a.signal(t, syscall.SIGTERM, true)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.flip()
			a := startSignalled(t, r, suspendDone)
			a.await(t)
			tc.send(t, a)
			a.wait(t, 60*time.Second)
			out := a.output()
			if strings.Contains(out, "Second interrupt") {
				t.Errorf("signals sent together were taken as two interrupts:\n%s", out)
			}
			if s := r.suspended(); len(s) > 0 {
				t.Errorf("the interrupted apply left %v suspended:\n%s", s, out)
			}
			checkInterruptedSummary(t, a.code, out)
			r.settle(tc.name)
		})
	}
}

// checkInterruptedSummary: a gracefully interrupted apply exits 1, says "Apply interrupted" and
// lists no node as failed (each holds its previous configuration, or the new one).
func checkInterruptedSummary(t *testing.T, code int, out string) {
	t.Helper()
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(out, "Apply interrupted") || strings.Contains(out, "Apply failed") {
		t.Errorf("the summary does not call the run interrupted:\n%s", out)
	}
	if i := strings.Index(out, "Failed (they may be partly changed):"); i >= 0 && !strings.HasPrefix(out[i:], "Failed (they may be partly changed):\n  (none)") {
		t.Errorf("the summary lists nodes as failed after a graceful interrupt:\n%s", out)
	}
}

// GNU timeout -s INT at several points of an apply: never an abort, never a suspended cluster.
func TestApplyUnderTimeoutNeverAborts(t *testing.T) {
	r := newFaultRig(t)
	r.flip()
	began := time.Now()
	r.n.run("apply", "--auto-approve", "--var-file", r.n.varFile, r.dir).must(t, 0, "a timed apply")
	span := time.Since(began)
	for _, at := range []int{3, 5, 7} {
		r.flip()
		limit := fmt.Sprintf("%.3f", (span * time.Duration(at) / 10).Seconds())
		a := startSignalled(t, r, "", "timeout", "-s", "INT", limit)
		a.wait(t, 60*time.Second)
		out := a.output()
		if strings.Contains(out, "Second interrupt") {
			t.Errorf("timeout -s INT at %d/10 of an apply aborted it:\n%s", at, out)
		}
		if s := r.suspended(); len(s) > 0 {
			t.Errorf("timeout -s INT at %d/10 of an apply left %v suspended:\n%s", at, s, out)
		}
		r.settle("timeout -s INT")
	}
}

// A CI runner's cancel: SIGTERM, then SIGKILL 10 s later. The cluster is running again before
// the kill: the apply has resumed it and ended.
func TestApplyCancelledLikeCIResumesBeforeTheKill(t *testing.T) {
	r := newFaultRig(t)
	r.flip()
	a := startSignalled(t, r, suspendDone)
	a.await(t)
	a.signal(t, syscall.SIGTERM, true)
	sent := time.Now()
	select {
	case <-a.ended:
	case <-time.After(10 * time.Second):
		a.signal(t, syscall.SIGKILL, true)
		<-a.ended
		t.Errorf("the apply was still running 10 s after SIGTERM and was killed")
	}
	took := time.Since(sent)
	if s := r.suspended(); len(s) > 0 {
		t.Errorf("after SIGTERM (and SIGKILL at 10 s), %v are suspended", s)
	}
	t.Logf("apply stopped %s after SIGTERM", took.Round(time.Millisecond))
	checkInterruptedSummary(t, a.code, a.output())
	r.settle("CI cancel")
}
