package config

import (
	"slices"
	"testing"
)

func TestVendorObjectPaths(t *testing.T) {
	c := &Cluster{Name: "c", Platform: Windows}
	n := &ClusterNode{Name: "sv1", Cluster: c}
	g := &Group{Name: "g", Cluster: c}
	g.Resources = []*Resource{{Name: "exec1", Kind: ResExec, Group: g}, {Name: "disk1", Kind: ResDisk, Group: g}}
	g.Monitors = []*Monitor{{Name: "genw1", Kind: MonGeneric, Group: g}}
	c.Nodes, c.Groups = []*ClusterNode{n}, []*Group{g}
	c.Heartbeats = []*Heartbeat{{Name: "hb1", Mode: "user"}, {Name: "hb2"}}
	c.NetworkPartitions = []*NetworkPartition{{Name: "np1"}}
	c.Monitors = []*Monitor{{Name: "userw", Kind: "userw"}}
	var got []string
	for _, o := range c.VendorObjects() {
		got = append(got, o.Path)
	}
	want := []string{"", "server[sv1]", "heartbeat/lanhb[hb1]", "heartbeat/lankhb[hb2]", "networkpartition/pingnp[np1]",
		"monitor/userw[userw]", "monitor/genw[genw1]", "group[g]", "resource/script[exec1]", "resource/sd[disk1]"}
	if !slices.Equal(got, want) {
		t.Errorf("paths = %q\nwant    %q", got, want)
	}
	for _, typ := range []string{"script", "sd", "fip"} {
		if back := VendorResourceType(ResourceKindOf(typ, Windows), Windows); back != typ {
			t.Errorf("%s -> %s on Windows", typ, back)
		}
	}
}
