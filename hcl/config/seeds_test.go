package config

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// windowsCluster is a two-node Windows cluster with group "app" running script.app.
const windowsCluster = `
cluster "web" {
  platform = "windows"
  node "sv1" {
    address       = "10.0.0.11"
    interconnects = ["192.168.0.11"]
  }
  node "sv2" {
    address       = "10.0.0.12"
    interconnects = ["192.168.0.12"]
  }
  heartbeat "hb1" { interconnect = 0 }
}

group "app" {
  cluster = cluster.web
  policy  = [cluster.web.node.sv1, cluster.web.node.sv2]
  resource "exec" "exec1" { script = script.app }
}
`

func loadDiags(t *testing.T, hclText string) hcl.Diagnostics {
	t.Helper()
	_, diags := Load(writeDir(t, map[string]string{"main.hcl": hclText}), LoadOptions{})
	return diags
}

func findDiag(diags hcl.Diagnostics, sev hcl.DiagnosticSeverity, summary string) *hcl.Diagnostic {
	for _, d := range diags {
		if d.Severity == sev && d.Summary == summary {
			return d
		}
	}
	return nil
}

// The seeds' rules cite their section, and each is reported where the fix goes.
func TestOperatingRules(t *testing.T) {
	tests := map[string]struct {
		script  string
		sev     hcl.DiagnosticSeverity
		summary string
		cites   string
		line    int // in the script block, counted from its first line
	}{
		"a hook stops ICPFSrv": {
			script: `script "app" {
  service "WWWService" { name = "W3SVC" }
  hook "START" {
    phase    = "stop"
    commands = ["net stop ICPFSrv"]
  }
}`,
			sev: hcl.DiagError, summary: "Service the cluster must not stop", cites: "1.6.6", line: 5,
		},
		"dbmail in monitor mode in literal content": {
			script: `script "app" {
  start = "ARMLOAD dbmail /S /M \"dbmail Service\""
  stop  = "ARMKILL dbmail"
}`,
			sev: hcl.DiagError, summary: "dbmail started in monitor mode", cites: "1.2.8 (7)", line: 2,
		},
		"dbmail declared before IIS": {
			script: `script "app" {
  service "dbmail" { name = "dbmail Service" }
  service "WWWService" { name = "W3SVC" }
}`,
			sev: hcl.DiagWarning, summary: "dbmail starts before IIS", cites: "1.2.5", line: 2,
		},
		"WEBharmo/OLTP in a literal script": {
			script: `script "app" {
  start = "net start \"IIS Admin Service\""
  webharmo_oltp {
    install_dir  = "C:\\WEBharmo"
    partial_send = true
  }
}`,
			sev: hcl.DiagError, summary: "WEBharmo/OLTP needs a generated script", cites: "1.4.5", line: 3,
		},
		"WEBharmo/OLTP without IIS": {
			script: `script "app" {
  service "DBMSVC" { name = "dbmail Service" }
  webharmo_oltp {
    install_dir    = "C:\\WEBharmo"
    web_form_print = true
  }
}`,
			sev: hcl.DiagError, summary: "WEBharmo/OLTP without IIS", cites: "1.4.5", line: 3,
		},
		"WEBharmo/OLTP with no feature": {
			script: `script "app" {
  service "WWWService" { name = "W3SVC" }
  webharmo_oltp {
    install_dir = "C:\\WEBharmo"
  }
}`,
			sev: hcl.DiagWarning, summary: "WEBharmo/OLTP clean-up does nothing", cites: "1.4.5", line: 3,
		},
	}
	base := strings.Count(windowsCluster, "\n")
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			diags := loadDiags(t, windowsCluster+tc.script+"\n")
			d := findDiag(diags, tc.sev, tc.summary)
			if d == nil {
				t.Fatalf("no %q; got:\n%s", tc.summary, describe(diags))
			}
			if !strings.Contains(d.Detail, tc.cites) || !strings.Contains(d.Detail, "Seed 001") {
				t.Errorf("detail does not cite seed 001 %s: %s", tc.cites, d.Detail)
			}
			if d.Subject == nil || d.Subject.Start.Line != base+tc.line {
				t.Errorf("subject %v, want line %d", d.Subject, base+tc.line)
			}
		})
	}
}

// A packet filter that opens every port of SURFNAVI step 9, given as ranges and numbers, passes;
// the ports are expanded in order.
func TestPortsBlock(t *testing.T) {
	text := strings.Replace(windowsCluster, `heartbeat "hb1" { interconnect = 0 }`, `heartbeat "hb1" { interconnect = 0 }
  ports {
    tcp_in  = ["20003-20006", 20009, 20020, "20090-20091"]
    udp_in  = [20003, 20006, 20010]
    udp_out = [20008, 389]
  }`, 1) + `script "app" {
  start = "echo start"
  stop  = "echo stop"
}
`
	loaded, diags := Load(writeDir(t, map[string]string{"main.hcl": text}), LoadOptions{})
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", describe(diags))
	}
	got := loaded.Config.Clusters["web"].Ports.TCPIn
	want := []int{20003, 20004, 20005, 20006, 20009, 20020, 20090, 20091}
	if len(got) != len(want) {
		t.Fatalf("tcp_in = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("tcp_in = %v, want %v", got, want)
		}
	}
}

func TestScriptCharset(t *testing.T) {
	generated := &Script{Services: []ScriptService{{ID: "a", Name: "a"}}}
	literal := &Script{Start: "x", Stop: "y"}
	explicit := &Script{Charset: "UTF-8", Services: generated.Services}
	tests := []struct {
		s        *Script
		platform Platform
		charset  string
		want     string
	}{
		{generated, Windows, "SJIS", "SJIS"},
		{generated, Windows, "EUC-JP", "SJIS"},
		{generated, Windows, "Shift_JIS", "SJIS"},
		{generated, Windows, "", "ASCII"},
		{generated, Linux, "SJIS", "EUC-JP"},
		{generated, Linux, "", "EUC-JP"},
		{generated, Linux, "GB2312", "GB2312"},
		{generated, Linux, "UTF-8", "UTF-8"},
		{literal, Windows, "SJIS", ""},
		{explicit, Windows, "SJIS", "UTF-8"},
	}
	for _, tc := range tests {
		c := &Cluster{Platform: tc.platform, Charset: tc.charset}
		if got := ScriptCharset(tc.s, c); got != tc.want {
			t.Errorf("ScriptCharset(literal=%t, %s %q) = %q, want %q", tc.s.Literal(), tc.platform, tc.charset, got, tc.want)
		}
	}
}
