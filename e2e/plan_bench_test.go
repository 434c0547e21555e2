package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// BenchmarkNoChangePlan100 plans a converged configuration of 25 clusters x 4 nodes (3 groups
// each) over 100 lab nodes with the real binary, and prints, side by side, the bare figure of
// connecting to the same 100 nodes and running one command on each. Targets (issue 4): plan at
// most 1.5x the bare figure, one session per node, under 150 MB. The simulated nodes run on the
// same cores as the tool, so plan-ms includes every node's observe work (tar, clpstat, framing);
// plan-tool-cpu-ms is the tool's own share.
func BenchmarkNoChangePlan100(b *testing.B) {
	const clusters, perCluster = 25, 4
	var names []string
	for i := range clusters * perCluster {
		names = append(names, fmt.Sprintf("n%03d", i+1))
	}
	l, err := lab.StartInProcess(lab.Options{Dir: b.TempDir(), Names: names, Binary: binary})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(largeConfig(clusters, perCluster, 100)), 0o644); err != nil {
		b.Fatal(err)
	}
	varFile := filepath.Join(l.Dir, lab.VarsFile)
	home := b.TempDir()
	// runBin runs the binary and returns its wall time, its own CPU time (user + system: the
	// tool's cost, apart from the simulated nodes sharing this machine), peak RSS, exit code, output.
	runBin := func(args ...string) (time.Duration, time.Duration, int64, int, string) {
		cmd := exec.Command(binary, args...)
		cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		elapsed := time.Since(start)
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			b.Fatal(err)
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
		return elapsed, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss, code, out.String()
	}
	if _, _, _, code, out := runBin("apply", "--auto-approve", "--var-file", varFile, dir); code != 0 {
		b.Fatalf("apply: exit %d\n%s", code, out)
	}

	bare := bareConnectAndRun(b, l.Registry(), l.Dir, home)
	sessionsBefore := sessions(l)
	var total, cpu time.Duration
	var peak int64
	runs := 0
	for b.Loop() {
		elapsed, used, rss, code, out := runBin("plan", "--detailed-exitcode", "--var-file", varFile, dir)
		if code != 0 {
			b.Fatalf("a converged configuration planned changes or failed: exit %d\n%s", code, out)
		}
		total += elapsed
		cpu += used
		peak = max(peak, rss)
		runs++
	}
	perNode := float64(sessions(l)-sessionsBefore) / float64(runs*len(names))
	planMs := float64(total.Milliseconds()) / float64(runs)
	b.ReportMetric(planMs, "plan-ms")
	b.ReportMetric(float64(bare.Milliseconds()), "bare-connect-run-ms")
	b.ReportMetric(planMs/float64(bare.Milliseconds()), "plan/bare")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(runs), "plan-tool-cpu-ms")
	b.ReportMetric(perNode, "sessions/node")
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
}

// bareConnectAndRun is the transport benchmark's figure for these nodes: connect to every node
// with one pool and run `true` on each.
func bareConnectAndRun(b *testing.B, reg labdir.Registry, labDir, home string) time.Duration {
	start := time.Now()
	pool := sshnode.NewPool(sshnode.Options{Home: home})
	defer pool.Close()
	var g errgroup.Group
	g.SetLimit(50)
	for _, n := range reg.Nodes {
		g.Go(func() error {
			ep := config.Endpoint{Address: n.Address, Port: n.Port, SSH: config.SSH{
				User: "root", IdentityFiles: []string{filepath.Join(labDir, lab.ClientKeyFile)},
				KnownHostsFile: filepath.Join(labDir, lab.KnownHostsFile)}}
			node, err := pool.Connect(context.Background(), n.Name, ep)
			if err != nil {
				return err
			}
			_, err = node.Run(context.Background(), transport.Cmd("true"))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func sessions(l *lab.Lab) int64 {
	var s int64
	for _, n := range l.Registry().Nodes {
		s += l.Sessions(n.Name)
	}
	return s
}

// BenchmarkOneLineApply100 applies a one-line change to each of 25 clusters of 4 lab nodes
// (every cluster's first floating IP), alternating between two versions, and reports the wall
// time of one apply beside the bare connect-and-run time over the same nodes.
func BenchmarkOneLineApply100(b *testing.B) {
	const clusters, perCluster = 25, 4
	var names []string
	for i := range clusters * perCluster {
		names = append(names, fmt.Sprintf("n%03d", i+1))
	}
	l, err := lab.StartInProcess(lab.Options{Dir: b.TempDir(), Names: names, Binary: binary})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	dir, home := b.TempDir(), b.TempDir()
	varFile := filepath.Join(l.Dir, lab.VarsFile)
	apply := func(host int) time.Duration {
		if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(largeConfig(clusters, perCluster, host)), 0o644); err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(binary, "apply", "--auto-approve", "--var-file", varFile, dir)
		cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("apply: %v\n%s", err, out)
		}
		return time.Since(start)
	}
	apply(100) // create and start every cluster
	bare := bareConnectAndRun(b, l.Registry(), l.Dir, home)
	var total time.Duration
	runs := 0
	for b.Loop() {
		total += apply(101 - runs%2) // 101, 100, 101, ...
		runs++
	}
	applyMs := float64(total.Milliseconds()) / float64(runs)
	b.ReportMetric(applyMs, "apply-ms")
	b.ReportMetric(float64(bare.Milliseconds()), "bare-connect-run-ms")
	b.ReportMetric(applyMs/float64(bare.Milliseconds()), "apply/bare")
}

// largeConfig is clusters clusters of perCluster Linux nodes, each with 3 groups of a floating
// IP and an exec resource with a generated script; host is the last byte of every cluster's
// first floating IP.
func largeConfig(clusters, perCluster, host int) string {
	var s strings.Builder
	s.WriteString(`variable "hosts" { type = map(object({ address = string, port = number })) }
variable "ssh_user" { type = string }
variable "identity_file" { type = string }
variable "known_hosts_file" { type = string }
ssh {
  user             = var.ssh_user
  identity_files   = [var.identity_file]
  known_hosts_file = var.known_hosts_file
}
script "app" {
  service "web" { name = "nginx" }
  service "db" { name = "postgresql" }
}
`)
	n := 0
	for c := range clusters {
		fmt.Fprintf(&s, "cluster \"c%02d\" {\n", c+1)
		var nodes []string
		for i := range perCluster {
			n++
			name := fmt.Sprintf("n%03d", n)
			nodes = append(nodes, fmt.Sprintf("cluster.c%02d.node.%s", c+1, name))
			fmt.Fprintf(&s, "  node %q {\n    address = var.hosts[%q].address\n    port = var.hosts[%q].port\n    interconnects = [\"192.168.%d.%d\"]\n  }\n",
				name, name, name, c+1, i+10)
		}
		s.WriteString("  heartbeat \"lankhb1\" {\n    interconnect = 0\n  }\n}\n")
		for g := range 3 {
			fmt.Fprintf(&s, "group \"c%02dg%d\" {\n  cluster = cluster.c%02d\n  policy = [%s]\n", c+1, g+1, c+1, strings.Join(nodes, ", "))
			ip := 100
			if g == 0 {
				ip = host
			}
			fmt.Fprintf(&s, "  resource \"fip\" \"fip%d\" {\n    ip = \"10.%d.%d.%d\"\n  }\n", g+1, c+1, g+1, ip)
			fmt.Fprintf(&s, "  resource \"exec\" \"exec%d\" {\n    script = script.app\n    depends_on = [fip.fip%d]\n  }\n}\n", g+1, g+1)
		}
	}
	return s.String()
}
