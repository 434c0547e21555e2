package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// streamLine is one line of a --json stream, with the fields the tests read.
type streamLine struct {
	Level     string          `json:"@level"`
	Message   string          `json:"@message"`
	Module    string          `json:"@module"`
	Timestamp time.Time       `json:"@timestamp"`
	Type      string          `json:"type"`
	UI        string          `json:"ui"`
	Cluster   string          `json:"cluster"`
	Change    json.RawMessage `json:"change"`
	Changes   *struct {
		Add, Change, Destroy int
		Operation            string
	} `json:"changes"`
	Errored bool `json:"errored"`
	Hook    struct {
		Nodes          []string `json:"nodes"`
		Node           string   `json:"node"`
		Step           string   `json:"step"`
		ElapsedSeconds *float64 `json:"elapsed_seconds"`
		Error          string   `json:"error"`
	} `json:"hook"`
	Outcome *struct {
		Status                     string
		Changed, Failed, Untouched []string
		Error                      *string
	} `json:"outcome"`
	Diagnostic *struct {
		Severity, Summary, Detail, Address string
	} `json:"diagnostic"`
	Valid *bool `json:"valid"`

	arrived time.Time // when the test read the line (streamed runs only)
}

// parseStream parses every line of a --json stream and checks what every stream promises:
// each line is one JSON object with the common fields, the first is the version, and the last,
// and only the last, is the summary.
func parseStream(t testing.TB, out string) []streamLine {
	t.Helper()
	var lines []streamLine
	for l := range strings.Lines(out) {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", len(lines)+1, err, out)
		}
		var sl streamLine
		if err := json.Unmarshal([]byte(l), &sl); err != nil {
			t.Fatalf("line %d: %v\n%s", len(lines)+1, err, l)
		}
		if sl.Level == "" || sl.Message == "" || sl.Module != "cluster.ui" || sl.Timestamp.IsZero() || sl.Type == "" {
			t.Errorf("line %d lacks a common field: %s", len(lines)+1, l)
		}
		lines = append(lines, sl)
	}
	if len(lines) < 2 {
		t.Fatalf("a stream of %d lines:\n%s", len(lines), out)
	}
	if v := lines[0]; v.Type != "version" || v.UI != "1.0" || v.Cluster == "" {
		t.Errorf("first line %+v, want the version with ui 1.0", v)
	}
	last := lines[len(lines)-1].Type
	if last != "change_summary" && last != "validate_summary" {
		t.Errorf("last line has type %s, want a summary", last)
	}
	for i, l := range lines[:len(lines)-1] {
		if l.Type == "version" && i > 0 || l.Type == "validate_summary" {
			t.Errorf("line %d: %s in the middle of the stream", i+1, l.Type)
		}
	}
	return lines
}

// types lists the type of each line, runs of one type folded into one entry ("a*" for a run of
// more than one).
func types(lines []streamLine) []string {
	var out []string
	for i, l := range lines {
		switch {
		case i > 0 && lines[i-1].Type == l.Type && !strings.HasSuffix(out[len(out)-1], "*"):
			out[len(out)-1] += "*"
		case i > 0 && lines[i-1].Type == l.Type:
		default:
			out = append(out, l.Type)
		}
	}
	return out
}

// slowCommand makes the vendor command name take delay on node: every emulation of it in the
// node's root becomes a bash script that sleeps, then runs the emulation under the script's own
// path (exec -a), from which the emulation tells its product and install directory.
func (n *nodes) slowCommand(node, name string, delay time.Duration) {
	n.t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		n.t.Skip("no bash for exec -a")
	}
	script := fmt.Sprintf("#!%s\nsleep %.3f\nexec -a \"$0\" '%s' \"$@\"\n", bash, delay.Seconds(), binary)
	replaced := 0
	err = filepath.WalkDir(n.roots[node], func(p string, d fs.DirEntry, err error) error {
		if err != nil || (d.Name() != name && d.Name() != name+".exe") || d.Type()&fs.ModeSymlink == 0 {
			return err
		}
		replaced++
		if err := os.Remove(p); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(script), 0o755)
	})
	if err != nil || replaced == 0 {
		n.t.Fatalf("slowing %s on %s: %d replaced, %v", name, node, replaced, err)
	}
}

// runStreaming runs the binary and records when each stdout line arrives, to tell lines written
// as things happen from lines written at the end. It returns the lines and when the process
// exited.
func (n *nodes) runStreaming(args ...string) (lines []streamLine, exited time.Time, r result) {
	n.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"HOME=" + n.home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
	cmd.Dir = repoRoot()
	var errb bytes.Buffer
	cmd.Stderr = &errb
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		n.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		n.t.Fatal(err)
	}
	var arrivals []time.Time
	var out strings.Builder
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		arrivals = append(arrivals, time.Now())
		out.WriteString(sc.Text() + "\n")
	}
	err = cmd.Wait()
	exited = time.Now()
	r = result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		n.t.Fatalf("running cluster %v: %v", args, err)
	}
	lines = parseStream(n.t, r.stdout)
	for i := range lines {
		lines[i].arrived = arrivals[i]
	}
	return lines, exited, r
}

// TestJSONStreams runs validate, plan and apply with --json against real sshd nodes and checks
// every line of their output and the sequence of message types; apply's progress lines must
// arrive while apply runs, each with the duration of its own step.
func TestJSONStreams(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", securevisor)
	planFile := filepath.Join(t.TempDir(), "saved.plan")

	// validate: version, then its summary.
	r := n.run("validate", "--json", "--var-file", n.varFile, ex).must(t, 0, "validate --json")
	v := parseStream(t, r.stdout)
	if got := strings.Join(types(v), " "); got != "version validate_summary" || !*v[1].Valid {
		t.Errorf("validate --json: %s\n%s", got, r.stdout)
	}

	// plan: version, the observation of both nodes, the changes, the summary; nothing on stderr.
	r = n.run("plan", "--json", "--out", planFile, "--var-file", n.varFile, ex).must(t, 0, "plan --json")
	p := parseStream(t, r.stdout)
	if got := strings.Join(types(p), " "); got != "version observe_start observe_complete* planned_change* change_summary" {
		t.Errorf("plan --json: types %s\n%s", got, r.stdout)
	}
	if nodes := p[1].Hook.Nodes; len(nodes) != 2 {
		t.Errorf("observe_start names %v, want both nodes", nodes)
	}
	sum := p[len(p)-1]
	if sum.Changes == nil || sum.Changes.Operation != "plan" || sum.Changes.Add == 0 || sum.Errored ||
		!strings.HasPrefix(sum.Message, "Plan: ") {
		t.Errorf("plan summary %+v", sum)
	}
	if strings.Contains(r.stderr, "Observing") || strings.Contains(r.stderr, "observed") {
		t.Errorf("plan --json wrote progress to stderr:\n%s", r.stderr)
	}

	// show --json stays one document; fingerprints carry their sha256: prefix.
	r = n.run("show", "--json", planFile).must(t, 0, "show --json")
	var doc struct {
		FormatVersion     string            `json:"format_version"`
		ConfigFingerprint string            `json:"config_fingerprint"`
		Observed          map[string]string `json:"observed"`
		Changes           []any             `json:"changes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("show --json is not one document: %v\n%s", err, r.stdout)
	}
	if doc.FormatVersion != "1.0" || !strings.HasPrefix(doc.ConfigFingerprint, "sha256:") || len(doc.Observed) == 0 || len(doc.Changes) == 0 {
		t.Errorf("show --json: %+v", doc)
	}
	for node, fp := range doc.Observed {
		if !strings.HasPrefix(fp, "sha256:") {
			t.Errorf("observed[%s] = %q, want a sha256: prefix", node, fp)
		}
	}

	// apply of the saved plan, with one vendor command slowed down on sv1.
	const delay = 2 * time.Second
	n.slowCommand("sv1", "clpcl", delay)
	lines, exited, r := n.runStreaming("apply", "--json", planFile)
	r.must(t, 0, "apply --json PLANFILE")
	got := strings.Join(types(lines), " ")
	want := "version observe_start observe_complete* planned_change* change_summary"
	if !strings.HasPrefix(got, want+" ") || !strings.Contains(got, "apply_start") || !strings.Contains(got, "apply_complete") {
		t.Errorf("apply --json: types %s, want %s then apply_start, apply_complete...\n%s", got, want, r.stdout)
	}
	final := lines[len(lines)-1]
	if final.Type != "change_summary" || final.Changes == nil || final.Changes.Operation != "apply" ||
		final.Outcome == nil || final.Outcome.Status != "complete" || len(final.Outcome.Changed) == 0 ||
		!strings.HasPrefix(final.Message, "Apply complete!") {
		t.Errorf("apply outcome %+v / %+v", final, final.Outcome)
	}
	starts := map[[2]string]streamLine{}
	early, slow := false, false
	for _, l := range lines {
		switch l.Type {
		case "apply_start":
			starts[[2]string{l.Hook.Node, l.Hook.Step}] = l
			// Written while apply ran, not gathered at the end.
			if exited.Sub(l.arrived) >= delay*3/4 {
				early = true
			}
		case "apply_complete", "apply_errored":
			s, ok := starts[[2]string{l.Hook.Node, l.Hook.Step}]
			if !ok || l.Hook.ElapsedSeconds == nil {
				t.Errorf("%s without its apply_start or elapsed_seconds: %+v", l.Type, l.Hook)
				continue
			}
			// The step's own duration: at most the time between its two lines.
			if between := l.Timestamp.Sub(s.Timestamp).Seconds(); *l.Hook.ElapsedSeconds > between+0.01 {
				t.Errorf("%s %s: elapsed %.3fs, but only %.3fs passed since it started (cumulative time?)",
					l.Hook.Node, l.Hook.Step, *l.Hook.ElapsedSeconds, between)
			}
			if *l.Hook.ElapsedSeconds >= delay.Seconds() {
				slow = true
			}
		}
	}
	if !early {
		t.Errorf("no apply_start line arrived %v before apply exited: progress is not streamed", delay*3/4)
	}
	if !slow {
		t.Errorf("no step took the %v that clpcl was slowed down by:\n%s", delay, r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("apply --json wrote to stderr:\n%s", r.stderr)
	}
}

// TestAppliedSavedPlanIsStale applies a saved plan twice: the second time it is refused as stale
// (exit 1), not taken for "No changes".
func TestAppliedSavedPlanIsStale(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", securevisor)
	planFile := filepath.Join(t.TempDir(), "saved.plan")
	n.run("plan", "--out", planFile, "--var-file", n.varFile, ex).must(t, 0, "plan --out")
	n.run("apply", planFile).must(t, 0, "apply PLANFILE")

	r := n.run("apply", planFile).must(t, 1, "apply PLANFILE again")
	if !strings.Contains(r.stderr, "Saved plan is stale") || !strings.Contains(r.stderr, "applied already") {
		t.Errorf("stderr does not say the saved plan is stale:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout, "No changes") || strings.Contains(r.stdout, "Apply complete") {
		t.Errorf("stdout:\n%s", r.stdout)
	}

	r = n.run("apply", "--json", planFile).must(t, 1, "apply --json PLANFILE again")
	lines := parseStream(t, r.stdout)
	final := lines[len(lines)-1]
	if final.Outcome == nil || final.Outcome.Status != "failed" || final.Changes != nil {
		t.Errorf("last line %+v", final)
	}
	stale := false
	for _, l := range lines {
		if l.Type == "diagnostic" && l.Diagnostic.Severity == "error" && strings.Contains(l.Diagnostic.Summary, "Saved plan is stale") {
			stale = true
		}
	}
	if !stale {
		t.Errorf("no stale diagnostic:\n%s", r.stdout)
	}
}

// TestHumanProgress checks the progress lines on stderr: the observation of the nodes while
// planning, and apply steps with their own durations.
func TestHumanProgress(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", securevisor)
	r := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan")
	if !strings.HasPrefix(r.stderr, "Observing 2 nodes...\n") ||
		!strings.Contains(r.stderr, "cluster.securevisor.node.sv1: observed (") ||
		!strings.Contains(r.stderr, "cluster.securevisor.node.sv2: observed (") {
		t.Errorf("plan stderr:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout, "Observing") {
		t.Errorf("progress on stdout:\n%s", r.stdout)
	}

	n.slowCommand("sv1", "clpcl", 1500*time.Millisecond)
	r = n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")
	var slow, fast bool
	for l := range strings.Lines(r.stderr) {
		_, took, ok := strings.Cut(l, "... done (")
		if !ok {
			continue
		}
		d, err := time.ParseDuration(strings.TrimSuffix(strings.TrimSpace(took), ")"))
		if err != nil {
			t.Errorf("duration in %q: %v", l, err)
		}
		slow = slow || d >= 1500*time.Millisecond
		fast = fast || d < time.Second
	}
	// With times counted from the start of the run, no step after the slow one could be fast.
	if !slow || !fast {
		t.Errorf("want a slow step (clpcl) and fast ones, each timed on its own:\n%s", r.stderr)
	}
}

// TestMarkdownPlan checks the pull-request comment: summary first, a <details> block per
// object, and the same body from plan --markdown and show --format markdown.
func TestMarkdownPlan(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", securevisor)
	planFile := filepath.Join(t.TempDir(), "saved.plan")
	r := n.run("plan", "--markdown", "--out", planFile, "--var-file", n.varFile, ex).must(t, 0, "plan --markdown")
	if !strings.HasPrefix(r.stdout, "**Plan:** ") || !strings.Contains(r.stdout, "<details><summary>") ||
		!strings.Contains(r.stdout, "```diff\n") || strings.Contains(r.stdout, "Saved the plan") {
		t.Errorf("plan --markdown:\n%s", r.stdout)
	}
	shown := n.run("show", "--format", "markdown", planFile).must(t, 0, "show --format markdown")
	if shown.stdout != r.stdout {
		t.Errorf("show --format markdown differs from plan --markdown:\n%s\n---\n%s", shown.stdout, r.stdout)
	}
	n.run("plan", "--markdown", "--json", ex).must(t, 1, "plan --markdown --json")
}
