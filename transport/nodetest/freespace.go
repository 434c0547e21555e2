package nodetest

import (
	"testing"

	"github.com/clusterctl/cluster/transport"
)

// testOpsFreeSpace measures an existing directory and a path below it that does not exist (its
// nearest existing ancestor is measured): both answer, with room, and measuring creates nothing.
func testOpsFreeSpace(t *testing.T, n transport.Node, base transport.NodePath) {
	missing := base.Join("not", "yet")
	mustOK(t, do(t, n, transport.MakeDir{Path: base}))
	out := do(t, n, transport.FreeSpace{Paths: []transport.NodePath{base, missing}}, transport.Stat{Paths: []transport.NodePath{base.Join("not")}})
	mustOK(t, out)
	if len(out[0].Free) != 2 {
		t.Fatalf("FreeSpace of 2 paths gave %d counts: %v", len(out[0].Free), out[0].Free)
	}
	for i, free := range out[0].Free {
		if free <= 0 {
			t.Errorf("path %d: %d bytes free; want the test file system's room", i, free)
		}
	}
	if out[1].Stats[0].Exists {
		t.Errorf("FreeSpace created %s", base.Join("not"))
	}
}
