package opensshtest

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// sshArgs runs OpenSSH's own client against a node, so the harness is checked independently of
// our transport.
func sshArgs(c *Cluster, n *Node, extra ...string) []string {
	args := []string{
		"-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
		"-o", "UserKnownHostsFile=" + c.KnownHostsFile, "-i", c.IdentityFile,
		"-p", strconv.Itoa(n.Port), "-l", c.User,
	}
	return append(append(args, extra...), n.Address)
}

func TestNodesServeTheirRoot(t *testing.T) {
	c := Start(t, 2, WithJumpHost())
	if c.Nodes[0].Address == c.Nodes[1].Address {
		t.Fatalf("nodes share address %s", c.Nodes[0].Address)
	}
	for _, n := range c.Nodes {
		out, err := exec.Command("ssh", append(sshArgs(c, n), `printf %s "$CLUSTER_NODE_ROOT"`)...).CombinedOutput()
		if err != nil {
			t.Fatalf("ssh %s: %v\n%s", n.Name, err, out)
		}
		if string(out) != n.Root {
			t.Errorf("%s: CLUSTER_NODE_ROOT = %q, want %q", n.Name, out, n.Root)
		}
	}
	// Through the bastion with ssh -J.
	proxy := []string{"-o", "ProxyCommand=ssh -F /dev/null -o BatchMode=yes -o UserKnownHostsFile=" + c.KnownHostsFile +
		" -i " + c.IdentityFile + " -W %h:%p -p " + strconv.Itoa(c.Jump.Port) + " " + c.User + "@" + c.Jump.Address}
	out, err := exec.Command("ssh", append(sshArgs(c, c.Nodes[1], proxy...), "true")...).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh via bastion: %v\n%s", err, out)
	}
}

func TestStopKillsEverySSHDProcess(t *testing.T) {
	c := Start(t, 1)
	n := c.Nodes[0]
	// A long session gives sshd a per-connection child to leave behind.
	cmd := exec.Command("ssh", append(sshArgs(c, n), "sleep 30")...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor(t, func() bool { return len(descendants(n.cmd.Process.Pid)) > 0 })
	pids := descendants(n.cmd.Process.Pid)
	c.Stop(0)
	for _, pid := range pids {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
			stat, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
			if !strings.Contains(string(stat), ") Z ") {
				t.Errorf("process %d survived Stop: %s", pid, stat)
			}
		}
	}
	cmd.Wait()
}

func TestChangeHostKeyIsDetectedByOpenSSH(t *testing.T) {
	c := Start(t, 1)
	old := c.Nodes[0].HostKeyLine
	c.ChangeHostKey(0)
	if c.Nodes[0].HostKeyLine == old {
		t.Fatal("host key unchanged")
	}
	out, err := exec.Command("ssh", append(sshArgs(c, c.Nodes[0]), "true")...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "HOST IDENTIFICATION HAS CHANGED") {
		t.Fatalf("ssh after ChangeHostKey: err=%v\n%s", err, out)
	}
}
