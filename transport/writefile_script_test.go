package transport

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWriteFileScript runs the shared atomic write in /bin/sh with each of its two feeds: the
// dialect's (stdin is the data, read to its end) and sshnode's (stdin goes on after the data).
// Short data (a cut connection), a directory target and a target turned into a directory are refused with the
// exit statuses the decoders read, and the old content stays.
func TestWriteFileScript(t *testing.T) {
	feeds := map[string]string{"dialect": "cat", "session": `head -c "$size"`}
	tests := []struct {
		name     string
		old      string // content of the target before, "" for none, "/" for a directory
		stdin    string
		size     int
		wantCode int
		want     string // the target's content after
		wantMode os.FileMode
	}{
		{name: "new file", stdin: "hello", size: 5, want: "hello", wantMode: 0o640},
		{name: "replaces", old: "old", stdin: "new data", size: 8, want: "new data", wantMode: 0o600},
		{name: "empty", old: "old", stdin: "", size: 0, want: "", wantMode: 0o600},
		{name: "short data", old: "old", stdin: "new", size: 8, wantCode: 71, want: "old", wantMode: 0o600},
		{name: "short new file", stdin: "ne", size: 3, wantCode: 71},
		{name: "directory", old: "/", stdin: "x", size: 1, wantCode: ExitIsDirectory},
	}
	for feedName, feed := range feeds {
		for _, tt := range tests {
			t.Run(feedName+"/"+tt.name, func(t *testing.T) {
				dir := t.TempDir()
				target := filepath.Join(dir, "sub", "f.conf")
				if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
					t.Fatal(err)
				}
				switch tt.old {
				case "":
				case "/":
					if err := os.Mkdir(target, 0o755); err != nil {
						t.Fatal(err)
					}
				default:
					if err := os.WriteFile(target, []byte(tt.old), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				script := `t=$1 size=$2 mode=$3` + "\n" + WriteFileScript(feed) + "echo done\n"
				cmd := exec.Command("/bin/sh", "-c", script, "sh", target, strconv.Itoa(tt.size), FormatMode(0o640))
				stdin := tt.stdin
				if feedName == "session" && len(stdin) == tt.size {
					stdin += "the next script" // a session's stdin goes on after the data
				}
				cmd.Stdin = strings.NewReader(stdin)
				out, err := cmd.Output()
				code := 0
				var exit *exec.ExitError
				if errors.As(err, &exit) {
					code = exit.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code != tt.wantCode {
					t.Fatalf("exit %d, want %d (stderr %q)", code, tt.wantCode, exitStderr(err))
				}
				if (code == 0) != (string(out) == "done\n") {
					t.Errorf("stdout %q with exit %d", out, code)
				}
				checkTarget(t, target, tt.old, tt.want, tt.wantMode, code)
				left, _ := filepath.Glob(filepath.Join(filepath.Dir(target), ".f.conf.*"))
				if len(left) != 0 {
					t.Errorf("temporary files left: %v", left)
				}
			})
		}
	}
}

func checkTarget(t *testing.T, target, old, want string, wantMode os.FileMode, code int) {
	t.Helper()
	info, err := os.Stat(target)
	switch {
	case old == "/":
		if err != nil || !info.IsDir() {
			t.Errorf("the directory target changed: %v, %v", info, err)
		}
	case old == "" && code != 0:
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a failed write created the target: %v", err)
		}
	default:
		data, err := os.ReadFile(target)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, string(data)); diff != "" {
			t.Errorf("content (-want +got):\n%s", diff)
		}
		if info.Mode().Perm() != wantMode {
			t.Errorf("mode %v, want %v", info.Mode().Perm(), wantMode)
		}
	}
}

func exitStderr(err error) string {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(exit.Stderr)
	}
	return ""
}
