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
	stat      string // vkhoststat's stdout
	statExit  int
	listeners string // output of the listeners script; "" = neither ss nor /proc
	services  string // /etc/services; "" = one registering vkscan 20001/tcp, "-" = unreadable
	probe     string // output of the probe script
}

// statOf is vkhoststat's output for "name=STATUS" pairs, in the shape of the constructed corpus
// sample (testdata/vendor-output/serverscan): a Host and a Status column.
func statOf(rows ...string) string {
	out := "Host             Status\n"
	for _, r := range rows {
		name, status, _ := strings.Cut(r, "=")
		out += fmt.Sprintf("%-16s %s\n", name, status)
	}
	return out
}

// results are the outcomes of the unit's probes, in their order: vkhoststat, the listeners,
// /etc/services ("-": not there), the connector probe.
func (h host) results(probing bool) []transport.Outcome {
	services := []transport.File{{Path: servicesFile, Exists: true, Data: []byte("ssh 22/tcp\nvkscan 20001/tcp # Scan-Connector\n")}}
	switch h.services {
	case "-":
		services = []transport.File{{Path: servicesFile}}
	case "":
	default:
		services[0].Data = []byte(h.services)
	}
	res := []transport.Outcome{
		{Result: transport.Result{Stdout: []byte(h.stat), ExitCode: h.statExit}},
		{Result: transport.Result{Stdout: []byte(h.listeners)}},
		{Files: services},
	}
	if probing {
		res = append(res, transport.Outcome{Result: transport.Result{Stdout: []byte(h.probe)}})
	}
	return res
}

func planFor(s *config.ServerScan, h host) planner.UnitPlan {
	obs := planner.Observation{
		Results: map[addrs.Address][]transport.Outcome{s.Node.Addr: h.results(s.CheckConnector)},
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
	verifyStep = "/usr/SrvScan/bin/vkhoststat"
	noPorts    = "ss\n"
	// undocumented is the warning every listing with a word other than INACT gives.
	undocumented = "warning: Undocumented vkhoststat status @server_scan.mail"
)

func TestPlan(t *testing.T) {
	three := testServerScan(false, "WinNT01", "WinNT02", "WinNT03:standby")
	allUp := statOf("WinNT01=ACT", "WinNT02=ACT", "WinNT03=ACT")
	reattach := func(name string, line int) changeSummary {
		return changeSummary{Addr: "scan_server." + name, Action: planner.Update, Attrs: "connected:false->true",
			Reason: fmt.Sprintf("vkhoststat: INACT (line %d); reattached with vkattach", line)}
	}
	cases := map[string]struct {
		s     *config.ServerScan
		host  host
		want  []changeSummary
		steps []string
		diags []string
	}{
		"all listed, none INACT: no changes": {
			s: three, host: host{stat: allUp, listeners: noPorts}, diags: []string{undocumented},
		},
		"one normal server INACT: one reattach": {
			s:     three,
			host:  host{stat: statOf("WinNT01=ACT", "WinNT02=INACT", "WinNT03=ACT"), listeners: noPorts},
			want:  []changeSummary{reattach("WinNT02", 3)},
			steps: []string{"/usr/SrvScan/bin/vkattach -nWinNT02", verifyStep},
			diags: []string{undocumented},
		},
		"all normal servers INACT: warning, both reattached": {
			s:     three,
			host:  host{stat: statOf("WinNT01=INACT", "WinNT02=INACT", "WinNT03=ACT"), listeners: noPorts},
			want:  []changeSummary{reattach("WinNT01", 2), reattach("WinNT02", 3)},
			steps: []string{"/usr/SrvScan/bin/vkattach -nWinNT01", "/usr/SrvScan/bin/vkattach -nWinNT02", verifyStep},
			diags: []string{undocumented, "warning: Running on standby servers only @server_scan.mail"},
		},
		// The exit status with no usable server is undocumented: a listing is read whatever it is.
		"everything INACT and a non-zero exit: still reattached": {
			s:     three,
			host:  host{stat: statOf("WinNT01=INACT", "WinNT02=INACT", "WinNT03=INACT"), statExit: 1, listeners: noPorts},
			want:  []changeSummary{reattach("WinNT01", 2), reattach("WinNT02", 3), reattach("WinNT03", 4)},
			steps: []string{"/usr/SrvScan/bin/vkattach -nWinNT01", "/usr/SrvScan/bin/vkattach -nWinNT02", "/usr/SrvScan/bin/vkattach -nWinNT03", verifyStep},
			diags: []string{"warning: vkhoststat exited with an error status @server_scan.mail", "warning: No scan server connected @server_scan.mail"},
		},
		"an unknown status word: reported, not reattached, no error": {
			s:     three,
			host:  host{stat: statOf("WinNT01=ACT", "WinNT02=WAIT", "WinNT03=ACT"), listeners: noPorts},
			diags: []string{undocumented},
		},
		"a declared server not listed: error naming it": {
			s:     testServerScan(false, "WinNT01", "WinNT02", "WinNT03:standby", "WinNT04:standby"),
			host:  host{stat: statOf("WinNT01=INACT", "WinNT02=ACT", "WinNT03=ACT"), listeners: noPorts},
			want:  []changeSummary{reattach("WinNT01", 2)},
			steps: []string{"/usr/SrvScan/bin/vkattach -nWinNT01", verifyStep},
			diags: []string{undocumented, "error: Scan server not in Server-Scan's settings @scan_server.WinNT04"},
		},
		"an undeclared server listed: warning, left alone": {
			s:     three,
			host:  host{stat: statOf("WinNT01=ACT", "WinNT02=ACT", "WinNT03=ACT", "WinNT09=INACT"), listeners: noPorts},
			diags: []string{undocumented, "warning: Undeclared scan server @server_scan.mail"},
		},
		"listed in another order: warning": {
			s:     three,
			host:  host{stat: statOf("WinNT01=ACT", "WinNT03=ACT", "WinNT02=ACT"), listeners: noPorts},
			diags: []string{undocumented, "warning: Scan server order differs @server_scan.mail"},
		},
		"a single server: warning": {
			s:     testServerScan(false, "WinNT01"),
			host:  host{stat: statOf("WinNT01=ACT"), listeners: noPorts},
			diags: []string{undocumented, "warning: Single scan server @server_scan.mail"},
		},
		"Server-Scan port held by another program": {
			s:     three,
			host:  host{stat: allUp, listeners: "ss\nLISTEN 0 128 0.0.0.0:20000 0.0.0.0:* users:((\"httpd\",pid=1,fd=3))\n"},
			diags: []string{undocumented, "error: Port collision @server_scan.mail"},
		},
		"Server-Scan port held by an unnamed program": {
			s:     three,
			host:  host{stat: allUp, listeners: "proc /proc/net/tcp\n 0: 00000000:4E20 00000000:0000 0A 0 0 0 0 0 1\n"},
			diags: []string{undocumented, "warning: Server-Scan port in use @server_scan.mail"},
		},
		"Scan-Connector port number used on the host": {
			s:     three,
			host:  host{stat: allUp, listeners: "ss\nLISTEN 0 128 *:20001 *:*\n"},
			diags: []string{undocumented, "warning: Scan-Connector port used by another program @scan_server.WinNT01", "warning: Scan-Connector port used by another program @scan_server.WinNT02", "warning: Scan-Connector port used by another program @scan_server.WinNT03"},
		},
		"service name not in /etc/services, or with another port": {
			s:     testServerScan(false, "WinNT01", "WinNT02"),
			host:  host{stat: statOf("WinNT01=ACT", "WinNT02=ACT"), listeners: noPorts, services: "vkscan 20134/tcp\nother 20001/tcp vkscan2\n"},
			diags: []string{undocumented, "warning: Service port differs @scan_server.WinNT01", "warning: Service port differs @scan_server.WinNT02"},
		},
		"/etc/services unreadable": {
			s:     three,
			host:  host{stat: allUp, listeners: noPorts, services: "-"},
			diags: []string{undocumented, "warning: Service names not checked @server_scan.mail"},
		},
		"ports could not be listed": {
			s:     three,
			host:  host{stat: allUp},
			diags: []string{undocumented, "warning: Listening ports not checked @server_scan.mail"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			up := planFor(tc.s, tc.host)
			if diff := cmp.Diff(tc.diags, diagnostics(up)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, summarize(up.Changes)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.steps, steps(up)); diff != "" {
				t.Errorf("operations (-want +got):\n%s", diff)
			}
			if (up.State == nil) != (len(tc.want) == 0) {
				t.Errorf("state %+v with %d changes", up.State, len(tc.want))
			}
		})
	}
}

// A difference in the server list names the server and says where to change it: the tool has
// no way to change Server-Scan's environment settings.
func TestPlanListDifferenceSaysWhereToChangeIt(t *testing.T) {
	s := testServerScan(false, "WinNT01", "WinNT05:standby")
	up := planFor(s, host{stat: statOf("WinNT01=ACT"), listeners: noPorts})
	var detail string
	for _, d := range up.Diagnostics {
		if d.Addr == "scan_server.WinNT05" {
			detail = d.Detail
		}
	}
	for _, want := range []string{"does not list WinNT05", "Server-Scan's environment settings", "remove scan_server.WinNT05"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
}

func TestPlanWhenVkhoststatGivesNothingUsable(t *testing.T) {
	s := testServerScan(false, "WinNT01", "WinNT02")
	for name, tc := range map[string]struct {
		h    host
		want string
	}{
		"not installed":       {host{stat: "", statExit: 127, listeners: noPorts}, "error: vkhoststat not found @server_scan.mail"},
		"fails with no table": {host{stat: "KAVK0001-E Server-Scan is not running\n", statExit: 1, listeners: noPorts}, "error: vkhoststat output not understood @server_scan.mail"},
		"no header":           {host{stat: "WinNT01 INACT\n", listeners: noPorts}, "error: vkhoststat output not understood @server_scan.mail"},
	} {
		t.Run(name, func(t *testing.T) {
			up := planFor(s, tc.h)
			if diff := cmp.Diff([]string{tc.want}, diagnostics(up)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if len(up.Changes) != 0 {
				t.Errorf("changes without a listing: %+v", summarize(up.Changes))
			}
		})
	}
}

func TestPlanConnectorChecks(t *testing.T) {
	s := testServerScan(true, "WinNT01", "WinNT02")
	s.Servers[1].Connector = s.Servers[0].Connector // one endpoint, probed and reported once
	s.Servers[1].Port = 20002
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
			up := planFor(s, host{stat: stat, listeners: noPorts, probe: tc.probe, services: "vkscan 20001/tcp\nvkscan 20002/tcp\n"})
			want := append([]string{undocumented}, tc.want...)
			if diff := cmp.Diff(want, diagnostics(up)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
	// The probe is only in the observation when check_connector is set.
	if n := len(newUnit(s).ObserveOps(s.Node.Addr)); n != 4 {
		t.Errorf("with check_connector: %d observe ops, want 4", n)
	}
	s.CheckConnector = false
	if n := len(newUnit(s).ObserveOps(s.Node.Addr)); n != 3 {
		t.Errorf("without check_connector: %d observe ops, want 3", n)
	}
}

func TestPlanUnreachableHost(t *testing.T) {
	s := testServerScan(false, "WinNT01", "WinNT02")
	obs := planner.Observation{Errors: map[addrs.Address]error{s.Node.Addr: errors.New("node.mailsv: dial tcp: connection refused")}}
	up := newUnit(s).Plan(obs)
	if diff := cmp.Diff([]string{"error: Node unreachable @node.mailsv"}, diagnostics(up)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(up.Observed) != 0 || len(up.Changes) != 0 {
		t.Errorf("an unreachable host must give no changes and no fingerprint: %+v", up)
	}
}

func TestFingerprintFollowsTheListing(t *testing.T) {
	s := testServerScan(false, "WinNT01", "WinNT02")
	base := planFor(s, host{stat: statOf("WinNT01=ACT", "WinNT02=ACT"), listeners: noPorts}).Observed["node.mailsv"]
	other := map[string]host{
		"status flips":   {stat: statOf("WinNT01=ACT", "WinNT02=INACT"), listeners: noPorts},
		"server added":   {stat: statOf("WinNT01=ACT", "WinNT02=ACT", "WinNT03=ACT"), listeners: noPorts},
		"listing failed": {stat: "", statExit: 1, listeners: noPorts},
	}
	for name, h := range other {
		if fp := planFor(s, h).Observed["node.mailsv"]; fp == base || fp == "" {
			t.Errorf("%s: fingerprint %q, want one different from %q", name, fp, base)
		}
	}
	same := host{stat: statOf("WinNT01=ACT", "WinNT02=ACT"), listeners: "ss\nLISTEN 0 1 *:9999 *:*\n"}
	if fp := planFor(s, same).Observed["node.mailsv"]; fp != base {
		t.Errorf("a new listening port changed the fingerprint")
	}
}

func TestPlanRefusesValuesThatAreNotOneField(t *testing.T) {
	s := testServerScan(false, "WinNT01", "WinNT02")
	s.Servers[0].Service = "vk scan"
	up := planFor(s, host{stat: statOf("WinNT01=INACT", "WinNT02=ACT"), listeners: noPorts})
	if diff := cmp.Diff([]string{"error: Value not usable as one field @scan_server.WinNT01"}, diagnostics(up)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(up.Changes) != 0 {
		t.Errorf("changes planned despite the error: %+v", summarize(up.Changes))
	}
}
