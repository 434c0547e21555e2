package scripts

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
)

// The generated Linux scripts are run with /bin/sh against a fake systemctl that records each
// call, so these tests check what the scripts do, not how they look.

// fakeSystemctl records each call as its arguments joined by US (0x1f), one record per RS
// (0x1e), so names holding spaces or line breaks are recorded exactly. It fails a call whose
// "VERB UNIT" equals $FAIL. fakeNote records "note ARGS" the same way; hooks call it.
const (
	fakeSystemctl = `#!/bin/sh
for last; do :; done
printf '%s\037' "$@" >>"$LOG"
printf '\036' >>"$LOG"
if [ -n "${FAIL-}" ] && [ "$1 $last" = "$FAIL" ]; then exit 1; fi
exit 0
`
	fakeNote = `#!/bin/sh
printf 'note %s\036' "$*" >>"$LOG"
`
	// fakeWall records the message it would broadcast, as "wall MESSAGE".
	fakeWall = `#!/bin/sh
printf 'wall %s\036' "$(cat)" >>"$LOG"
`
)

type shRun struct {
	calls    []string // "start a", "is-active b", "stop b", "note x"
	exitCode int
	stderr   string
}

// runSh runs script with the environment env (only these variables and PATH, LOG) and
// returns the recorded calls.
func runSh(t *testing.T, script []byte, env map[string]string) shRun {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"systemctl": fakeSystemctl, "note": fakeNote, "wall": fakeWall} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "script.sh")
	if err := os.WriteFile(path, script, 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "log")
	cmd := exec.Command("/bin/sh", path)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "LOG=" + log}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	run := shRun{}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("run %s: %v", path, err)
		}
		run.exitCode = exit.ExitCode()
	}
	run.stderr = stderr.String()
	data, err := os.ReadFile(log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, rec := range strings.Split(string(data), "\x1e") {
		if rec == "" {
			continue
		}
		if strings.HasPrefix(rec, "note ") || strings.HasPrefix(rec, "wall ") {
			run.calls = append(run.calls, rec)
			continue
		}
		// "start\x1f--\x1fNAME\x1f" -> "start NAME"; "is-active --quiet -- NAME" -> "is-active NAME".
		f := strings.Split(strings.TrimSuffix(rec, "\x1f"), "\x1f")
		run.calls = append(run.calls, f[0]+" "+f[len(f)-1])
		if f[len(f)-2] != "--" {
			t.Errorf("systemctl called without -- before the unit: %q", f)
		}
	}
	return run
}

// behaviourScript starts a, then b (monitored), with hooks that note where they ran.
func behaviourScript() *config.Script {
	note := func(event, on, phase, what string) config.ScriptHook {
		return config.ScriptHook{Event: event, On: on, Phase: phase, Commands: []string{"note " + what}}
	}
	return &config.Script{
		Name: "app",
		Services: []config.ScriptService{
			{ID: "a", Name: "a"},
			{ID: "b", Name: "b", Monitor: true},
		},
		Hooks: []config.ScriptHook{
			note("START", "home", "start", "start-home"),
			note("START", "other", "start", "start-other"),
			note("FAILOVER", "any", "start", "failover-any"),
			note("RECOVER", "other", "start", "recover-other"),
			note("START", "home", "stop", "stop-home"),
			note("FAILOVER", "other", "stop", "stop-failover-other"),
		},
	}
}

func TestShStartBehaviour(t *testing.T) {
	services := []string{"start a", "start b", "is-active b"}
	with := func(extra ...string) []string { return append(append([]string{}, services...), extra...) }
	tests := map[string]struct {
		event, disk, server string
		want                []string
		exit                int
	}{
		"START home":                 {"START", "SUCCESS", "HOME", with("note start-home"), 0},
		"START other":                {"START", "SUCCESS", "OTHER", with("note start-other"), 0},
		"START server unset is home": {"START", "SUCCESS", "", with("note start-home"), 0},
		"FAILOVER home":              {"FAILOVER", "SUCCESS", "HOME", with("note failover-any"), 0},
		"FAILOVER other":             {"FAILOVER", "SUCCESS", "OTHER", with("note failover-any"), 0},
		"RECOVER home":               {"RECOVER", "SUCCESS", "HOME", nil, 0},
		"RECOVER other":              {"RECOVER", "SUCCESS", "OTHER", []string{"note recover-other"}, 0},
		"START disk failure home":    {"START", "FAILURE", "HOME", nil, 1},
		"START disk failure other":   {"START", "FAILURE", "OTHER", nil, 1},
		"FAILOVER disk failure":      {"FAILOVER", "FAILURE", "OTHER", nil, 1},
		"RECOVER disk failure":       {"RECOVER", "FAILURE", "OTHER", []string{"note recover-other"}, 0},
		"unknown event":              {"STOP", "SUCCESS", "HOME", nil, 0},
		"no event":                   {"", "SUCCESS", "HOME", nil, 0},
	}
	start, _, err := Render(behaviourScript(), config.Linux)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			run := runSh(t, start, clpEnv(tc.event, tc.disk, tc.server))
			if diff := cmp.Diff(tc.want, run.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if run.exitCode != tc.exit {
				t.Errorf("exit code %d, want %d (stderr %q)", run.exitCode, tc.exit, run.stderr)
			}
		})
	}
}

func TestShStopBehaviour(t *testing.T) {
	stops := []string{"stop b", "stop a"}
	tests := map[string]struct {
		event, disk, server string
		want                []string
	}{
		"START home":     {"START", "SUCCESS", "HOME", append([]string{"note stop-home"}, stops...)},
		"START other":    {"START", "SUCCESS", "OTHER", stops},
		"FAILOVER home":  {"FAILOVER", "SUCCESS", "HOME", stops},
		"FAILOVER other": {"FAILOVER", "SUCCESS", "OTHER", append([]string{"note stop-failover-other"}, stops...)},
		// The stop script stops the services whatever the disk state.
		"START disk failure": {"START", "FAILURE", "OTHER", stops},
		// The cluster never runs a stop script for RECOVER.
		"RECOVER":       {"RECOVER", "SUCCESS", "HOME", nil},
		"unknown event": {"BOGUS", "SUCCESS", "HOME", nil},
	}
	_, stop, err := Render(behaviourScript(), config.Linux)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			run := runSh(t, stop, clpEnv(tc.event, tc.disk, tc.server))
			if diff := cmp.Diff(tc.want, run.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if run.exitCode != 0 {
				t.Errorf("exit code %d, want 0 (stderr %q)", run.exitCode, run.stderr)
			}
		})
	}
}

func TestShUnknownEventMessage(t *testing.T) {
	start, _, err := Render(behaviourScript(), config.Linux)
	if err != nil {
		t.Fatal(err)
	}
	run := runSh(t, start, nil)
	if run.exitCode != 0 || len(run.calls) != 0 || !strings.Contains(run.stderr, "cluster software is not running") {
		t.Errorf("got exit %d, calls %q, stderr %q; want 0, none, the not-running message", run.exitCode, run.calls, run.stderr)
	}
}

// restart_services: the start script stops every service (reverse order), then starts them.
func TestShRestartServices(t *testing.T) {
	s := &config.Script{Name: "mutual", RestartServices: true,
		Services: []config.ScriptService{{ID: "a", Name: "a"}, {ID: "b", Name: "b"}, {ID: "c", Name: "c"}}}
	start, _, err := Render(s, config.Linux)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"stop c", "stop b", "stop a", "start a", "start b", "start c"}
	for _, server := range []string{"HOME", "OTHER"} {
		for _, event := range []string{"START", "FAILOVER"} {
			run := runSh(t, start, clpEnv(event, "SUCCESS", server))
			if diff := cmp.Diff(want, run.calls); diff != "" || run.exitCode != 0 {
				t.Errorf("%s %s: exit %d, calls (-want +got):\n%s", event, server, run.exitCode, diff)
			}
		}
	}
}

func TestShDiskPolicies(t *testing.T) {
	tests := map[string]struct {
		policy string
		want   []string
		exit   int
	}{
		"abort":    {"abort", nil, 1},
		"failover": {"failover", nil, 1},
		"ignore":   {"ignore", []string{"start a"}, 0},
		// The samples' behaviour: tell the users, start nothing, do not fail the resource.
		"broadcast": {"broadcast", []string{"wall switchable disk failure: the services were not started"}, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := &config.Script{Name: "d", OnDiskFailure: tc.policy, Services: []config.ScriptService{{ID: "a", Name: "a"}}}
			start, _, err := Render(s, config.Linux)
			if err != nil {
				t.Fatal(err)
			}
			run := runSh(t, start, clpEnv("START", "FAILURE", "OTHER"))
			if diff := cmp.Diff(tc.want, run.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if run.exitCode != tc.exit {
				t.Errorf("exit code %d, want %d", run.exitCode, tc.exit)
			}
		})
	}
}

// A service that fails to start stops the start script (exit 1) before the next service; a
// monitored service that is not active after its start fails it too. A failed stop does not
// keep the others running, but the stop script reports it.
func TestShFailures(t *testing.T) {
	start, stop, err := Render(behaviourScript(), config.Linux)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		script []byte
		fail   string
		want   []string
	}{
		"start fails":      {start, "start a", []string{"start a"}},
		"not active":       {start, "is-active b", []string{"start a", "start b", "is-active b"}},
		"stop keeps going": {stop, "stop b", []string{"stop b", "stop a"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			env := clpEnv("START", "SUCCESS", "OTHER")
			env["FAIL"] = tc.fail
			run := runSh(t, tc.script, env)
			if diff := cmp.Diff(tc.want, run.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if run.exitCode != 1 {
				t.Errorf("exit code %d, want 1", run.exitCode)
			}
		})
	}
}

// Hostile service names reach systemctl as exactly one argument each, and nothing in them is
// executed by the shell.
func TestShQuotesHostileNames(t *testing.T) {
	names := []string{
		"my service",
		"it's",
		"$(note pwned)",
		"`note pwned`",
		`a"b\c`,
		"semi;note pwned",
		"line1\nnote pwned",
		"-x",
		"*",
		"~root",
		"${HOME}",
		"a'b'\"c\"",
	}
	s := &config.Script{Name: "hostile"}
	var wantStart, wantStop []string
	for i, n := range names {
		s.Services = append(s.Services, config.ScriptService{ID: string(rune('a' + i)), Name: n})
		wantStart = append(wantStart, "start "+n)
		wantStop = append([]string{"stop " + n}, wantStop...)
	}
	start, stop, err := Render(s, config.Linux)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		script []byte
		want   []string
	}{{start, wantStart}, {stop, wantStop}} {
		run := runSh(t, tc.script, clpEnv("START", "SUCCESS", "HOME"))
		if diff := cmp.Diff(tc.want, run.calls); diff != "" {
			t.Errorf("calls (-want +got):\n%s\nscript:\n%s", diff, tc.script)
		}
	}
}

// Every generated Linux script parses: sh -n on each golden scenario.
func TestShSyntax(t *testing.T) {
	for name, tc := range goldenScripts() {
		if tc.platform != config.Linux || tc.script.Literal() {
			continue
		}
		start, stop, err := Render(tc.script, tc.platform)
		if err != nil {
			t.Fatal(err)
		}
		for _, script := range [][]byte{start, stop} {
			cmd := exec.Command("/bin/sh", "-n")
			cmd.Stdin = bytes.NewReader(script)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: sh -n: %v\n%s\n%s", name, err, out, script)
			}
		}
	}
}

// clpEnv returns CLP_* variables; an empty value leaves the variable unset.
func clpEnv(event, disk, server string) map[string]string {
	env := map[string]string{}
	for k, v := range map[string]string{"CLP_EVENT": event, "CLP_DISK": disk, "CLP_SERVER": server} {
		if v != "" {
			env[k] = v
		}
	}
	return env
}
