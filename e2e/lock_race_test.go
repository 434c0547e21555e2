package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// startConcurrent runs `cluster apply --auto-approve` once per directory in dirs, all started
// before any is waited for, and returns their results in the order of dirs.
func startConcurrent(t *testing.T, n *nodes, dirs []string) []result {
	t.Helper()
	cmds := make([]*exec.Cmd, len(dirs))
	outs := make([][2]*bytes.Buffer, len(dirs))
	for i, dir := range dirs {
		cmd := exec.Command(binary, "apply", "--auto-approve", "--var-file", n.varFile, dir)
		cmd.Env = []string{"HOME=" + n.home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
		cmd.Dir = repoRoot()
		outs[i] = [2]*bytes.Buffer{{}, {}}
		cmd.Stdout, cmd.Stderr = outs[i][0], outs[i][1]
		cmds[i] = cmd
	}
	for _, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	res := make([]result, len(dirs))
	var wg sync.WaitGroup
	for i, cmd := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := cmd.Wait()
			res[i] = result{stdout: outs[i][0].String(), stderr: outs[i][1].String()}
			if ee, ok := err.(*exec.ExitError); ok {
				res[i].code = ee.ExitCode()
			} else if err != nil {
				res[i].code = -1
			}
		}()
	}
	wg.Wait()
	return res
}

// raceOutcome sorts the runs of one trial: applied (took every lock and changed the nodes),
// lockedOut (failed at once naming the run that holds the lock), late (started after the winner
// was done: nothing left to do, or its own version to apply) and other (anything else: a bug).
type raceOutcome struct {
	applied, lockedOut, late int
	other                    []string
}

func sortRace(rs []result) raceOutcome {
	var o raceOutcome
	for i, r := range rs {
		out := r.stdout + r.stderr
		switch {
		case strings.Contains(out, "records no holder"):
			o.other = append(o.other, fmt.Sprintf("run %d reports a live run's lock as recording no holder:\n%s", i, out))
		case r.code == 0 && strings.Contains(out, "Apply complete!"):
			o.applied++
		case r.code == 0 && strings.Contains(out, "No changes"):
			o.late++
		case r.code == 1 && (strings.Contains(r.stderr, "is locked by another run: ID ") || strings.Contains(r.stderr, "is being locked by another run right now")):
			o.lockedOut++
		default:
			o.other = append(o.other, fmt.Sprintf("run %d: exit %d\n%s\n%s", i, r.code, r.stdout, r.stderr))
		}
	}
	return o
}

// Five concurrent applies of one configuration: exactly one takes the locks and applies, every
// other fails at once naming the holder (or, started after the winner ended, finds nothing to
// do). Never do all fail, and a lock another run is writing is never "records no holder".
func TestConcurrentAppliesOneWins(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	dir := copyExample(t, "linux-mirror-exec")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "first apply")
	trials := 8
	if testing.Short() {
		trials = 3
	}
	from, to := "interval = 10", "interval = 11"
	for trial := range trials {
		edit(t, filepath.Join(dir, "failover1.hcl"), from, to)
		from, to = to, from
		o := sortRace(startConcurrent(t, n, []string{dir, dir, dir, dir, dir}))
		for _, msg := range o.other {
			t.Errorf("trial %d: %s", trial, msg)
		}
		if o.applied != 1 {
			t.Errorf("trial %d: %d of 5 concurrent applies applied (%d locked out, %d late), want exactly 1", trial, o.applied, o.lockedOut, o.late)
		}
		n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, fmt.Sprintf("trial %d: plan after the race", trial))
	}
}

// Two concurrent applies of different versions of one configuration: one applies; the other
// either fails at once naming it, or (started after it ended) applies its own version after
// it. Never do both fail.
func TestConcurrentAppliesOfTwoVersions(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	a := copyExample(t, "linux-mirror-exec")
	b := filepath.Join(t.TempDir(), "b")
	if err := os.CopyFS(b, os.DirFS(a)); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, a).must(t, 0, "first apply")
	trials := 8
	if testing.Short() {
		trials = 3
	}
	for trial := range trials {
		va, vb := 20+2*trial, 21+2*trial
		setInterval(t, a, va)
		setInterval(t, b, vb)
		o := sortRace(startConcurrent(t, n, []string{a, b}))
		for _, msg := range o.other {
			t.Errorf("trial %d: %s", trial, msg)
		}
		if o.applied == 0 || o.applied+o.lockedOut != 2 {
			t.Errorf("trial %d: of 2 concurrent applies of different versions %d applied, %d locked out, %d late; want one applied and the other locked out or applied after it",
				trial, o.applied, o.lockedOut, o.late)
		}
	}
}

// setInterval sets genw's polling interval in the configuration at dir.
func setInterval(t *testing.T, dir string, v int) {
	t.Helper()
	file := filepath.Join(dir, "failover1.hcl")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "interval = ") {
			lines[i] = l[:strings.Index(l, "interval = ")] + fmt.Sprintf("interval = %d", v)
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("%s has no interval", file)
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}
