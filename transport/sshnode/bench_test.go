package sshnode

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/transport"
)

// BenchmarkConnectAll measures connecting to every node of a cluster of real sshd nodes and
// running one command (true) on each, with this package and, side by side, with OpenSSH's own
// client (one ssh process per node, all in parallel).
//
//	go test -run '^$' -bench ConnectAll -benchtime 10x ./transport/sshnode/
func BenchmarkConnectAll(b *testing.B) {
	const nodes = 10
	c := opensshtest.Start(b, nodes)
	targets := make([]Target, nodes)
	for i, n := range c.Nodes {
		targets[i] = Target{Name: n.Name, Endpoint: c.Endpoint(i)}
	}

	b.Run("sshnode", func(b *testing.B) {
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		sessions := 0
		b.ResetTimer()
		for b.Loop() {
			sessions += connectAllAndRun(b, targets)
		}
		b.StopTimer()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		report(b, nodes)
		b.ReportMetric(float64(sessions)/float64(nodes*b.N), "sessions/node")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
		b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-sys-MB")
		b.ReportMetric(vmHWM()/1024, "peak-RSS-MB")
	})

	b.Run("openssh-client", func(b *testing.B) {
		var rssKB int64
		b.ResetTimer()
		for b.Loop() {
			rssKB += opensshAll(b, c)
		}
		b.StopTimer()
		report(b, nodes)
		b.ReportMetric(1, "sessions/node") // one process, connection and session per node
		// Sum over the N ssh processes of each one's peak RSS: the memory the same work takes
		// with one client process per node.
		b.ReportMetric(float64(rssKB)/float64(b.N)/1024, "sum-RSS-MB/op")
	})
}

// connectAllAndRun is one iteration for sshnode; it returns the sessions opened.
func connectAllAndRun(b *testing.B, targets []Target) int {
	ctx := context.Background()
	p := NewPool(Options{Home: b.TempDir()})
	defer p.Close()
	nodes, err := p.ConnectAll(ctx, targets)
	if err != nil {
		b.Fatal(err)
	}
	var g errgroup.Group
	for _, n := range nodes {
		g.Go(func() error {
			_, err := n.Run(ctx, transport.Cmd("true"))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	sessions := 0
	for _, n := range nodes {
		sessions += n.Stats()
	}
	return sessions
}

// opensshAll runs "ssh node true" for every node in parallel; it returns the sum of the
// processes' peak RSS in KiB.
func opensshAll(b *testing.B, c *opensshtest.Cluster) int64 {
	var mu sync.Mutex
	var rss int64
	var g errgroup.Group
	for _, n := range c.Nodes {
		g.Go(func() error {
			cmd := exec.Command("/usr/bin/ssh", "-F", "/dev/null",
				"-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ControlMaster=no",
				"-o", "UserKnownHostsFile="+c.KnownHostsFile, "-i", c.IdentityFile,
				"-p", strconv.Itoa(n.Port), "-l", c.User, n.Address, "true")
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Errorf("ssh %s: %v\n%s", n.Name, err, out)
			}
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				mu.Lock()
				rss += ru.Maxrss
				mu.Unlock()
			}
			return nil
		})
	}
	g.Wait()
	return rss
}

func report(b *testing.B, nodes int) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/connect-all")
	b.ReportMetric(float64(nodes), "nodes")
	b.ReportMetric(0, "ns/op") // ms/connect-all says it in the unit that matters
}

// vmHWM is this process's peak resident set size in KiB, from /proc/self/status.
func vmHWM() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb
		}
	}
	return 0
}
