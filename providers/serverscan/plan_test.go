package serverscan

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

// testServerScan is server_scan.mail on node.mailsv with the given servers, "name:role" each,
// in declaration order; every server uses connector 10.0.0.4N, service vkscan, port 20001.
func testServerScan(check bool, servers ...string) *config.ServerScan {
	node := &config.Node{Addr: addrs.Node("mailsv"), Name: "mailsv", Endpoint: config.Endpoint{Address: "10.0.0.25", Port: 22}}
	s := &config.ServerScan{Addr: addrs.ServerScan("mail"), Name: "mail", Node: node, InstallDir: "/usr/SrvScan",
		Port: 20000, CheckConnector: check}
	next := map[string]int{}
	for i, spec := range servers {
		name, role, _ := strings.Cut(spec, ":")
		if role == "" {
			role = RoleNormal
		}
		next[role]++
		s.Servers = append(s.Servers, &config.ScanServer{Addr: addrs.ScanServer(name), Name: name, ServerScan: s,
			Connector: fmt.Sprintf("10.0.0.4%d", i+1), Service: "vkscan", Port: 20001, Role: role, Order: next[role]})
	}
	return s
}

// host is what the Server-Scan host reports.
type host struct {
	settings  *string // nil: no settings file
	stat      string  // vkhoststat's stdout
	statExit  int
	listeners string // output of the listeners script; "" = neither ss nor /proc
	probe     string // output of the probe script
}

// settingsOf renders the settings a previous apply of s would have written.
func settingsOf(t *testing.T, s *config.ServerScan) *string {
	t.Helper()
	data, err := RenderSettings(newUnit(s).desiredEntries())
	if err != nil {
		t.Fatal(err)
	}
	str := string(data)
	return &str
}

// statOf is vkhoststat's output for "name=STATUS" pairs.
func statOf(rows ...string) string {
	out := "Host             Service          Port   Status\n"
	for _, r := range rows {
		name, status, _ := strings.Cut(r, "=")
		out += fmt.Sprintf("%-16s %-16s %-6d %s\n", name, "vkscan", 20001, status)
	}
	return out
}

func (h host) results(probing bool) []transport.Result {
	settings := transport.Result{ExitCode: exitAbsent}
	if h.settings != nil {
		settings = transport.Result{Stdout: []byte(*h.settings)}
	}
	res := []transport.Result{settings, {Stdout: []byte(h.stat), ExitCode: h.statExit}, {Stdout: []byte(h.listeners)}}
	if probing {
		res = append(res, transport.Result{Stdout: []byte(h.probe)})
	}
	return res
}

func planFor(s *config.ServerScan, h host) planner.UnitPlan {
	obs := planner.Observation{
		Results: map[addrs.Address][]transport.Result{s.Node.Addr: h.results(s.CheckConnector)},
		Errors:  map[addrs.Address]error{},
	}
	return newUnit(s).Plan(obs)
}

type changeSummary struct {
	Addr   string
	Action planner.Action
	Attrs  string // "name:before->after" joined by spaces
	Reason string
}

func summarize(changes []planner.Change) []changeSummary {
	var out []changeSummary
	for _, c := range changes {
		var attrs []string
		for _, a := range c.Attrs {
			attrs = append(attrs, fmt.Sprintf("%s:%s->%s", a.Name, a.Before, a.After))
		}
		out = append(out, changeSummary{Addr: c.Addr.String(), Action: c.Action, Attrs: strings.Join(attrs, " "), Reason: c.Reason})
	}
	return out
}

func steps(up planner.UnitPlan) []string {
	var out []string
	for _, c := range up.Changes {
		for _, o := range c.Operations {
			s := o.Step
			if o.Command != "" {
				s = o.Command
			}
			out = append(out, s)
		}
	}
	return out
}

func diagnostics(up planner.UnitPlan) []string {
	var out []string
	for _, d := range up.Diagnostics {
		out = append(out, d.Severity+": "+d.Summary+" @"+d.Addr)
	}
	return out
}

const (
	writeStep  = "write the scan-server settings to /usr/SrvScan/etc/vkhost.conf (atomically: temporary file, then rename)"
	verifyStep = "/usr/SrvScan/bin/vkhoststat"
	noPorts    = "ss\n"
)

func TestPlan(t *testing.T) {
	two := testServerScan(false, "WinNT01", "WinNT02", "WinNT03:standby")
	applied := settingsOf(t, two)
	allAct := statOf("WinNT01=ACT", "WinNT02=ACT", "WinNT03=ACT")
	reordered := testServerScan(false, "WinNT02", "WinNT01", "WinNT03:standby")
	reordered.Servers[0].Connector, reordered.Servers[1].Connector = "10.0.0.42", "10.0.0.41"
	withStandby := testServerScan(false, "WinNT01", "WinNT02", "WinNT03:standby", "WinNT04:standby")
	withoutTwo := testServerScan(false, "WinNT01", "WinNT03:standby")
	withoutTwo.Servers[1].Connector = "10.0.0.43"
	portChange := testServerScan(false, "WinNT01", "WinNT02", "WinNT03:standby")
	portChange.Servers[1].Port = 20005
	outOfOrder := "# hand-edited\nWinNT03 vkscan 20001 standby 10.0.0.43\nWinNT01 vkscan 20001 normal 10.0.0.41\nWinNT02 vkscan 20001 normal 10.0.0.42\n"

	cases := map[string]struct {
		s        *config.ServerScan
		host     host
		want     []changeSummary
		steps    []string
		diags    []string
		noChange bool
	}{
		"new host: settings created, every server attached": {
			s:    two,
			host: host{stat: "", statExit: 1, listeners: noPorts},
			want: []changeSummary{
				{Addr: "scan_server.WinNT01", Action: planner.Create, Attrs: `connector:null->"10.0.0.41" order:null->1 port:null->20001 role:null->"normal" service:null->"vkscan" status:null->"ACT"`,
					Reason: "new: not listed by vkhoststat yet; attached with vkattach once the settings are in place"},
				{Addr: "scan_server.WinNT02", Action: planner.Create, Attrs: `connector:null->"10.0.0.42" order:null->2 port:null->20001 role:null->"normal" service:null->"vkscan" status:null->"ACT"`,
					Reason: "new: not listed by vkhoststat yet; attached with vkattach once the settings are in place"},
				{Addr: "scan_server.WinNT03", Action: planner.Create, Attrs: `connector:null->"10.0.0.43" order:null->1 port:null->20001 role:null->"standby" service:null->"vkscan" status:null->"ACT"`,
					Reason: "new: not listed by vkhoststat yet; attached with vkattach once the settings are in place"},
				{Addr: "server_scan.mail", Action: planner.Create, Attrs: `servers:null->["WinNT01", "WinNT02", "WinNT03 (standby)"]`},
			},
			steps: []string{writeStep, "/usr/SrvScan/bin/vkattach -nWinNT01", "/usr/SrvScan/bin/vkattach -nWinNT02", "/usr/SrvScan/bin/vkattach -nWinNT03", verifyStep},
		},
		"applied and all ACT: no changes": {
			s:        two,
			host:     host{settings: applied, stat: allAct, listeners: noPorts},
			noChange: true,
		},
		"one normal server INACT: one reattach, settings untouched": {
			s:    two,
			host: host{settings: applied, stat: statOf("WinNT01=ACT", "WinNT02=INACT", "WinNT03=ACT"), listeners: noPorts},
			want: []changeSummary{{Addr: "scan_server.WinNT02", Action: planner.Update, Attrs: `status:"INACT"->"ACT"`,
				Reason: "vkhoststat: INACT; attached with vkattach once the settings are in place"}},
			steps: []string{"/usr/SrvScan/bin/vkattach -nWinNT02", verifyStep},
		},
		"all normal servers INACT: warning, both reattached": {
			s:    two,
			host: host{settings: applied, stat: statOf("WinNT01=INACT", "WinNT02=INACT", "WinNT03=ACT"), listeners: noPorts},
			want: []changeSummary{
				{Addr: "scan_server.WinNT01", Action: planner.Update, Attrs: `status:"INACT"->"ACT"`, Reason: "vkhoststat: INACT; attached with vkattach once the settings are in place"},
				{Addr: "scan_server.WinNT02", Action: planner.Update, Attrs: `status:"INACT"->"ACT"`, Reason: "vkhoststat: INACT; attached with vkattach once the settings are in place"},
			},
			steps: []string{"/usr/SrvScan/bin/vkattach -nWinNT01", "/usr/SrvScan/bin/vkattach -nWinNT02", verifyStep},
			diags: []string{"warning: Running on standby servers only @server_scan.mail"},
		},
		"nothing connected: service stopped warning": {
			s:    two,
			host: host{settings: applied, stat: statOf("WinNT01=INACT", "WinNT02=INACT", "WinNT03=INACT"), listeners: noPorts},
			want: []changeSummary{
				{Addr: "scan_server.WinNT01", Action: planner.Update, Attrs: `status:"INACT"->"ACT"`, Reason: "vkhoststat: INACT; attached with vkattach once the settings are in place"},
				{Addr: "scan_server.WinNT02", Action: planner.Update, Attrs: `status:"INACT"->"ACT"`, Reason: "vkhoststat: INACT; attached with vkattach once the settings are in place"},
				{Addr: "scan_server.WinNT03", Action: planner.Update, Attrs: `status:"INACT"->"ACT"`, Reason: "vkhoststat: INACT; attached with vkattach once the settings are in place"},
			},
			steps: []string{"/usr/SrvScan/bin/vkattach -nWinNT01", "/usr/SrvScan/bin/vkattach -nWinNT02", "/usr/SrvScan/bin/vkattach -nWinNT03", verifyStep},
			diags: []string{"warning: No scan server connected @server_scan.mail"},
		},
		"reorder of normal servers": {
			s:    reordered,
			host: host{settings: applied, stat: allAct, listeners: noPorts},
			want: []changeSummary{
				{Addr: "scan_server.WinNT01", Action: planner.Update, Attrs: "order:1->2", Reason: "vkhoststat: ACT"},
				{Addr: "scan_server.WinNT02", Action: planner.Update, Attrs: "order:2->1", Reason: "vkhoststat: ACT"},
				{Addr: "server_scan.mail", Action: planner.Update, Attrs: `servers:["WinNT01", "WinNT02", "WinNT03 (standby)"]->["WinNT02", "WinNT01", "WinNT03 (standby)"]`,
					Reason: "vkhoststat: WinNT01 ACT, WinNT02 ACT, WinNT03 ACT"},
			},
			steps: []string{writeStep, verifyStep},
		},
		"standby line first in the file: rewritten, no server changes": {
			s:     two,
			host:  host{settings: &outOfOrder, stat: allAct, listeners: noPorts},
			want:  []changeSummary{{Addr: "server_scan.mail", Action: planner.Update, Reason: "vkhoststat: WinNT01 ACT, WinNT02 ACT, WinNT03 ACT"}},
			steps: []string{writeStep, verifyStep},
		},
		"add a standby server": {
			s:    withStandby,
			host: host{settings: applied, stat: allAct, listeners: noPorts},
			want: []changeSummary{
				{Addr: "scan_server.WinNT04", Action: planner.Create, Attrs: `connector:null->"10.0.0.44" order:null->2 port:null->20001 role:null->"standby" service:null->"vkscan" status:null->"ACT"`,
					Reason: "new: not listed by vkhoststat yet; attached with vkattach once the settings are in place"},
				{Addr: "server_scan.mail", Action: planner.Update, Attrs: `servers:["WinNT01", "WinNT02", "WinNT03 (standby)"]->["WinNT01", "WinNT02", "WinNT03 (standby)", "WinNT04 (standby)"]`,
					Reason: "vkhoststat: WinNT01 ACT, WinNT02 ACT, WinNT03 ACT"},
			},
			steps: []string{writeStep, "/usr/SrvScan/bin/vkattach -nWinNT04", verifyStep},
		},
		"remove an INACT server: not reattached": {
			s:    withoutTwo,
			host: host{settings: applied, stat: statOf("WinNT01=ACT", "WinNT02=INACT", "WinNT03=ACT"), listeners: noPorts},
			want: []changeSummary{
				{Addr: "scan_server.WinNT02", Action: planner.Delete, Attrs: `connector:"10.0.0.42"->null order:2->null port:20001->null role:"normal"->null service:"vkscan"->null`,
					Reason: "vkhoststat: INACT; removed from the settings and not reattached"},
				{Addr: "server_scan.mail", Action: planner.Update, Attrs: `servers:["WinNT01", "WinNT02", "WinNT03 (standby)"]->["WinNT01", "WinNT03 (standby)"]`,
					Reason: "vkhoststat: WinNT01 ACT, WinNT02 INACT, WinNT03 ACT"},
			},
			steps: []string{writeStep, verifyStep},
		},
		"port change of an ACT server": {
			s:    portChange,
			host: host{settings: applied, stat: allAct, listeners: noPorts},
			want: []changeSummary{
				{Addr: "scan_server.WinNT02", Action: planner.Update, Attrs: "port:20001->20005", Reason: "vkhoststat: ACT"},
				{Addr: "server_scan.mail", Action: planner.Update, Reason: "vkhoststat: WinNT01 ACT, WinNT02 ACT, WinNT03 ACT"},
			},
			steps: []string{writeStep, verifyStep},
		},
		"single server warns": {
			s:        testServerScan(false, "WinNT01"),
			host:     host{settings: settingsOf(t, testServerScan(false, "WinNT01")), stat: statOf("WinNT01=ACT"), listeners: noPorts},
			diags:    []string{"warning: Single scan server @server_scan.mail"},
			noChange: true,
		},
		"unknown status word is an error, never guessed": {
			s:        two,
			host:     host{settings: applied, stat: statOf("WinNT01=ACT", "WinNT02=BUSY", "WinNT03=ACT"), listeners: noPorts},
			diags:    []string{"error: Unknown scan server status @scan_server.WinNT02"},
			noChange: true,
		},
		"malformed vkhoststat lines are a warning; unlisted server reattached": {
			s:    two,
			host: host{settings: applied, stat: statOf("WinNT01=ACT", "WinNT03=ACT") + "WinNT02 garbled\n", listeners: noPorts},
			want: []changeSummary{{Addr: "scan_server.WinNT02", Action: planner.Update, Attrs: `status:null->"ACT"`,
				Reason: "vkhoststat does not list it; attached with vkattach once the settings are in place"}},
			steps: []string{"/usr/SrvScan/bin/vkattach -nWinNT02", verifyStep},
			diags: []string{"warning: Unreadable vkhoststat lines @server_scan.mail"},
		},
		"vkhoststat fails with settings present": {
			s:        two,
			host:     host{settings: applied, stat: "vkhoststat: cannot connect to the Server-Scan service", statExit: 2, listeners: noPorts},
			diags:    []string{"error: vkhoststat failed @server_scan.mail"},
			noChange: true,
		},
		"vkhoststat not installed": {
			s:     two,
			host:  host{stat: "", statExit: 127, listeners: noPorts},
			diags: []string{"error: vkhoststat not found @server_scan.mail"},
			want: []changeSummary{
				{Addr: "scan_server.WinNT01", Action: planner.Create, Attrs: `connector:null->"10.0.0.41" order:null->1 port:null->20001 role:null->"normal" service:null->"vkscan" status:null->"ACT"`,
					Reason: "new: not listed by vkhoststat yet; attached with vkattach once the settings are in place"},
				{Addr: "scan_server.WinNT02", Action: planner.Create, Attrs: `connector:null->"10.0.0.42" order:null->2 port:null->20001 role:null->"normal" service:null->"vkscan" status:null->"ACT"`,
					Reason: "new: not listed by vkhoststat yet; attached with vkattach once the settings are in place"},
				{Addr: "scan_server.WinNT03", Action: planner.Create, Attrs: `connector:null->"10.0.0.43" order:null->1 port:null->20001 role:null->"standby" service:null->"vkscan" status:null->"ACT"`,
					Reason: "new: not listed by vkhoststat yet; attached with vkattach once the settings are in place"},
				{Addr: "server_scan.mail", Action: planner.Create, Attrs: `servers:null->["WinNT01", "WinNT02", "WinNT03 (standby)"]`},
			},
			steps: []string{writeStep, "/usr/SrvScan/bin/vkattach -nWinNT01", "/usr/SrvScan/bin/vkattach -nWinNT02", "/usr/SrvScan/bin/vkattach -nWinNT03", verifyStep},
		},
		"Server-Scan port taken by another program": {
			s:        two,
			host:     host{settings: applied, stat: allAct, listeners: "ss\nLISTEN 0 128 0.0.0.0:20000 0.0.0.0:* users:((\"httpd\",pid=9,fd=4))\n"},
			diags:    []string{"error: Port collision @server_scan.mail"},
			noChange: true,
		},
		"Server-Scan port held by Server-Scan itself": {
			s:        two,
			host:     host{settings: applied, stat: allAct, listeners: "ss\nLISTEN 0 128 0.0.0.0:20000 0.0.0.0:* users:((\"vkhostd\",pid=9,fd=4))\n"},
			noChange: true,
		},
		"Server-Scan port held by an unnamed program": {
			s:        two,
			host:     host{settings: applied, stat: allAct, listeners: "proc /proc/net/tcp\n 0: 00000000:4E20 00000000:0000 0A 0 0 0 0 0 1\n"},
			diags:    []string{"warning: Server-Scan port in use @server_scan.mail"},
			noChange: true,
		},
		"Scan-Connector port number used on the host": {
			s:        two,
			host:     host{settings: applied, stat: allAct, listeners: "ss\nLISTEN 0 128 *:20001 *:*\n"},
			diags:    []string{"warning: Scan-Connector port used by another program @scan_server.WinNT01", "warning: Scan-Connector port used by another program @scan_server.WinNT02", "warning: Scan-Connector port used by another program @scan_server.WinNT03"},
			noChange: true,
		},
		"ports could not be listed": {
			s:        two,
			host:     host{settings: applied, stat: allAct},
			diags:    []string{"warning: Listening ports not checked @server_scan.mail"},
			noChange: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			up := planFor(tc.s, tc.host)
			if diff := cmp.Diff(tc.diags, diagnostics(up)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if tc.noChange {
				if len(up.Changes) != 0 || up.State != nil {
					t.Errorf("want no changes, got %+v", summarize(up.Changes))
				}
				return
			}
			if diff := cmp.Diff(tc.want, summarize(up.Changes)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.steps, steps(up)); diff != "" {
				t.Errorf("operations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlanConnectorChecks(t *testing.T) {
	s := testServerScan(true, "WinNT01", "WinNT02")
	s.Servers[1].Connector = s.Servers[0].Connector // one endpoint, probed and reported once
	s.Servers[1].Port = 20002
	applied := settingsOf(t, s)
	stat := statOf("WinNT01=ACT", "WinNT02=ACT")
	cases := map[string]struct {
		probe string
		want  []string
	}{
		"both answer":   {probe: "open 20001 10.0.0.41\nopen 20002 10.0.0.41\n"},
		"one is closed": {probe: "open 20001 10.0.0.41\nclosed 20002 10.0.0.41\n", want: []string{"error: Scan-Connector unreachable @scan_server.WinNT02"}},
		"no probe tool": {probe: "unchecked 20001 10.0.0.41\nunchecked 20002 10.0.0.41\n", want: []string{
			"warning: Scan-Connector not checked @scan_server.WinNT01", "warning: Scan-Connector not checked @scan_server.WinNT02"}},
		"probe said nothing": {probe: "", want: []string{
			"warning: Scan-Connector not checked @scan_server.WinNT01", "warning: Scan-Connector not checked @scan_server.WinNT02"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			up := planFor(s, host{settings: applied, stat: stat, listeners: noPorts, probe: tc.probe})
			if diff := cmp.Diff(tc.want, diagnostics(up)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
	// The probe is only in the observation when check_connector is set.
	if n := len(newUnit(s).ObserveCommands(s.Node.Addr)); n != 4 {
		t.Errorf("with check_connector: %d observe commands, want 4", n)
	}
	s.CheckConnector = false
	if n := len(newUnit(s).ObserveCommands(s.Node.Addr)); n != 3 {
		t.Errorf("without check_connector: %d observe commands, want 3", n)
	}
}

func TestPlanUnreadableOrUnreachableHost(t *testing.T) {
	s := testServerScan(false, "WinNT01", "WinNT02")
	bad := "WinNT01 vkscan 20001 normal\n"
	up := planFor(s, host{settings: &bad, stat: statOf(), listeners: noPorts})
	if diff := cmp.Diff([]string{"error: Unreadable Server-Scan host state @server_scan.mail"}, diagnostics(up)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(up.Diagnostics[0].Detail, "line 1: want 5 fields") {
		t.Errorf("detail does not say what is wrong: %s", up.Diagnostics[0].Detail)
	}

	obs := planner.Observation{Errors: map[addrs.Address]error{s.Node.Addr: errors.New("node.mailsv: dial tcp: connection refused")}}
	up = newUnit(s).Plan(obs)
	if diff := cmp.Diff([]string{"error: Node unreachable @node.mailsv"}, diagnostics(up)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(up.Observed) != 0 || len(up.Changes) != 0 {
		t.Errorf("an unreachable host must give no changes and no fingerprint: %+v", up)
	}
}

func TestPlanRefusesUnwritableValues(t *testing.T) {
	s := testServerScan(false, "WinNT01", "WinNT02")
	s.Servers[0].Service = "vk scan"
	up := planFor(s, host{stat: "", statExit: 1, listeners: noPorts})
	if diff := cmp.Diff([]string{"error: Scan server not writable to the settings @server_scan.mail"}, diagnostics(up)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(up.Changes) != 0 {
		t.Errorf("changes planned despite the error: %+v", summarize(up.Changes))
	}
}

func TestFingerprintFollowsSettingsAndStatus(t *testing.T) {
	s := testServerScan(false, "WinNT01", "WinNT02")
	applied := settingsOf(t, s)
	base := planFor(s, host{settings: applied, stat: statOf("WinNT01=ACT", "WinNT02=ACT"), listeners: noPorts}).Observed["node.mailsv"]
	other := map[string]host{
		"status flips":     {settings: applied, stat: statOf("WinNT01=ACT", "WinNT02=INACT"), listeners: noPorts},
		"settings differ":  {settings: ptr(*applied + "# edited\n"), stat: statOf("WinNT01=ACT", "WinNT02=ACT"), listeners: noPorts},
		"settings removed": {stat: statOf("WinNT01=ACT", "WinNT02=ACT"), listeners: noPorts},
	}
	for name, h := range other {
		if fp := planFor(s, h).Observed["node.mailsv"]; fp == base || fp == "" {
			t.Errorf("%s: fingerprint %q, want one different from %q", name, fp, base)
		}
	}
	same := host{settings: applied, stat: statOf("WinNT01=ACT", "WinNT02=ACT"), listeners: "ss\nLISTEN 0 1 *:9999 *:*\n"}
	if fp := planFor(s, same).Observed["node.mailsv"]; fp != base {
		t.Errorf("a new listening port changed the fingerprint")
	}
}

func ptr(s string) *string { return &s }
