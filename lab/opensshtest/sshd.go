package opensshtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// SSHD is the OpenSSH server binary the harness runs.
const SSHD = "/usr/sbin/sshd"

// sshdConfig renders the configuration of one server.
func sshdConfig(n *Node, authorizedKeys string, forwarding bool) string {
	fwd := "no"
	if forwarding {
		fwd = "yes"
	}
	lines := []string{
		"ListenAddress " + net.JoinHostPort(n.Address, strconv.Itoa(n.Port)),
		"HostKey " + n.hostKeyFile,
		"PidFile " + filepath.Join(n.Dir, "sshd.pid"),
		"AuthorizedKeysFile " + authorizedKeys,
		// HOME points into the node directory so that the login shell's rc files are the
		// node's, not the test runner's (whose ~/.bashrc may take seconds per session).
		"SetEnv CLUSTER_NODE_ROOT=" + n.Root + " HOME=" + n.home(),
		"StrictModes no",
		"UsePAM no",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password",
		"AllowTcpForwarding " + fwd,
		"AllowAgentForwarding no",
		"X11Forwarding no",
		"PermitTTY no",
		"UseDNS no",
		"PrintMotd no",
		"PrintLastLog no",
		"MaxSessions 64",
		"MaxStartups 200:30:400",
		"LogLevel VERBOSE",
	}
	if n.Windows() {
		// The session runs chrooted in the node root, whose login shell is the cmd.exe
		// emulation; CLUSTER_NODE_ROOT is the root as seen inside the chroot.
		for i, l := range lines {
			if strings.HasPrefix(l, "SetEnv ") {
				lines[i] = "SetEnv CLUSTER_NODE_ROOT=/ CLUSTER_NODE_CODEPAGE=" + strconv.Itoa(n.winCodePage)
			}
		}
		// Win32-OpenSSH starts SFTP sessions in the user profile.
		lines = append(lines, "ChrootDirectory "+n.Root, "Subsystem sftp internal-sftp -d /C:/Users/"+WindowsUser)
	}
	return strings.Join(lines, "\n") + "\n"
}

// home is the HOME of the node's sessions.
func (n *Node) home() string { return filepath.Join(n.Dir, "home") }

// start launches sshd for n and waits until it accepts connections.
func (n *Node) start() error {
	logf, err := os.OpenFile(n.LogFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(SSHD, "-D", "-e", "-f", n.configFile)
	if n.Windows() {
		// -E: a chrooted session logs ("Changed root directory ...") before it execs the
		// shell; with -e that line would reach the client's stderr.
		cmd = exec.Command(SSHD, "-D", "-E", n.LogFile, "-f", n.configFile)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so that a test's ^C does not reach it before cleanup does.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start sshd: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	n.cmd, n.exited = cmd, exited

	addr := net.JoinHostPort(n.Address, strconv.Itoa(n.Port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("sshd for %s exited at start; log:\n%s", n.Name, n.Log())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			n.stop()
			return fmt.Errorf("sshd for %s not listening on %s after 10s; log:\n%s", n.Name, addr, n.Log())
		}
	}
}

// stop kills sshd and every process it started. Connection handlers call setsid, so a process
// group kill would miss them: the tree is found through /proc, frozen with SIGSTOP until no new
// process appears in it (a handler may be forking a session), then killed.
func (n *Node) stop() {
	if n.cmd == nil {
		return
	}
	root := n.cmd.Process.Pid
	syscall.Kill(root, syscall.SIGSTOP)
	var tree []int
	for range 50 {
		found := descendants(root)
		for _, pid := range found {
			syscall.Kill(pid, syscall.SIGSTOP)
		}
		if len(found) == len(tree) {
			break
		}
		tree = found
	}
	for _, pid := range tree {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	n.cmd.Process.Kill()
	<-n.exited
	for _, pid := range tree {
		waitGone(pid)
	}
	n.cmd, n.exited = nil, nil
}

// waitGone waits (up to 5s) until pid has exited: gone, or a zombie awaiting its reaper.
func waitGone(pid int) {
	for range 250 {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return
		}
		if i := strings.LastIndexByte(string(b), ')'); i >= 0 && strings.HasPrefix(string(b[i:]), ") Z") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// descendants lists the processes below pid, children first found by their parent pid.
func descendants(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, err := parentPID(p); err == nil {
			children[pp] = append(children[pp], p)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// parentPID reads the parent pid from /proc/<pid>/stat (field 4, after the parenthesised name,
// which may itself contain spaces and parentheses).
func parentPID(pid int) (int, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("malformed stat")
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, errors.New("malformed stat")
	}
	return strconv.Atoi(f[1])
}

// freePort returns a port that is free on addr right now.
func freePort(addr string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
