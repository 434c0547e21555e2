package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// largeConfig writes a configuration of 25 clusters x 4 nodes and 1,000 groups (40 per
// cluster), each group with a floating IP, an exec resource depending on it and a monitor.
func largeConfig(tb testing.TB) string {
	tb.Helper()
	return writeLargeConfig(tb, 25, func(g int) string { return fmt.Sprintf("10.%d.%d.100", 100+g/250, g%250) })
}

// manyClustersConfig spreads the 1,000 groups over 250 clusters of 4 nodes (4 groups each).
func manyClustersConfig(tb testing.TB) string {
	tb.Helper()
	return writeLargeConfig(tb, 250, func(g int) string { return fmt.Sprintf("10.%d.%d.100", 100+g/250, g%250) })
}

// largeInvalidConfig is largeConfig with every floating IP invalid: 1,000 errors.
func largeInvalidConfig(tb testing.TB) string {
	tb.Helper()
	return writeLargeConfig(tb, 25, func(g int) string { return fmt.Sprintf("10.%d.%d.300", 100+g/250, g%250) })
}

func writeLargeConfig(tb testing.TB, clusters int, fip func(g int) string) string {
	tb.Helper()
	dir := tb.TempDir()
	var b strings.Builder
	b.WriteString("script \"app\" {\n  start = \"start\"\n  stop  = \"stop\"\n}\n")
	for c := 0; c < clusters; c++ {
		fmt.Fprintf(&b, "cluster \"c%d\" {\n", c)
		for n := 0; n < 4; n++ {
			fmt.Fprintf(&b, "  node \"sv%d\" {\n    address       = \"10.%d.%d.%d\"\n    interconnects = [\"192.%d.%d.%d\"]\n  }\n", n, c/200, c%200, n+1, 168+c/200, c%200, n+1)
		}
		b.WriteString("  heartbeat \"hb1\" {\n    interconnect = 0\n  }\n}\n")
	}
	for g := 0; g < 1000; g++ {
		c := g % clusters
		fmt.Fprintf(&b, `group "g%d" {
  cluster = cluster.c%d
  policy  = [cluster.c%d.node.sv%d, cluster.c%d.node.sv%d]
  resource "fip" "fip%d" {
    ip = "%s"
  }
  resource "exec" "exec%d" {
    script     = script.app
    depends_on = [fip.fip%d]
  }
  monitor "fipw" "fipw%d" {
    target = fip.fip%d
  }
}
`, g, c, c, g%4, c, (g+1)%4, g, fip(g), g, g, g, g)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func BenchmarkLoadLarge(b *testing.B) {
	dir := largeConfig(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		loaded, diags := Load(dir, LoadOptions{})
		if diags.HasErrors() {
			b.Fatal(describe(diags))
		}
		if n := len(loaded.Config.Groups); n != 1000 {
			b.Fatalf("%d groups", n)
		}
	}
}

func TestLoadLargeIsValid(t *testing.T) {
	if testing.Short() {
		t.Skip("large configuration")
	}
	loaded, diags := Load(largeConfig(t), LoadOptions{})
	if len(diags) > 0 {
		t.Fatal(describe(diags))
	}
	if got := len(loaded.Config.Clusters["c0"].Groups); got != 40 {
		t.Errorf("cluster c0 has %d groups, want 40", got)
	}
}

// BenchmarkLoadLargeInvalid measures the cost of 1,000 diagnostics: it must grow linearly with
// their number (issue 18: 744 errors once took 44.7 s).
// BenchmarkLoadManyClusters is validate's work for 1,000 groups over 250 clusters.
func BenchmarkLoadManyClusters(b *testing.B) {
	dir := manyClustersConfig(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, diags := Load(dir, LoadOptions{}); diags.HasErrors() {
			b.Fatal(describe(diags))
		}
	}
}

func BenchmarkLoadLargeInvalid(b *testing.B) {
	dir := largeInvalidConfig(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_, diags := Load(dir, LoadOptions{})
		if n := len(diags.Errs()); n != 1000 {
			b.Fatalf("%d errors, want 1000: %s", n, describe(diags[:1]))
		}
	}
}
