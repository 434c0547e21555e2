package sshnode

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

func TestParseBatch(t *testing.T) {
	const tok = "@cluster:0f"
	stdout := "Welcome from .bashrc\n" + tok + "\nout" + tok + " 0 0\n" + tok + " 1 2\n" + tok + " end\n"
	stderr := "bash: warning\n" + tok + "\n" + tok + " 0\nerr\n" + tok + " 1\n"
	got, err := parseBatch([]byte(stdout), []byte(stderr), tok, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []transport.Result{{Stdout: []byte("out"), Stderr: []byte{}}, {ExitCode: 2, Stdout: []byte{}, Stderr: []byte("err\n")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for name, bad := range map[string][2]string{
		"cut before end":         {tok + "\nout" + tok + " 0 0\n" + tok + " 1 0\n", stderr},
		"cut inside an output":   {tok + "\nout" + tok + " 0 0\nhalf", stderr},
		"missing exit status":    {tok + "\n" + tok + " 0\n" + tok + " 1 0\n" + tok + " end\n", stderr},
		"negative exit status":   {tok + "\n" + tok + " 0 -1\n" + tok + " 1 0\n" + tok + " end\n", stderr},
		"commands out of order":  {tok + "\n" + tok + " 1 0\n" + tok + " 0 0\n" + tok + " end\n", stderr},
		"no start marker":        {"Welcome!\n" + tok + " end\n", stderr},
		"trailing output":        {tok + "\n" + tok + " 0 0\n" + tok + " 1 0\nextra" + tok + " end\n", stderr},
		"stderr cut":             {tok + "\n" + tok + " 0 0\n" + tok + " 1 0\n" + tok + " end\n", tok + "\n" + tok + " 0\n"},
		"another batch's marker": {"@cluster:aa\n@cluster:aa 0 0\n@cluster:aa 1 0\n@cluster:aa end\n", stderr},
	} {
		if _, err := parseBatch([]byte(bad[0]), []byte(bad[1]), tok, 2); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

func TestWithoutMarkers(t *testing.T) {
	const tok = "@cluster:0f"
	got := withoutMarkers([]byte(tok+"\n"+tok+" 0\ncat: x: No such file\n"+tok+" 1\n"), tok)
	if string(got) != "cat: x: No such file\n" {
		t.Errorf("got %q", got)
	}
}

func TestMarkersDiffer(t *testing.T) {
	if a, b := newMarker(), newMarker(); a == b || len(a) != len("@cluster:")+32 {
		t.Errorf("markers %q and %q", a, b)
	}
}

func TestParseReadFiles(t *testing.T) {
	paths := []transport.NodePath{"/a", "/b", "/c"}
	out := "@cluster file 0 ok 4755 2\nhi@cluster file 1 missing\n@cluster file 2 ok 600 0\n@cluster end\n"
	got, err := parseReadFiles([]byte(out), paths)
	if err != nil {
		t.Fatal(err)
	}
	want := []transport.File{
		{Path: "/a", Exists: true, Data: []byte("hi"), Mode: fs.ModeSetuid | 0o755},
		{Path: "/b"},
		{Path: "/c", Exists: true, Data: []byte{}, Mode: 0o600},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, err = parseReadFiles([]byte("@cluster file 0 error 18\nnot a regular file@cluster end\n"), paths[:1])
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("error frame: %v", err)
	}
}

func TestModeRoundTrip(t *testing.T) {
	for _, m := range []fs.FileMode{0, 0o644, 0o600, 0o755 | fs.ModeSetuid, 0o775 | fs.ModeSetgid, 0o1777&0o777 | fs.ModeSticky} {
		got, err := parseMode(transport.FormatMode(m))
		if err != nil || got != m {
			t.Errorf("%v -> %s -> %v, %v", m, transport.FormatMode(m), got, err)
		}
	}
}

func TestBatchScriptQuotesEveryArgument(t *testing.T) {
	script, _ := batchScript([]transport.Command{transport.Cmd("echo", "$(reboot)", transport.NodePath("/x'; rm -rf /"))}, "@cluster:0f")
	if !strings.Contains(script, `( echo '$(reboot)' "${CLUSTER_NODE_ROOT-}"'/x'\''; rm -rf /' )`) {
		t.Errorf("command not quoted in script:\n%s", script)
	}
}

func TestBackoffStaysInBounds(t *testing.T) {
	const base, maxDelay = 100 * time.Millisecond, 800 * time.Millisecond
	for attempt := 1; attempt <= 10; attempt++ {
		full := min(base<<(attempt-1), maxDelay)
		for range 50 {
			if d := backoff(attempt, base, maxDelay); d < full/2 || d > full {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
}

// TestCutScriptRunsNothing checks the premise of runScript's brace group with the machine's
// /bin/sh: a script cut anywhere before its closing brace runs none of its commands, also when
// the cut falls inside a command ("rm -rf /a/b" cut to "rm -rf /a").
func TestCutScriptRunsNothing(t *testing.T) {
	dir := t.TempDir()
	mark := filepath.Join(dir, "ran")
	script := "{\ntouch " + transport.Quote(mark) + "\necho second >>" + transport.Quote(mark) + "\n}\n"
	for cut := 1; cut < len(script)-1; cut++ {
		cmd := exec.Command("/bin/sh", "-s")
		cmd.Stdin = strings.NewReader(script[:cut])
		_ = cmd.Run() // a syntax error is the expected outcome
		if _, err := os.Stat(mark); err == nil {
			t.Fatalf("script cut after %d of %d bytes ran: %q", cut, len(script), script[:cut])
		}
	}
	cmd := exec.Command("/bin/sh", "-s")
	cmd.Stdin = strings.NewReader(script)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(mark); err != nil || string(b) != "second\n" {
		t.Errorf("whole script: %q, %v", b, err)
	}
}

// A batch without ordered commands is the script it always was (no status kept, no guard); a
// command AfterSuccess runs only when the status of the one before is 0, and reports
// transport.ExitSkipped otherwise.
func TestBatchScriptGuardsOnlyOrderedCommands(t *testing.T) {
	plain, _ := batchScript([]transport.Command{transport.Cmd("true"), transport.Cmd("false")}, "@cluster:0f")
	if strings.Contains(plain, "s=") || strings.Contains(plain, "if [") {
		t.Errorf("a batch without ordered commands keeps a status:\n%s", plain)
	}
	second := transport.Cmd("echo", "second")
	second.AfterSuccess = true
	ordered, _ := batchScript([]transport.Command{transport.Cmd("false"), second}, "@cluster:0f")
	if !strings.Contains(ordered, `if [ "$s" -eq 0 ]; then ( echo second ) </dev/null; s=$?; else s=256; fi`) {
		t.Errorf("the ordered command is not guarded:\n%s", ordered)
	}
}

// An empty checked block is no stream: the command reads /dev/null (the same empty stdin), the
// batch sends no data, so the session starts neither head nor a pipeline for it; a block with
// bytes is still streamed.
func TestBatchScriptEmptyCheckedBlockIsNoStream(t *testing.T) {
	empty := transport.Shell(`cat`).WithStdin([]byte{})
	empty.StdinChecked = true
	script, data := batchScript([]transport.Command{empty}, "@cluster:0f")
	if data != nil || strings.Contains(script, "head -c") || strings.Contains(script, "recv") {
		t.Errorf("an empty checked block is streamed (data %v):\n%s", data != nil, script)
	}
	if !strings.Contains(script, "</dev/null") {
		t.Errorf("the command's stdin is not /dev/null:\n%s", script)
	}
	full := transport.Shell(`cat`).WithStdin([]byte("x"))
	full.StdinChecked = true
	script, data = batchScript([]transport.Command{full}, "@cluster:0f")
	if data == nil || !strings.Contains(script, "head -c 1 |") {
		t.Errorf("a checked block of 1 byte is not streamed (data %v):\n%s", data != nil, script)
	}
}
