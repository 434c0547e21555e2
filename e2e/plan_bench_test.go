package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/sync/errgroup"
)

// The benchmarks below run the real binary against 100 real OpenSSH sshd nodes (25 clusters x 4
// nodes, 3 groups each) and print their figures beside the floor the issue sets: the OpenSSH
// client connecting to each node with the same key exchange and cipher as ours and running cat
// on the node's clp.conf, 50 at a time (the tool's default parallelism). Floor and tool run
// alternately in each iteration, so both see the same machine. The nodes run on the same cores
// as the tool: tool-cpu-ms is the tool's own share.
const benchClusters, benchPerCluster = 25, 4

// BenchmarkNoChangePlan100 plans a converged configuration. Target (issue 12): plan/floor <= 1.0
// with one session per node. It runs twice: with observation limited to the configuration
// directory and clpstat, and with two managed services per node, whose startup types are read
// with one "systemctl is-enabled" each (in the lab a Go emulation costing about 3.7 ms of CPU a
// run, on a real node a D-Bus round trip): machine-cpu-ms shows where the time goes.
func BenchmarkNoChangePlan100(b *testing.B) {
	n := startBenchNodes(b)
	for _, services := range []bool{false, true} {
		name := "vendor-only"
		if services {
			name = "with-2-service-checks"
		}
		b.Run(name, func(b *testing.B) {
			dir := b.TempDir()
			writeBenchConfig(b, dir, 100, services)
			if r := runTimed(b, n, "apply", "--auto-approve", "--var-file", n.varFile, dir); r.code != 0 {
				b.Fatalf("apply: exit %d\n%s", r.code, r.out)
			}
			var plan, floor, cpu time.Duration
			var peak int64
			var opened, floorTicks, planTicks int
			runs := 0
			for b.Loop() {
				t0 := busyTicks()
				floor += opensshFloor(b, n)
				t1 := busyTicks()
				before := sessionsOpened(n)
				r := runTimed(b, n, "plan", "--detailed-exitcode", "--var-file", n.varFile, dir)
				if r.code != 0 {
					b.Fatalf("a converged configuration planned changes or failed: exit %d\n%s", r.code, r.out)
				}
				opened += sessionsOpened(n) - before
				floorTicks, planTicks = floorTicks+t1-t0, planTicks+busyTicks()-t1
				plan += r.wall
				cpu += r.cpu
				peak = max(peak, r.rss)
				runs++
			}
			reportAgainstFloor(b, "plan", plan, floor, cpu, runs)
			reportMachineCPU(b, "plan", planTicks, floorTicks, runs)
			b.ReportMetric(float64(opened)/float64(runs*len(n.names)), "sessions/node")
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
		})
	}
}

// BenchmarkOneLineApply100 applies a one-line change to every cluster (its first floating IP),
// alternating between two versions, and measures beside it (from the second iteration) the
// minimums of that change (vendorMinimum): what the nodes must do for it at least. Issue 18 set
// apply/floor <= 1.5; safe-minimum/floor shows that no tool keeping a lock, a backup and the
// staged directory reaches it on these nodes (docs/design.md, "Apply speed"), and
// apply/safe-minimum is what the tool's guarantees add: atomic, synced writes, checked releases
// and a session per vendor step.
func BenchmarkOneLineApply100(b *testing.B) {
	n := startBenchNodes(b)
	dir := b.TempDir()
	writeBenchConfig(b, dir, 100, true)
	if r := runTimed(b, n, "apply", "--auto-approve", "--var-file", n.varFile, dir); r.code != 0 {
		b.Fatalf("apply: exit %d\n%s", r.code, r.out)
	}
	var apply, floor, cpu time.Duration
	var minimum, sessions, safe vendorPhases
	var floorTicks, applyTicks, opened, floorForks, applyForks int
	runs := 0
	for b.Loop() {
		if runs > 0 {
			sessions = sessions.plus(vendorMinimum(b, n, sessionsOnly))
			minimum = minimum.plus(vendorMinimum(b, n, vendorOnly))
			safe = safe.plus(vendorMinimum(b, n, withSafety))
		}
		t0, f0 := busyTicks(), forks()
		floor += opensshFloor(b, n)
		writeBenchConfig(b, dir, 101-runs%2, true) // 101, 100, 101, ...
		t1, f1 := busyTicks(), forks()
		before := sessionsOpened(n)
		r := runTimed(b, n, "apply", "--auto-approve", "--var-file", n.varFile, dir)
		if r.code != 0 {
			b.Fatalf("apply: exit %d\n%s", r.code, r.out)
		}
		opened += sessionsOpened(n) - before
		floorTicks, applyTicks = floorTicks+t1-t0, applyTicks+busyTicks()-t1
		floorForks, applyForks = floorForks+f1-f0, applyForks+forks()-f1
		apply += r.wall
		cpu += r.cpu
		runs++
	}
	reportAgainstFloor(b, "apply", apply, floor, cpu, runs)
	if runs > 1 {
		vendorMs, floorMs := perRun(minimum.total(), runs-1), perRun(floor, runs)
		b.ReportMetric(vendorMs, "vendor-minimum-ms")
		b.ReportMetric(vendorMs/floorMs, "vendor-minimum/floor")
		b.ReportMetric(perRun(minimum.read, runs-1)/floorMs, "vendor-read/floor")
		b.ReportMetric(perRun(sessions.total(), runs-1)/floorMs, "sessions-only/floor")
		b.ReportMetric(perRun(safe.total(), runs-1)/floorMs, "safe-minimum/floor")
		b.ReportMetric(perRun(apply, runs)/perRun(safe.total(), runs-1), "apply/safe-minimum")
		b.ReportMetric(perRun(apply, runs)/vendorMs, "apply/vendor-minimum")
	}
	reportMachineCPU(b, "apply", applyTicks, floorTicks, runs)
	b.ReportMetric(float64(opened)/float64(runs*len(n.names)), "sessions/node")
	b.ReportMetric(float64(applyForks)/float64(runs), "apply-machine-forks")
	b.ReportMetric(float64(floorForks)/float64(runs), "floor-machine-forks")
}

// forks is the number of processes the machine has created so far (/proc/stat "processes"):
// during the apply, mostly the programs its sessions start on the nodes, but every process of
// the machine counts, other work's too.
func forks() int {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "processes "); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// reportAgainstFloor reports the mean wall time of what (plan or apply), the floor's, their ratio
// and the tool's own CPU time.
func reportAgainstFloor(b *testing.B, what string, wall, floor, cpu time.Duration, runs int) {
	ms, floorMs := perRun(wall, runs), perRun(floor, runs)
	b.ReportMetric(ms, what+"-ms")
	b.ReportMetric(floorMs, "openssh-floor-ms")
	b.ReportMetric(ms/floorMs, what+"/floor")
	b.ReportMetric(perRun(cpu, runs), "tool-cpu-ms")
}

// startBenchNodes starts the 100 nodes.
func startBenchNodes(b *testing.B) *nodes {
	var names []string
	for i := range benchClusters * benchPerCluster {
		names = append(names, fmt.Sprintf("n%03d", i+1))
	}
	return startNodes(b, names...)
}

func writeBenchConfig(b *testing.B, dir string, host int, services bool) {
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(largeConfig(benchClusters, benchPerCluster, host, services)), 0o644); err != nil {
		b.Fatal(err)
	}
}

type timedRun struct {
	wall, cpu time.Duration // cpu: the tool's own user + system time
	rss       int64         // peak RSS, KiB
	code      int
	out       string
}

// runTimed runs the binary in the harness's clean environment and measures it.
func runTimed(b *testing.B, n *nodes, args ...string) timedRun {
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"HOME=" + n.home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := timedRun{wall: time.Since(start), out: out.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		b.Fatal(err)
	}
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	r.rss = cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	return r
}

// opensshFloor is the wall time of the OpenSSH client reading every node's clp.conf with cat,
// one process per node, 50 at a time, with the key exchange and cipher our client negotiates
// with OpenSSH 9 (x/crypto prefers mlkem768x25519, which OpenSSH 9.2 lacks, then curve25519;
// AES-128-GCM first among ciphers).
func opensshFloor(b *testing.B, n *nodes) time.Duration {
	start := time.Now()
	var g errgroup.Group
	g.SetLimit(50)
	for i, name := range n.names {
		node := n.ssh.Nodes[i]
		g.Go(func() error {
			cmd := exec.Command("ssh", "-F", "/dev/null", "-o", "BatchMode=yes",
				"-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile="+n.ssh.KnownHostsFile,
				"-o", "KexAlgorithms=curve25519-sha256", "-o", "Ciphers=aes128-gcm@openssh.com",
				"-i", n.ssh.IdentityFile, "-p", strconv.Itoa(node.Port), "-l", n.ssh.User, node.Address,
				"cat", n.path(name, "/opt/nec/clusterpro/etc/clp.conf"))
			if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "<root>") {
				return fmt.Errorf("ssh %s: %v\n%.300s", name, err, out)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// minimumKind says what vendorMinimum does besides the connections and sessions.
type minimumKind int

const (
	// sessionsOnly runs the shell's no-op ":" in place of every vendor program: what the
	// connections, the sessions and the reads alone cost, whatever the vendor programs do.
	sessionsOnly minimumKind = iota
	// vendorOnly runs the vendor programs the change needs and nothing else.
	vendorOnly
	// withSafety adds, in their cheapest forms, what a safe apply cannot leave out: a lock
	// taken with the first read (the shell's noclobber, no program) and removed with the last,
	// a backup of every node's configuration directory before the push (mkdir and cp, one
	// session) and the staged directory clpcfctrl --push reads on the master (cp, in the
	// backup's session). No file is synced nor replaced atomically.
	withSafety
)

// vendorMinimum is the wall time of what any apply of the benchmark's change must at least do
// on the nodes: read every node's configuration and the run state plan needs (cat clp.conf,
// clpstat and the two service checks, one session per node), suspend, push and resume from each
// cluster's master (one session for all three), then read every node again (cat clp.conf and
// clpstat, one session), over one connection per node made by the tool's SSH client, 50 at a
// time. vendor-minimum/floor is the best apply/floor a tool that skipped the lock, the backups
// and the staged directory could reach on these nodes, safe-minimum/floor that of one keeping
// them, and vendor-read/floor that of the first phase alone, which any plan needs. The push
// distributes the configuration just applied, copied aside on the host before the clock starts,
// so the cluster is left as it was.
func vendorMinimum(b *testing.B, n *nodes, kind minimumKind) vendorPhases {
	const install = "/opt/nec/clusterpro"
	program := func(name, path string) string {
		if kind == sessionsOnly {
			return ":"
		}
		return n.path(name, path)
	}
	// One connection per node, as the tool has (its client, x/crypto/ssh): the first phase
	// opens them, the others run their sessions on them.
	clients := make(map[string]*ssh.Client, len(n.names))
	var mu sync.Mutex
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	runOn := func(name, script string) error {
		mu.Lock()
		c := clients[name]
		mu.Unlock()
		if c == nil {
			node := n.ssh.Nodes[slices.Index(n.names, name)]
			var err error
			if c, err = dialSSH(node.Address, node.Port, n.ssh.User, n.ssh.IdentityFile, n.ssh.KnownHostsFile); err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
			mu.Lock()
			clients[name] = c
			mu.Unlock()
		}
		s, err := c.NewSession()
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		defer s.Close()
		if out, err := s.CombinedOutput(script); err != nil {
			return fmt.Errorf("%s: %v\n%.500s", name, err, out)
		}
		return nil
	}
	each := func(names []string, script func(string) string) time.Duration {
		start := time.Now()
		var g errgroup.Group
		g.SetLimit(50)
		for _, name := range names {
			g.Go(func() error { return runOn(name, script(name)) })
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	work := func(name, rel string) string { return n.path(name, install+"/work/bench-minimum/"+rel) }
	var masters []string
	for i := 0; i < len(n.names); i += benchPerCluster {
		master := n.names[i]
		masters = append(masters, master)
		for _, name := range n.names[i : i+benchPerCluster] {
			os.RemoveAll(work(name, ""))
			if err := os.MkdirAll(work(name, ""), 0o755); err != nil { // the tool's work directory exists
				b.Fatal(err)
			}
		}
		// The configuration the master pushes: the one just applied (the tool sends it).
		source := work(master, "source")
		if err := os.CopyFS(source, os.DirFS(n.path(master, install+"/etc"))); err != nil {
			b.Fatal(err)
		}
		if err := os.CopyFS(filepath.Join(source, "scripts"), os.DirFS(n.path(master, install+"/scripts"))); err != nil {
			b.Fatal(err)
		}
	}
	read := func(name string) string {
		return "cat " + n.path(name, install+"/etc/clp.conf") + " && " + program(name, install+"/bin/clpstat") + " >/dev/null"
	}
	var ph vendorPhases
	ph.read = each(n.names, func(name string) string {
		lock := ""
		if kind == withSafety {
			lock = "(set -C; echo run >" + work(name, "lock") + ") && "
		}
		sc := program(name, "/usr/bin/systemctl")
		// is-enabled answers a state that is not "enabled" with a non-zero status: no failure.
		return lock + read(name) + " && { " + sc + " is-enabled -- nginx; " + sc + " is-enabled -- postgresql; true; }"
	})
	staged := "source"
	if kind == withSafety {
		ph.push = each(n.names, func(name string) string {
			script := "mkdir " + work(name, "backup") + " && cp -pR " + n.path(name, install+"/etc/clp.conf") + " " +
				n.path(name, install+"/scripts") + " " + work(name, "backup")
			if slices.Contains(masters, name) {
				script += " && cp -pR " + work(name, "source") + " " + work(name, "staged")
			}
			return script
		})
		staged = "staged"
	}
	ph.push += each(masters, func(name string) string {
		clpcl := program(name, install+"/bin/clpcl")
		return clpcl + " --suspend && " + program(name, install+"/bin/clpcfctrl") + " --push -l -x " + work(name, staged) + " && " + clpcl + " --resume"
	})
	ph.verify = each(n.names, func(name string) string {
		if kind == withSafety {
			return read(name) + " && rm " + work(name, "lock")
		}
		return read(name)
	})
	return ph
}

// vendorPhases are the wall times of vendorMinimum's phases: the first read (with the
// connections), the backup and the vendor sequence, the read after it.
type vendorPhases struct{ read, push, verify time.Duration }

func (p vendorPhases) plus(q vendorPhases) vendorPhases {
	return vendorPhases{p.read + q.read, p.push + q.push, p.verify + q.verify}
}

func (p vendorPhases) total() time.Duration { return p.read + p.push + p.verify }

// sessionsOpened counts the sessions every node's sshd has started so far (logged at VERBOSE).
func sessionsOpened(n *nodes) int {
	total := 0
	for _, node := range n.ssh.Nodes {
		total += strings.Count(node.Log(), "Starting session:")
	}
	return total
}

// reportMachineCPU reports the machine's CPU time per run during what and during the floor.
func reportMachineCPU(b *testing.B, what string, ticks, floorTicks, runs int) {
	b.ReportMetric(float64(ticks*tickMs)/float64(runs), what+"-machine-cpu-ms")
	b.ReportMetric(float64(floorTicks*tickMs)/float64(runs), "floor-machine-cpu-ms")
}

// tickMs is the length of a /proc/stat tick (USER_HZ = 100 on Linux).
const tickMs = 10

// busyTicks is the machine's CPU time so far, every core, in ticks: what the tool, sshd and
// every node's commands used together (idle and iowait excluded).
func busyTicks() int {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	busy := 0
	for i, v := range strings.Fields(line)[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		t, _ := strconv.Atoi(v)
		busy += t
	}
	return busy
}

func perRun(d time.Duration, runs int) float64 {
	return float64(d.Microseconds()) / 1000 / float64(runs)
}

// largeConfig is clusters clusters of perCluster Linux nodes, each with 3 groups of a floating
// IP and an exec resource; host is the last byte of every cluster's first floating IP. With
// services, the exec script is generated for two services (whose startup types plan checks);
// without, it is a literal script.
func largeConfig(clusters, perCluster, host int, services bool) string {
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
`)
	if services {
		s.WriteString("script \"app\" {\n  service \"web\" { name = \"nginx\" }\n  service \"db\" { name = \"postgresql\" }\n}\n")
	} else {
		s.WriteString("script \"app\" {\n  start = \"#!/bin/sh\\nexit 0\\n\"\n  stop  = \"#!/bin/sh\\nexit 0\\n\"\n}\n")
	}
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
