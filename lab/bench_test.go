package lab

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/sync/errgroup"
)

// BenchmarkConnectAndRun connects to every node of an in-process lab and runs `true` on each,
// 50 at a time, as a plan observing a large cluster would. One op is one sweep over all nodes.
func BenchmarkConnectAndRun(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run("nodes="+strconv.Itoa(n), func(b *testing.B) {
			l, err := StartInProcess(Options{Dir: b.TempDir(), Nodes: n, Binary: clusterBinary})
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			cfg := clientConfig(b, l.Dir)
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			sweeps := 0
			for b.Loop() {
				if err := sweep(l, cfg); err != nil {
					b.Fatal(err)
				}
				sweeps++
			}
			elapsed := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)

			var sessions int64
			for _, node := range l.Registry().Nodes {
				sessions += l.Sessions(node.Name)
			}
			b.ReportMetric(float64(elapsed.Milliseconds())/float64(sweeps), "ms/sweep")
			// Sessions per node per sweep: one is the target.
			b.ReportMetric(float64(sessions)/float64(n*sweeps), "sessions/node")
			b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-sys-MB")
			if hwm, ok := vmHWM(); ok {
				b.ReportMetric(hwm/1024, "VmHWM-MB")
			}
		})
	}
}

// sweep connects to every node, runs true, and disconnects, 50 nodes at a time.
func sweep(l *Lab, cfg *ssh.ClientConfig) error {
	var g errgroup.Group
	g.SetLimit(50)
	for _, n := range l.Registry().Nodes {
		g.Go(func() error {
			c, err := ssh.Dial("tcp", net.JoinHostPort(n.Address, strconv.Itoa(n.Port)), cfg)
			if err != nil {
				return fmt.Errorf("%s: %w", n.Name, err)
			}
			defer c.Close()
			s, err := c.NewSession()
			if err != nil {
				return fmt.Errorf("%s: %w", n.Name, err)
			}
			defer s.Close()
			if err := s.Run("true"); err != nil {
				return fmt.Errorf("%s: %w", n.Name, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// vmHWM is the process's peak resident set size in KiB, from /proc/self/status.
func vmHWM() (float64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, err := strconv.ParseFloat(f[0], 64)
				return kb, err == nil
			}
		}
	}
	return 0, false
}
