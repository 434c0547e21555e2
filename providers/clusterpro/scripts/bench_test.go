package scripts

import (
	"testing"

	"github.com/clusterctl/cluster/hcl/config"
)

func BenchmarkRender(b *testing.B) {
	for _, name := range []string{"expressmail", "linux_web"} {
		tc := goldenScripts()[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Render(tc.script, tc.platform); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkClusterFiles(b *testing.B) {
	c := testCluster(config.Windows)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ClusterFiles(c); err != nil {
			b.Fatal(err)
		}
	}
}
