package scripts

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The seed scenarios (seed 001: IIS 1.1.5, dbmail 1.2.6, ExpressMail 1.5.7) as declarative
// scripts, plus a Linux one. Each renders to testdata/<name>.{start,stop}.{bat,sh}.golden.
func goldenScripts() map[string]struct {
	script   *config.Script
	platform config.Platform
} {
	iisServices := []config.ScriptService{
		{ID: "WWWService", Name: "W3SVC"},
		{ID: "FTPService", Name: "MSFTPSVC"},
	}
	bcast := func(event, on, phase, msg string) config.ScriptHook {
		return config.ScriptHook{Event: event, On: on, Phase: phase,
			Commands: []string{`ARMBCAST /MSG "` + msg + `" /A`}}
	}
	iisHooks := []config.ScriptHook{
		bcast("START", "home", "start", "Started on the highest-priority server"),
		bcast("START", "other", "start", "Started on another server"),
		bcast("FAILOVER", "home", "start", "Started on the highest-priority server (after a failover)"),
		bcast("FAILOVER", "other", "start", "Started on another server (after a failover)"),
		bcast("RECOVER", "any", "start", "The server has recovered"),
		bcast("START", "home", "stop", "Stopping on the highest-priority server"),
		bcast("START", "other", "stop", "Stopping on another server"),
	}
	return map[string]struct {
		script   *config.Script
		platform config.Platform
	}{
		"iis_single": {platform: config.Windows, script: &config.Script{
			Addr: addrs.Script("iis"), Name: "iis", Description: "IIS single standby",
			EnvPrefix: "ARMS", Services: iisServices, Hooks: iisHooks, OnDiskFailure: "abort",
		}},
		"iis_mutual": {platform: config.Windows, script: &config.Script{
			Addr: addrs.Script("iis_mutual"), Name: "iis_mutual", Description: "IIS mutual standby",
			EnvPrefix: "ARMS", Services: iisServices, RestartServices: true, Hooks: iisHooks,
		}},
		"dbmail": {platform: config.Windows, script: &config.Script{
			Addr: addrs.Script("dbmail"), Name: "dbmail", Description: "IIS 4.0 and dbmail in one group",
			EnvPrefix: "ARMS",
			Services: []config.ScriptService{
				{ID: "ADMService", Name: "IISADMIN"},
				{ID: "WWWService", Name: "W3SVC"},
				{ID: "FTPService", Name: "MSFTPSVC"},
				{ID: "DBMSVC", Name: "dbmail Service"},
			},
		}},
		"expressmail": {platform: config.Windows, script: &config.Script{
			Addr: addrs.Script("expressmail"), Name: "expressmail", Description: "ExpressMail",
			EnvPrefix: "ARMS", OnDiskFailure: "failover",
			Services: []config.ScriptService{
				{ID: "EMSMTP", Name: "ExpressMail Smtp Service", Monitor: true},
				{ID: "EMPASS", Name: "ExpressMail Password Service", Monitor: true},
				{ID: "EMPOP", Name: "ExpressMail Pop Service", Monitor: true},
				{ID: "EMIMAP", Name: "ExpressMail Imap Service", Monitor: true},
				{ID: "EMHTTP", Name: "ExpressMail Http Service", Monitor: true},
				{ID: "EMCRON", Name: "ExpressMail Cron Service", Monitor: true},
				{ID: "EMLDAP", Name: "ExpressMail Ldap Service", Monitor: true},
			},
		}},
		"linux_web": {platform: config.Linux, script: &config.Script{
			Addr: addrs.Script("web"), Name: "web", Description: "Web front end\nwith its cache",
			Services: []config.ScriptService{
				{ID: "cache", Name: "varnish"},
				{ID: "web", Name: "nginx.service", Monitor: true},
			},
			Hooks: []config.ScriptHook{
				{Event: "START", On: "home", Commands: []string{`logger -t cluster "web started on the home server"`}},
				{Event: "FAILOVER", On: "other", Commands: []string{"logger -t cluster 'web failed over'",
					"cat >/run/web.note <<EOF\nfailed over\nEOF"}},
				{Event: "START", Phase: "stop", Commands: []string{"nginx -s quit || true"}},
			},
		}},
		// WEBharmo/OLTP on IIS (seed 001, 1.4.5): the clean-up right before IIS starts.
		"webharmo_oltp": {platform: config.Windows, script: &config.Script{
			Addr: addrs.Script("oltp"), Name: "oltp", Description: "IIS + WEBharmo/OLTP single standby",
			EnvPrefix: "ARMS", Services: iisServices, Hooks: iisHooks, OnDiskFailure: "broadcast",
			OLTP: &config.WebharmoOLTP{InstallDir: `C:\Program Files\WEBharmo`, PartialSend: true, WebFormPrint: true},
		}},
		"webharmo_oltp_mutual": {platform: config.Windows, script: &config.Script{
			Addr: addrs.Script("oltp_mutual"), Name: "oltp_mutual", Description: "IIS + WEBharmo/OLTP multi standby",
			EnvPrefix: "ARMS", Services: iisServices, RestartServices: true,
			OLTP: &config.WebharmoOLTP{InstallDir: `D:\WEBharmo\`, PartialSend: true},
		}},
		"literal_sh": {platform: config.Linux, script: &config.Script{
			Name: "custom", Start: "#!/bin/sh\r\necho start\r\n\r\nexit 0", Stop: "#!/bin/sh\necho stop\n",
		}},
		"literal_bat": {platform: config.Windows, script: &config.Script{
			Name: "custom", Start: "net start W3SVC\nexit /b 0\n", Stop: "net stop W3SVC\r\n",
		}},
	}
}

func TestRenderGolden(t *testing.T) {
	for name, tc := range goldenScripts() {
		t.Run(name, func(t *testing.T) {
			start, stop, err := Render(tc.script, tc.platform)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			ext := ".sh"
			if tc.platform == config.Windows {
				ext = ".bat"
			}
			checkGolden(t, name+".start"+ext+".golden", start)
			checkGolden(t, name+".stop"+ext+".golden", stop)
		})
	}
}

func checkGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// Rendering twice gives the same bytes: nothing depends on time or map order.
func TestRenderDeterministic(t *testing.T) {
	for name, tc := range goldenScripts() {
		a1, b1, err1 := Render(tc.script, tc.platform)
		a2, b2, err2 := Render(tc.script, tc.platform)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v, %v", name, err1, err2)
		}
		if !bytes.Equal(a1, a2) || !bytes.Equal(b1, b2) {
			t.Errorf("%s: two renderings differ", name)
		}
	}
}

// Line endings: CRLF everywhere in a .bat (no bare LF), LF only in a .sh; always a final break.
func TestRenderLineEndings(t *testing.T) {
	for name, tc := range goldenScripts() {
		start, stop, err := Render(tc.script, tc.platform)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, out := range [][]byte{start, stop} {
			s := string(out)
			if tc.platform == config.Windows {
				if strings.Count(s, "\n") != strings.Count(s, "\r\n") || !strings.HasSuffix(s, "\r\n") {
					t.Errorf("%s: .bat not CRLF throughout:\n%q", name, s)
				}
			} else if strings.Contains(s, "\r") || !strings.HasSuffix(s, "\n") {
				t.Errorf("%s: .sh not LF throughout:\n%q", name, s)
			}
		}
	}
}

func TestRenderLiteralEmptySide(t *testing.T) {
	tests := map[string]struct {
		platform config.Platform
		want     string
	}{
		"linux":   {config.Linux, "#!/bin/sh\nexit 0\n"},
		"windows": {config.Windows, "EXIT /B 0\r\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, stop, err := Render(&config.Script{Name: "x", Start: "echo hi"}, tc.platform)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(stop)); diff != "" {
				t.Errorf("stop (-want +got):\n%s", diff)
			}
		})
	}
}

// In the Windows scripts every label's section ends in GOTO EXIT (or an EXIT /B): no section
// falls through into the next, which in the vendor samples ran the services twice.
func TestBatNoFallThrough(t *testing.T) {
	for name, tc := range goldenScripts() {
		if tc.platform != config.Windows || tc.script.Literal() {
			continue
		}
		start, stop, err := Render(tc.script, tc.platform)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, out := range [][]byte{start, stop} {
			var prev string
			for _, ln := range strings.Split(string(out), "\r\n") {
				// Only :EXIT is meant to be reached by falling through (from :no_arm).
				if strings.HasPrefix(ln, ":") && ln != ":EXIT" {
					// The line before a label (skipping blanks and comments) must leave.
					if !strings.HasPrefix(prev, "GOTO ") && !strings.HasPrefix(prev, "EXIT /B") {
						t.Errorf("%s: label %s is reached by falling through from %q", name, ln, prev)
					}
				}
				if ln != "" && !strings.HasPrefix(ln, "rem") && !strings.HasPrefix(ln, ":") {
					prev = ln
				}
			}
		}
	}
}

// Each ARMLOAD appears once per path: 2 event sections x 2 server paths in the start script.
func TestBatServicesOncePerPath(t *testing.T) {
	tc := goldenScripts()["expressmail"]
	start, stop, err := Render(tc.script, tc.platform)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(start), "ARMLOAD EMSMTP /S /M "); got != 4 {
		t.Errorf("ARMLOAD EMSMTP: %d times in start.bat, want 4 (START/FAILOVER x home/other)", got)
	}
	if got := strings.Count(string(stop), "ARMKILL EMLDAP\r\n"); got != 4 {
		t.Errorf("ARMKILL EMLDAP: %d times in stop.bat, want 4", got)
	}
}

func TestRenderErrors(t *testing.T) {
	svc := []config.ScriptService{{ID: "a", Name: "a"}}
	tests := map[string]struct {
		script   *config.Script
		platform config.Platform
		want     string // substring of the error
	}{
		"unknown platform": {&config.Script{Name: "s", Services: svc}, "solaris", `script.s: unknown platform "solaris"`},
		"bad prefix":       {&config.Script{Name: "s", EnvPrefix: "XYZ"}, config.Linux, `script.s: env_prefix "XYZ"`},
		"ARMS on linux":    {&config.Script{Name: "s", EnvPrefix: "ARMS"}, config.Linux, `env_prefix "ARMS" is only set by the Windows`},
		"bad disk policy":  {&config.Script{Name: "s", OnDiskFailure: "retry"}, config.Linux, `on_disk_failure "retry"`},
		"empty id":         {&config.Script{Name: "s", Services: []config.ScriptService{{Name: "x"}}}, config.Linux, "empty id"},
		"duplicate id": {&config.Script{Name: "s", Services: []config.ScriptService{{ID: "a", Name: "x"}, {ID: "a", Name: "y"}}},
			config.Linux, `service "a" is declared twice`},
		"empty name": {&config.Script{Name: "s", Services: []config.ScriptService{{ID: "a"}}}, config.Linux, `service "a": empty name`},
		"bad event":  {&config.Script{Name: "s", Hooks: []config.ScriptHook{{Event: "STOP"}}}, config.Linux, `event "STOP"`},
		"bad on":     {&config.Script{Name: "s", Hooks: []config.ScriptHook{{Event: "START", On: "primary"}}}, config.Linux, `on "primary"`},
		"bad phase":  {&config.Script{Name: "s", Hooks: []config.ScriptHook{{Event: "START", Phase: "end"}}}, config.Linux, `phase "end"`},
		"recover stop": {&config.Script{Name: "s", Hooks: []config.ScriptHook{{Event: "RECOVER", Phase: "stop"}}},
			config.Windows, "the stop script never runs for RECOVER"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := Render(tc.script, tc.platform)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// cmd.exe cannot take these characters literally inside double quotes: the script is refused,
// and the error names the script and the service.
func TestBatRejectsUnquotableNames(t *testing.T) {
	hostile := map[string]string{
		"quote":     `My "Service"`,
		"percent":   `svc%PATH%`,
		"caret":     `svc^x`,
		"ampersand": `a & calc`,
		"pipe":      `a|b`,
		"less":      `a<b`,
		"greater":   `a>b`,
		"newline":   "a\r\nnet user x /add",
		"bang":      `a!PATH!`,
		"option":    `/M`,
	}
	for name, svcName := range hostile {
		t.Run(name, func(t *testing.T) {
			s := &config.Script{Addr: addrs.Script("mail"), Name: "mail",
				Services: []config.ScriptService{{ID: "ok", Name: "fine"}, {ID: "EMSMTP", Name: svcName}}}
			_, _, err := Render(s, config.Windows)
			if !errors.Is(err, ErrUnsafeForCmd) {
				t.Fatalf("err = %v, want ErrUnsafeForCmd", err)
			}
			for _, want := range []string{"script.mail", `service "EMSMTP"`} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %q, want it to name %s", err, want)
				}
			}
		})
	}
	t.Run("id", func(t *testing.T) {
		s := &config.Script{Name: "mail", Services: []config.ScriptService{{ID: "a&b", Name: "fine"}}}
		if _, _, err := Render(s, config.Windows); !errors.Is(err, ErrUnsafeForCmd) {
			t.Fatalf("err = %v, want ErrUnsafeForCmd", err)
		}
	})
}

func TestCmdArg(t *testing.T) {
	tests := map[string]string{
		"W3SVC":                    "W3SVC",
		"dbmail Service":           `"dbmail Service"`,
		"ExpressMail Smtp Service": `"ExpressMail Smtp Service"`,
		`C:\bin\x.exe`:             `C:\bin\x.exe`,
		"my-svc_1.0":               "my-svc_1.0",
		"a(b)":                     `"a(b)"`,
		"サービス":                     `"サービス"`,
	}
	for in, want := range tests {
		got, err := cmdArg(in)
		if err != nil {
			t.Errorf("cmdArg(%q): %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("cmdArg(%q) = %s, want %s", in, got, want)
		}
	}
}

// Free text in a .bat comment cannot expand or continue a line.
func TestBatCommentSanitised(t *testing.T) {
	s := &config.Script{Name: "x", Description: "50% ^\r\nnext & <line>"}
	start, _, err := Render(s, config.Windows)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rem  50_ _\r\n", "rem  next _ _line_\r\n"} {
		if !strings.Contains(string(start), want) {
			t.Errorf("start.bat lacks %q:\n%s", want, start)
		}
	}
}
