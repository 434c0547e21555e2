package addrs

import "testing"

func TestParseRoundTrip(t *testing.T) {
	for _, a := range []Address{
		Variable("hosts"), Cluster("web"), ClusterNode("web", "sv1"), Heartbeat("web", "hb1"),
		NetworkPartition("web", "np1"), Monitor("web", "ipw1"), Node("scan"), Group("iis"),
		Resource("iis", "fip", "fip1"), Script("iis"), ServerScan("mail"), ScanServer("WinNT01"),
		StatusFile("sts1"), ServerGroup("web"), Member("web", "web2"),
	} {
		got, err := Parse(a.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", a, err)
		}
		if got != a {
			t.Errorf("Parse(%q) = %#v, want %#v", a, got, a)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{"", "cluster", "cluster.", "foo.bar", "cluster.web.bogus.x", "group.iis.fip"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", s)
		}
	}
}

func TestContains(t *testing.T) {
	if !Cluster("web").Contains(ClusterNode("web", "sv1")) {
		t.Error("cluster.web should contain its node")
	}
	if Cluster("web").Contains(Cluster("web2")) {
		t.Error("cluster.web must not contain cluster.web2")
	}
}

func TestParseInstancesAndModules(t *testing.T) {
	osaka := Module("", StringKey("branch", "osaka"))
	for _, tc := range []struct {
		in   string
		want Address
	}{
		{`group.web["hr"]`, Group(StringKey("web", "hr"))},
		{`group.web[2]`, Group(IndexKey("web", 2))},
		{`group.web["hr"].fip.fip1`, Resource(StringKey("web", "hr"), "fip", "fip1")},
		{`group.web.fip.fip1["a.b"]`, Resource("web", "fip", StringKey("fip1", "a.b"))},
		{`module.branch["osaka"]`, osaka},
		{`module.branch["osaka"].cluster.web`, Cluster("web").InModule(osaka.String())},
		{`module.a.module.b[0].cluster.web.node.sv1`, ClusterNode("web", "sv1").InModule(Module(Module("", "a").String(), IndexKey("b", 0)).String())},
	} {
		got, err := Parse(tc.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("Parse(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("Parse(%q).String() = %q", tc.in, got.String())
		}
	}
	for _, s := range []string{`group.web[`, `group.web["x"`, `group.web[-1]`, `group["x"].web`, `var.x["y"]`, `module.a`[:7], `group.web[x]`, `cluster.web.node["a"].sv1`} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", s)
		}
	}
}

func TestContainsInstancesAndModules(t *testing.T) {
	hr := Group(StringKey("web", "hr"))
	if !Group("web").Contains(hr) || !Group("web").Contains(hr.Child(KindResource, "fip", "fip1")) {
		t.Error("group.web should contain its instances and their resources")
	}
	if Group("we").Contains(hr) {
		t.Error("group.we must not contain group.web[\"hr\"]")
	}
	osaka := Module("", StringKey("branch", "osaka"))
	inOsaka := Cluster("web").InModule(osaka.String())
	if !osaka.Contains(inOsaka) || !Module("", "branch").Contains(inOsaka) {
		t.Error("a module call should contain what its instances declare")
	}
	if got := inOsaka.ModulePath(); got != osaka.String() {
		t.Errorf("ModulePath = %q", got)
	}
	if got := inOsaka.Local(); got != Cluster("web") {
		t.Errorf("Local = %v", got)
	}
	if got := Resource("web", "fip", StringKey("a", "x.y")).Parts(); len(got) != 4 || got[3] != `a["x.y"]` {
		t.Errorf("Parts = %q", got)
	}
}
