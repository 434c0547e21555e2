package local

import (
	"testing"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/nodetest"
)

func TestConformance(t *testing.T) {
	nodetest.RunConformance(t, func(t *testing.T) transport.Node {
		n, err := New("local", t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return n
	})
}
