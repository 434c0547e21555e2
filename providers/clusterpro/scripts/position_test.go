package scripts

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
)

// A hook runs before or after the services of its event and phase: by default after them in
// the start script and before them in the stop script.
func TestShHookPosition(t *testing.T) {
	hook := func(phase, position, what string) config.ScriptHook {
		return config.ScriptHook{Event: "START", Phase: phase, Position: position, Commands: []string{"note " + what}}
	}
	s := &config.Script{
		Name:     "app",
		Services: []config.ScriptService{{ID: "a", Name: "a"}, {ID: "b", Name: "b"}},
		Hooks: []config.ScriptHook{
			hook("start", "before", "broadcast-first"),
			hook("start", "", "start-default"),
			hook("start", "after", "start-after"),
			hook("stop", "", "stop-default"),
			hook("stop", "after", "stop-after"),
			hook("stop", "before", "stop-before"),
		},
	}
	start, stop, err := Render(s, config.Linux)
	if err != nil {
		t.Fatal(err)
	}
	env := clpEnv("START", "SUCCESS", "HOME")
	wantStart := []string{"note broadcast-first", "start a", "start b", "note start-default", "note start-after"}
	if diff := cmp.Diff(wantStart, runSh(t, start, env).calls); diff != "" {
		t.Errorf("start script calls (-want +got):\n%s", diff)
	}
	wantStop := []string{"note stop-default", "note stop-before", "stop b", "stop a", "note stop-after"}
	if diff := cmp.Diff(wantStop, runSh(t, stop, env).calls); diff != "" {
		t.Errorf("stop script calls (-want +got):\n%s", diff)
	}
}

// In a .bat the hook placed before the services precedes the first ARMLOAD on both paths, as
// the samples broadcast before starting anything.
func TestBatHookBeforeServices(t *testing.T) {
	s := &config.Script{
		Name:     "iis",
		Services: []config.ScriptService{{ID: "WWWService", Name: "W3SVC"}},
		Hooks:    []config.ScriptHook{{Event: "START", Position: "before", Commands: []string{`ARMBCAST /MSG "starting" /A`}}},
	}
	start, _, err := Render(s, config.Windows)
	if err != nil {
		t.Fatal(err)
	}
	text := string(start)
	normal := text[strings.Index(text, ":NORMAL"):strings.Index(text, ":FAILOVER")]
	if got := strings.Count(normal, "ARMBCAST /MSG \"starting\" /A\r\nARMLOAD WWWService /S W3SVC"); got != 2 {
		t.Errorf("the broadcast precedes ARMLOAD on %d of the 2 paths of :NORMAL:\n%s", got, normal)
	}
}

// on_disk_failure = "broadcast" in a .bat: the disk-error section broadcasts and ends with
// success, neither failing the resource nor starting the services.
func TestBatDiskBroadcast(t *testing.T) {
	s := &config.Script{Name: "iis", OnDiskFailure: "broadcast", Services: []config.ScriptService{{ID: "W", Name: "W3SVC"}}}
	start, _, err := Render(s, config.Windows)
	if err != nil {
		t.Fatal(err)
	}
	text := string(start)
	section := text[strings.Index(text, ":ERROR_DISK"):strings.Index(text, ":no_arm")]
	if !strings.Contains(section, "ARMBCAST") || !strings.Contains(section, "GOTO EXIT") {
		t.Errorf("the disk-error section does not broadcast and end well:\n%s", section)
	}
	if strings.Contains(section, "EXIT /B 1") || strings.Contains(section, "ARMLOAD") {
		t.Errorf("the disk-error section fails the resource or starts a service:\n%s", section)
	}
}
