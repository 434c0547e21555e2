package config

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// validDir holds complete configurations that must load without diagnostics; each one's
// decoded model is compared with testdata/valid/<name>.golden (regenerate with -update).
const validDir = "../../testdata/valid"

func TestValidConfigurations(t *testing.T) {
	entries, err := os.ReadDir(validDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Run(e.Name(), func(t *testing.T) {
			loaded, diags := Load(filepath.Join(validDir, e.Name()), LoadOptions{})
			if len(diags) > 0 {
				t.Fatalf("diagnostics:\n%s", describe(diags))
			}
			got := dumpConfig(loaded.Config)
			golden := filepath.Join("testdata", "valid", e.Name()+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("model (-golden +got):\n%s", diff)
			}
		})
	}
}

// dumpConfig renders the decoded model as stable text: every field a provider reads, in the
// order providers see it.
func dumpConfig(c *Config) string {
	var b strings.Builder
	p := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", indent))
		fmt.Fprintf(&b, format+"\n", args...)
	}
	for _, name := range sortedKeys(c.Variables) {
		v := c.Variables[name]
		val := "(sensitive)"
		if !v.Sensitive {
			js, _ := ctyjson.Marshal(v.Value, v.Value.Type())
			val = string(js)
		}
		p(0, "var.%s %s = %s", name, typeexpr.TypeString(v.Type), val)
	}
	endpoint := func(e Endpoint) string {
		s := e.SSH
		return fmt.Sprintf("%s:%d user=%q keys=%q agent=%s known_hosts=%q connect=%s command=%s host_key=%q",
			e.Address, e.Port, s.User, s.IdentityFiles, boolp(s.Agent), s.KnownHostsFile, s.ConnectTimeout, s.CommandTimeout, e.HostKey)
	}
	for _, name := range sortedKeys(c.Clusters) {
		cl := c.Clusters[name]
		p(0, "%s%s platform=%s install_dir=%q charset=%s comment=%q", cl.Addr, named(cl.Addr.String(), cl.Name), cl.Platform, cl.InstallDir, cl.Charset, cl.Comment)
		p(1, "options interval=%d timeout=%d", cl.Options.HeartbeatInterval, cl.Options.HeartbeatTimeout)
		if cl.Ports != nil {
			p(1, "ports tcp_in=%v udp_in=%v tcp_out=%v udp_out=%v", cl.Ports.TCPIn, cl.Ports.UDPIn, cl.Ports.TCPOut, cl.Ports.UDPOut)
		}
		for _, n := range cl.Nodes {
			p(1, "%s priority=%d %s", n.Addr, n.Priority, endpoint(n.Endpoint))
			p(2, "interconnects=%q mirror_connect=%q", n.Interconnects, n.MirrorConnect)
		}
		for _, h := range cl.Heartbeats {
			p(1, "%s mode=%s interconnect=%d priority=%d", h.Addr, h.Mode, h.Interconnect, h.Priority)
		}
		for _, np := range cl.NetworkPartitions {
			p(1, "%s targets=%q interval=%d timeout=%d", np.Addr, np.Targets, np.Interval, np.Timeout)
		}
		for _, m := range cl.Monitors {
			dumpMonitor(p, m)
		}
		for _, g := range cl.Groups {
			var policy []string
			for _, n := range g.Policy {
				policy = append(policy, n.Addr.String())
			}
			p(1, "%s%s comment=%q auto_start=%t failback=%t policy=%v", g.Addr, named(g.Addr.String(), g.Name), g.Comment, g.AutoStart, g.Failback, policy)
			if len(g.IdenticalRegistryKeys) > 0 {
				p(2, "identical_registry_keys=%q", g.IdenticalRegistryKeys)
			}
			for _, r := range g.Resources {
				var deps []string
				for _, d := range r.DependsOn {
					deps = append(deps, d.Addr.String())
				}
				script := ""
				if r.Script != nil {
					script = r.Script.Addr.String()
				}
				p(2, "%s%s timeout=%d ip=%q netmask=%q device=%q mount=%q fs=%q dp=%q cp=%q nmp=%q keys=%q service=%q script=%s depends_on=%v",
					r.Addr, named(r.Addr.String(), r.Name), r.Timeout, r.IP, r.Netmask, r.Device, r.MountPoint, r.FS, r.DataPartition, r.ClusterPartition, r.NMPPath, r.RegistryKeys, r.ServiceName, script, deps)
			}
			for _, m := range g.Monitors {
				dumpMonitor(p, m)
			}
		}
	}
	for _, name := range sortedKeys(c.Scripts) {
		s := c.Scripts[name]
		p(0, "%s description=%q env_prefix=%s restart_services=%t on_disk_failure=%s", s.Addr, s.Description, s.EnvPrefix, s.RestartServices, s.OnDiskFailure)
		p(1, "start=%q", s.Start)
		p(1, "stop=%q", s.Stop)
		for _, svc := range s.Services {
			p(1, "service %s name=%s monitor=%t", svc.ID, svc.Name, svc.Monitor)
		}
		for _, h := range s.Hooks {
			position := ""
			if h.Position != "" {
				position = " position=" + h.Position
			}
			p(1, "hook %s on=%s phase=%s%s commands=%q", h.Event, h.On, h.Phase, position, h.Commands)
		}
		if o := s.OLTP; o != nil {
			p(1, "webharmo_oltp install_dir=%q partial_send=%t web_form_print=%t cleanup=%q", o.InstallDir, o.PartialSend, o.WebFormPrint, o.OLTPCleanup())
		}
	}
	for _, name := range sortedKeys(c.Nodes) {
		n := c.Nodes[name]
		p(0, "%s %s", n.Addr, endpoint(n.Endpoint))
	}
	for _, name := range sortedKeys(c.ServerScans) {
		s := c.ServerScans[name]
		p(0, "%s node=%s install_dir=%q port=%d check_connector=%t", s.Addr, s.Node.Addr, s.InstallDir, s.Port, s.CheckConnector)
		for _, srv := range s.Servers {
			p(1, "%s role=%s order=%d connector=%s service=%s port=%d", srv.Addr, srv.Role, srv.Order, srv.Connector, srv.Service, srv.Port)
		}
	}
	for _, name := range sortedKeys(c.StatusFiles) {
		s := c.StatusFiles[name]
		p(0, "%s node=%s install_dir=%q definition=%q init=%q", s.Addr, s.Node.Addr, s.InstallDir, s.DefinitionFile, s.InitCommand)
		p(1, "definition_content=%q", s.DefinitionContent)
		for _, lf := range s.Logicals {
			p(1, "logical_file %s a=%q b=%q", lf.Name, lf.AFile, lf.BFile)
		}
	}
	for _, name := range sortedKeys(c.ServerGroups) {
		sg := c.ServerGroups[name]
		p(0, "%s management=%s settings_dir=%q system_dir=%q detach=%q attach=%q in_balancer=%q", sg.Addr, sg.Management.Addr, sg.SettingsDir, sg.SystemDir, sg.DetachCommand, sg.AttachCommand, sg.InBalancerCommand)
		p(1, "sync=%q sync_check=%q sync_timeout=%s", sg.SyncCommand, sg.SyncCheckCommand, sg.SyncTimeout)
		for _, m := range sg.Members {
			p(1, "%s node=%s disabled=%t", m.Addr, m.Node.Addr, m.Disabled)
		}
	}
	for _, name := range sortedKeys(c.Outputs) {
		o := c.Outputs[name]
		p(0, "output.%s sensitive=%t value=%s", name, o.Sensitive, o.Value.GoString())
	}
	return b.String()
}

// named shows an object's clp.conf name when it is not its address's last label (the name
// argument, or an instance of a repeated block).
func named(addr, name string) string {
	if strings.HasSuffix(addr, "."+name) {
		return ""
	}
	return fmt.Sprintf(" name=%q", name)
}

func dumpMonitor(p func(int, string, ...any), m *Monitor) {
	target, script, rec := "", "", ""
	if m.Target != nil {
		target = m.Target.Addr.String()
	}
	if m.Script != nil {
		script = m.Script.Addr.String()
	}
	switch {
	case m.Recovery.Group != nil:
		rec = m.Recovery.Group.Addr.String()
	case m.Recovery.Resource != nil:
		rec = m.Recovery.Resource.Addr.String()
	}
	p(2, "%s%s target=%s targets=%q script=%s interval=%d timeout=%d retry=%d recovery=%q/%s/%d",
		m.Addr, named(m.Addr.String(), m.Name), target, m.Targets, script, m.Interval, m.Timeout, m.Retry, m.Recovery.Action, rec, m.Recovery.MaxRestarts)
}

func boolp(b *bool) string {
	if b == nil {
		return "unset"
	}
	return fmt.Sprint(*b)
}
