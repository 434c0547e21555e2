package lab

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// observation is what a no-change plan reads from one CLUSTERPRO node: the installed
// configuration tree (clp.conf and the scripts), clpstat, and the managed services' startup
// types (two services).
type observation struct {
	name  string
	shell string
	write []transport.Op // lays out the installed tree once
	ops   []transport.Op
}

func posixObservation() observation {
	inst := transport.NodePath("/opt/nec/clusterpro")
	return observation{
		name: "posix", shell: transport.ShellPosix,
		write: installedTree(inst),
		ops: []transport.Op{
			transport.ReadTree{Dir: inst, Entries: []string{"etc/clp.conf", "scripts"}, Limits: map[string]int64{"etc/clp.conf": 16 << 20}},
			transport.Cmd(inst.Join("bin", "clpstat")),
			// The provider's form on Linux: one sh script asks systemctl for every service.
			transport.Shell(`for s do printf '@service %s\n' "$s"; systemctl is-enabled -- "$s" 2>&1; done; exit 0`, "httpd", "postfix"),
		},
	}
}

func windowsObservation() observation {
	inst := transport.NodePath(`C:\Program Files\EXPRESSCLUSTER`)
	sc := transport.NodePath(`C:\Windows\system32\sc.exe`)
	return observation{
		name: "cmd", shell: transport.ShellCmd,
		write: installedTree(inst),
		ops: []transport.Op{
			transport.ReadTree{Dir: inst, Entries: []string{"etc/clp.conf", "scripts"}, Limits: map[string]int64{"etc/clp.conf": 16 << 20}},
			transport.Cmd(inst.Join("bin", "clpstat.exe")),
			transport.Cmd(sc, "qc", "W3SVC"),
			transport.Cmd(sc, "qc", "SMTPSVC"),
		},
	}
}

// installedTree is a clp.conf of 40 KB and four group scripts.
func installedTree(inst transport.NodePath) []transport.Op {
	conf := bytes.Repeat([]byte("<resource><name>x</name><parameters>0</parameters></resource>\r\n"), 640)
	ops := []transport.Op{transport.WriteFile{Path: inst.Join("etc", "clp.conf"), Data: conf, Mode: 0o644}}
	for _, g := range []string{"iis", "mail"} {
		for _, s := range []string{"start.bat", "stop.bat"} {
			ops = append(ops, transport.WriteFile{Path: inst.Join("scripts", g, g, s), Data: []byte("@echo off\r\nARMBCAST /MSG \"start\" /A\r\n"), Mode: 0o755})
		}
	}
	return ops
}

// BenchmarkObserveByDialect observes N Windows-dialect lab nodes (cmd: SFTP and one exec
// channel per program) and N POSIX lab nodes (one batch session) in the same run, all nodes
// of a kind at once, and reports both and their ratio (issue 17 item 9: target at most 1.5).
// Connections and the Windows nodes' SFTP sessions are opened before timing: a plan opens
// them once.
func BenchmarkObserveByDialect(b *testing.B) {
	const n = 100
	var names, windows []string
	for i := range n {
		names = append(names, fmt.Sprintf("p%d", i+1))
		w := fmt.Sprintf("w%d", i+1)
		names, windows = append(names, w), append(windows, w)
	}
	l, err := StartInProcess(Options{Dir: b.TempDir(), Names: names, Binary: clusterBinary, Windows: windows, CodePage: 932})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	pool := sshnode.NewPool(sshnode.Options{Home: b.TempDir(), Getenv: func(string) string { return "" }, Warn: func(string) {}})
	defer pool.Close()
	ctx := context.Background()
	off := false
	kinds := map[string][]*sshnode.Node{}
	obs := map[string]observation{"posix": posixObservation(), "cmd": windowsObservation()}
	for _, rn := range l.Registry().Nodes {
		o := obs["posix"]
		if rn.Dialect != "" {
			o = obs["cmd"]
		}
		node, err := pool.Connect(ctx, rn.Name, transport.Endpoint{Address: rn.Address, Port: rn.Port, SSH: transport.SSHSettings{
			User: WindowsUser, IdentityFiles: []string{filepath.Join(l.Dir, ClientKeyFile)}, KnownHostsFile: filepath.Join(l.Dir, KnownHostsFile),
			Agent: &off, UseSSHConfig: &off, Shell: o.shell, CodePage: 932,
		}})
		if err != nil {
			b.Fatal(err)
		}
		out, err := transport.Do(ctx, node, o.write...)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range out {
			if err := r.Err(); err != nil {
				b.Fatalf("%s: %v", rn.Name, err)
			}
		}
		kinds[o.name] = append(kinds[o.name], node)
	}
	observe := func(kind string) time.Duration {
		start := time.Now()
		var g errgroup.Group
		for _, node := range kinds[kind] {
			g.Go(func() error {
				out, err := transport.Do(ctx, node, obs[kind].ops...)
				if err != nil {
					return err
				}
				if err := out[0].Err(); err != nil || len(out[0].Tree) != 5 {
					return fmt.Errorf("%s: tree of %d files: %v", node.Name(), len(out[0].Tree), err)
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	// The same Windows observation with its programs run at once, one exec channel each on
	// the node's connection, beside the tree read: what concurrent channels would save.
	observeOverlapped := func() time.Duration {
		start := time.Now()
		var g errgroup.Group
		for _, node := range kinds["cmd"] {
			for _, op := range obs["cmd"].ops {
				g.Go(func() error {
					_, err := transport.Do(ctx, node, op)
					return err
				})
			}
		}
		if err := g.Wait(); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	observe("posix")
	observe("cmd")
	var posix, win, overlapped time.Duration
	for b.Loop() {
		posix += observe("posix")
		win += observe("cmd")
		overlapped += observeOverlapped()
	}
	b.ReportMetric(float64(overlapped.Milliseconds())/float64(b.N), "cmd-overlapped-ms/sweep")
	iters := float64(b.N)
	b.ReportMetric(float64(posix.Milliseconds())/iters, "posix-ms/sweep")
	b.ReportMetric(float64(win.Milliseconds())/iters, "cmd-ms/sweep")
	b.ReportMetric(float64(win)/float64(posix), "cmd/posix")
	b.Logf("%d POSIX nodes: %v per sweep; %d Windows (cmd) nodes: %v per sweep (ratio %.2f); with the ops of a node overlapped: %v",
		n, posix/time.Duration(b.N), n, win/time.Duration(b.N), float64(win)/float64(posix), overlapped/time.Duration(b.N))
}
