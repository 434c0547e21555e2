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
