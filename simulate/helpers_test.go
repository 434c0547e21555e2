package simulate

import (
	"strings"
	"testing"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

// builder assembles configurations the way the loader would leave them, for table tests.
type builder struct{ cfg *config.Config }

func newBuilder() *builder {
	return &builder{cfg: &config.Config{
		Clusters: map[string]*config.Cluster{}, Nodes: map[string]*config.Node{},
		Groups: map[string]*config.Group{}, ServerScans: map[string]*config.ServerScan{},
		ScanServers: map[string]*config.ScanServer{}, StatusFiles: map[string]*config.StatusFile{},
		ServerGroups: map[string]*config.ServerGroup{},
	}}
}

func (b *builder) cluster(name string, nodes ...string) *config.Cluster {
	c := &config.Cluster{Addr: addrs.Cluster(name), Name: name}
	for i, n := range nodes {
		c.Nodes = append(c.Nodes, &config.ClusterNode{Addr: addrs.ClusterNode(name, n), Name: n, Cluster: c, Priority: i})
	}
	b.cfg.Clusters[name] = c
	return c
}

func (b *builder) group(c *config.Cluster, name string, failback bool, policy ...string) *config.Group {
	g := &config.Group{Addr: addrs.Group(name), Name: name, Cluster: c, AutoStart: true, Failback: failback}
	for _, p := range policy {
		for _, n := range c.Nodes {
			if n.Name == p {
				g.Policy = append(g.Policy, n)
			}
		}
	}
	c.Groups = append(c.Groups, g)
	b.cfg.Groups[name] = g
	return g
}

func (b *builder) node(name string) *config.Node {
	n := &config.Node{Addr: addrs.Node(name), Name: name}
	b.cfg.Nodes[name] = n
	return n
}

// scan declares a Server-Scan host on node "mailsv" with servers "name" (normal) or
// "name/standby".
func (b *builder) scan(name string, servers ...string) *config.ServerScan {
	h := &config.ServerScan{Addr: addrs.ServerScan(name), Name: name, Node: b.node("mailsv")}
	for _, s := range servers {
		n, role, _ := strings.Cut(s, "/")
		if role == "" {
			role = "normal"
		}
		sv := &config.ScanServer{Addr: addrs.ScanServer(n), Name: n, ServerScan: h, Role: role}
		h.Servers = append(h.Servers, sv)
		b.cfg.ScanServers[n] = sv
	}
	b.cfg.ServerScans[name] = h
	return h
}

// statusFile declares a status service with logical files L1..Ln, files D:\sts\Lia and E:\sts\Lib.
func (b *builder) statusFile(name string, logicals int) *config.StatusFile {
	f := &config.StatusFile{Addr: addrs.StatusFile(name), Name: name, Node: b.node("objsv")}
	for i := range logicals {
		n := "L" + string(rune('1'+i))
		f.Logicals = append(f.Logicals, &config.LogicalFile{Name: n, AFile: `D:\sts\` + n + "a", BFile: `E:\sts\` + n + "b"})
	}
	b.cfg.StatusFiles[name] = f
	return f
}

func (b *builder) serverGroup(name, management string, members ...string) *config.ServerGroup {
	g := &config.ServerGroup{Addr: addrs.ServerGroup(name), Name: name, Management: b.node(management)}
	for _, m := range members {
		n, flag, _ := strings.Cut(m, "/")
		g.Members = append(g.Members, &config.Member{Addr: addrs.Member(name, n), Name: n, Node: b.node(n), Disabled: flag == "disabled"})
	}
	b.cfg.ServerGroups[name] = g
	return g
}

// steps parses "fail sv1,sv2; recover sv1" into events.
func steps(s string) []Event {
	var out []Event
	for _, part := range strings.Split(s, ";") {
		verb, names, _ := strings.Cut(strings.TrimSpace(part), " ")
		out = append(out, Event{Action: Action(verb), Names: strings.Split(names, ",")})
	}
	return out
}

func runOne(t *testing.T, cfg *config.Config, events string, expect ...string) *Report {
	t.Helper()
	ev := steps(events)
	rep, err := Run(cfg, Options{Scenarios: []Scenario{{Name: Describe(ev), Events: ev}}, Expect: expect})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// where renders each group's node after every step: "iis=sv2 | iis=sv3".
func where(r ScenarioReport) string {
	var steps []string
	for _, s := range append([]Snapshot{r.Start}, snaps(r)...) {
		var gs []string
		for _, g := range s.Groups {
			node := g.Node
			if node == "" {
				node = "DOWN"
			}
			gs = append(gs, g.Group.Parts()[1]+"="+node)
		}
		steps = append(steps, strings.Join(gs, " "))
	}
	return strings.Join(steps, " | ")
}

func snaps(r ScenarioReport) []Snapshot {
	var out []Snapshot
	for _, s := range r.Steps {
		out = append(out, s.Snapshot)
	}
	return out
}

func kinds(chs []Change) string {
	var out []string
	for _, c := range chs {
		out = append(out, c.Service.String()+":"+string(c.Kind))
	}
	return strings.Join(out, " ")
}
