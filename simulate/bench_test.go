package simulate

import (
	"fmt"
	"testing"
)

// BenchmarkEachSingleNode: a 100-node cluster with 50 groups (policies of 4 nodes), every
// single-node failure scenario.
func BenchmarkEachSingleNode(b *testing.B) {
	bl := newBuilder()
	var names []string
	for i := range 100 {
		names = append(names, fmt.Sprintf("sv%03d", i))
	}
	c := bl.cluster("big", names...)
	for g := range 50 {
		var policy []string
		for k := range 4 {
			policy = append(policy, names[(2*g+k)%len(names)])
		}
		bl.group(c, fmt.Sprintf("g%02d", g), g%2 == 0, policy...)
	}
	sc := SingleFailures(bl.cfg)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(bl.cfg, Options{Scenarios: sc, Expect: []string{"g00"}}); err != nil {
			b.Fatal(err)
		}
	}
}
