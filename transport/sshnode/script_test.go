package sshnode

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

func TestParseBatch(t *testing.T) {
	good := "@cluster rc 0 2\n3 /t/o0\n0 /t/e0\n0 /t/o1\n4 /t/e1\n7 total\n@cluster data\nouterr\n@cluster end\n"
	got, err := parseBatch([]byte(good), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []transport.Result{{Stdout: []byte("out"), Stderr: []byte{}}, {ExitCode: 2, Stdout: []byte{}, Stderr: []byte("err\n")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for name, bad := range map[string]string{
		"cut before end":       "@cluster rc 0 0\n3 a\n0 b\n0 c\n0 d\n@cluster data\nout",
		"cut inside a payload": "@cluster rc 0 0\n30 a\n0 b\n0 c\n0 d\n@cluster data\nout",
		"missing sizes":        "@cluster rc 0 0\n3 a\n@cluster data\nout@cluster end\n",
		"missing exit status":  "@cluster rc 0\n0 a\n0 b\n0 c\n0 d\n@cluster data\n@cluster end\n",
		"noise":                "Welcome!\n@cluster end\n",
		"negative length":      "@cluster rc 0 0\n-1 a\n0 b\n0 c\n0 d\n@cluster data\n@cluster end\n",
		"trailing output":      "@cluster rc 0 0\n0 a\n0 b\n0 c\n0 d\n@cluster data\nextra\n@cluster end\n",
	} {
		if _, err := parseBatch([]byte(bad), 2); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
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
		got, err := parseMode(formatMode(m))
		if err != nil || got != m {
			t.Errorf("%v -> %s -> %v, %v", m, formatMode(m), got, err)
		}
	}
}

func TestBatchScriptQuotesEveryArgument(t *testing.T) {
	script, _ := batchScript([]transport.Command{transport.Cmd("echo", "$(reboot)", transport.NodePath("/x'; rm -rf /"))})
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
