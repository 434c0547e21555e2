package e2e

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowProxy forwards TCP connections to target after holding each for delay before a byte
// passes: an SSH server that is slow to answer (a loaded node, a slow network path).
func slowProxy(t *testing.T, target string, delay time.Duration) (host string, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				select {
				case <-time.After(delay):
				case <-done:
					return
				}
				s, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer s.Close()
				go func() { _, _ = io.Copy(s, c); s.Close() }()
				_, _ = io.Copy(c, s)
			}()
		}
	}()
	a := ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

// slowNodeVars writes a variable file in which node reaches its sshd through a proxy that holds
// every connection for delay, with the proxy's address in known_hosts.
func slowNodeVars(t *testing.T, n *nodes, node string, delay time.Duration) string {
	t.Helper()
	i := -1
	for k, name := range n.names {
		if name == node {
			i = k
		}
	}
	sn := n.ssh.Nodes[i]
	host, port := slowProxy(t, net.JoinHostPort(sn.Address, strconv.Itoa(sn.Port)), delay)
	dir := t.TempDir()
	known, err := os.ReadFile(n.ssh.KnownHostsFile)
	if err != nil {
		t.Fatal(err)
	}
	knownFile := filepath.Join(dir, "known_hosts")
	known = append(known, []byte(fmt.Sprintf("[%s]:%d %s\n", host, port, sn.HostKeyLine))...)
	if err := os.WriteFile(knownFile, known, 0o600); err != nil {
		t.Fatal(err)
	}
	vars, err := os.ReadFile(n.varFile)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(vars), fmt.Sprintf("%s = { address = %q, port = %d,", node, sn.Address, sn.Port),
		fmt.Sprintf("%s = { address = %q, port = %d,", node, host, port), 1)
	s = strings.Replace(s, fmt.Sprintf("known_hosts_file = %q", n.ssh.KnownHostsFile), fmt.Sprintf("known_hosts_file = %q", knownFile), 1)
	if s == string(vars) {
		t.Fatal("the variable file did not change")
	}
	file := filepath.Join(dir, "slow.vars.hcl")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

var observedLine = regexp.MustCompile(`cluster\.cluster\.node\.sv2: observed \(([0-9.]+)s\)`)

// One slow node does not stall the run in silence: the other node is observed at once, the
// slow one is reported every 10 s while it connects, and a connect timeout names the flag that
// sets it.
func TestSlowNodeDoesNotStallThePlan(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", "linux-mirror-exec")
	vars := slowNodeVars(t, n, "sv1", 12*time.Second)

	r := n.run("plan", "--connect-timeout", "30s", "--var-file", vars, ex).must(t, 0, "plan with a slow sv1")
	m := observedLine.FindStringSubmatch(r.stderr)
	if m == nil {
		t.Fatalf("sv2 is not reported observed:\n%s", r.stderr)
	}
	if took, _ := strconv.ParseFloat(m[1], 64); took > 5 {
		t.Errorf("sv2 was observed after %ss: it waited for the slow sv1\n%s", m[1], r.stderr)
	}
	still := strings.Index(r.stderr, "still connecting to cluster.cluster.node.sv1 (10s)")
	if still < 0 {
		t.Errorf("no \"still connecting\" report while sv1 connects:\n%s", r.stderr)
	} else if strings.Index(r.stderr, m[0]) > still {
		t.Errorf("sv2 was reported observed only after sv1's wait:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "cluster.cluster.node.sv1: observed (") {
		t.Errorf("sv1 is not reported observed once connected:\n%s", r.stderr)
	}

	r = n.run("plan", "--connect-timeout", "2s", "--var-file", vars, ex)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "--connect-timeout") {
		t.Errorf("a connect timeout does not name --connect-timeout (exit %d):\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if observedLine.FindString(r.stderr) == "" {
		t.Errorf("sv2 is not observed when sv1 times out:\n%s", r.stderr)
	}
}
