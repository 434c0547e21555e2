package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The shapes in which CI runs cluster (issue 12): stdin from /dev/null, no terminal, output
// read by a log collector.

const securevisor = "securevisor-windows"

// runDevNull runs the binary as CI does: stdin is /dev/null (a character device, but not a
// terminal), in the nodes' clean environment plus env.
func (n *nodes) runDevNull(env []string, args ...string) result {
	n.t.Helper()
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		n.t.Fatal(err)
	}
	defer devNull.Close()
	cmd := exec.Command(binary, args...)
	cmd.Env = append([]string{"HOME=" + n.home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}, env...)
	cmd.Dir = repoRoot()
	cmd.Stdin = devNull
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		n.t.Fatalf("running cluster %v: %v", args, err)
	}
	return r
}

func TestApplyFromDevNullFailsAtOnce(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", securevisor)
	start := time.Now()
	r := n.runDevNull(nil, "apply", "--var-file", n.varFile, ex).must(t, 1, "apply </dev/null")
	if !strings.Contains(r.stderr, "--auto-approve") {
		t.Errorf("stderr does not say to pass --auto-approve:\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("apply printed a plan or a prompt:\n%s", r.stdout)
	}
	for _, name := range n.names {
		if _, err := os.Stat(n.path(name, winConf)); err == nil {
			t.Errorf("%s was changed", name)
		}
	}
	t.Logf("failed in %v", time.Since(start))

	// --auto-approve is the way through.
	n.runDevNull(nil, "apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply --auto-approve </dev/null")
	if _, err := os.Stat(n.path("sv1", winConf)); err != nil {
		t.Errorf("apply --auto-approve did not install clp.conf: %v", err)
	}
}

func TestMistypedTargetFails(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	ex := filepath.Join("examples", securevisor)
	for target, want := range map[string]string{
		"group.securevisr":               "did you mean group.securevisor?",
		"group.securevisor.fip.fip2":     "did you mean group.securevisor.fip.fip1?",
		"cluster.securevisor.node.sv3":   "--target cluster.securevisor.node.sv3: no such object",
		"group.securevisor.exec.nothing": "--target group.securevisor.exec.nothing: no such object",
	} {
		r := n.runDevNull(nil, "plan", "--target", target, "--var-file", n.varFile, ex).must(t, 1, "plan --target "+target)
		if !strings.Contains(r.stderr, want) {
			t.Errorf("--target %s: stderr lacks %q:\n%s", target, want, r.stderr)
		}
		if strings.Contains(r.stdout, "No changes") {
			t.Errorf("--target %s: plan says No changes:\n%s", target, r.stdout)
		}
	}
	// A target that exists still plans.
	r := n.runDevNull(nil, "plan", "--target", "cluster.securevisor", "--var-file", n.varFile, ex).must(t, 0, "plan --target cluster.securevisor")
	if !strings.Contains(r.stdout, "group.securevisor") {
		t.Errorf("targeted plan:\n%s", r.stdout)
	}
}

func TestPlanErrorsGoToStderr(t *testing.T) {
	n := startNodes(t, "sv1", "sv2")
	n.ssh.Stop(1)
	r := n.runDevNull(nil, "plan", "--connect-timeout", "2s", "--var-file", n.varFile, filepath.Join("examples", securevisor)).must(t, 1, "plan with sv2 down")
	if !strings.Contains(r.stderr, "Error: Node unreachable") || !strings.Contains(r.stderr, "cluster.securevisor.node.sv2") {
		t.Errorf("stderr does not name the unreachable node:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout, "Error:") {
		t.Errorf("errors on stdout:\n%s", r.stdout)
	}
}

func TestMistypedSubcommandAndFlag(t *testing.T) {
	n := &nodes{t: t, home: t.TempDir()}
	r := n.runDevNull(nil, "aply").must(t, 1, "cluster aply")
	if !strings.Contains(r.stderr, "Did you mean this?\n\tapply") || r.stdout != "" {
		t.Errorf("cluster aply:\n%s\n%s", r.stdout, r.stderr)
	}
	r = n.runDevNull(nil, "apply", "--auto-aprove").must(t, 1, "apply --auto-aprove")
	if !strings.Contains(r.stderr, "--auto-approve") || r.stdout != "" {
		t.Errorf("apply --auto-aprove:\n%s\n%s", r.stdout, r.stderr)
	}
}

func TestVersionNamesCommitAndGo(t *testing.T) {
	n := &nodes{t: t, home: t.TempDir()}
	r := n.runDevNull(nil, "version").must(t, 0, "cluster version")
	if !strings.HasPrefix(r.stdout, "cluster ") || !strings.Contains(r.stdout, "module:  github.com/clusterctl/cluster") ||
		!strings.Contains(r.stdout, "go:      "+runtime.Version()) || !strings.Contains(r.stdout, "commit:  ") {
		t.Errorf("cluster version:\n%s", r.stdout)
	}
	// The go command cannot stamp a build from a git worktree or with -buildvcs=false: the
	// commit then comes from -ldflags.
	out, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision=") {
			if rev := strings.TrimPrefix(f[1], "vcs.revision="); !strings.Contains(r.stdout, "commit:  "+rev) {
				t.Errorf("cluster version does not show the stamped revision %s:\n%s", rev, r.stdout)
			}
		}
	}
	if testing.Short() {
		return
	}
	stamped := filepath.Join(t.TempDir(), "cluster")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.9.9 -X main.commit=0123456789abcdef", "-o", stamped, "./cmd/cluster")
	build.Dir = repoRoot()
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	got, err := exec.Command(stamped, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "cluster v9.9.9\n") || !strings.Contains(string(got), "0123456789abcdef") {
		t.Errorf("-ldflags version and commit:\n%s", got)
	}
}

// ~/.ssh/config as Fedora and RHEL users have it (a "Match final all" block) plus a
// ProxyCommand, and a known_hosts file with a line OpenSSH would skip: every node is reached,
// each problem is one warning on stderr.
func TestSSHConfigMatchProxyCommandAndBadKnownHosts(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("the ProxyCommand here relays with bash's /dev/tcp")
	}
	n := startNodes(t, "sv1", "sv2")
	marker := filepath.Join(t.TempDir(), "proxied")
	sshDir := filepath.Join(n.home, ".ssh")
	if err := os.MkdirAll(filepath.Join(sshDir, "config.d"), 0o700); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"config": "Include config.d/*.conf\n\nMatch exec \"test -e /nonexistent\"\n  User nobody\n\n" +
			"Host 127.0.0.*\n  ProxyCommand exec bash -c 'echo %h:%p >>" + marker + "; exec 3<>/dev/tcp/%h/%p; cat <&3 & exec cat >&3'\n",
		"config.d/50-redhat.conf": "Match final all\n  Include /etc/crypto-policies/back-ends/openssh.config\n  GSSAPIAuthentication yes\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(sshDir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	kh, err := os.OpenFile(n.ssh.KnownHostsFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	kh.WriteString("this line is not a known_hosts entry\n")
	kh.Close()

	r := n.runDevNull(nil, "plan", "--var-file", n.varFile, filepath.Join("examples", securevisor)).must(t, 0, "plan")
	t.Logf("stderr:\n%s", r.stderr)
	if c := strings.Count(r.stderr, "Warning: ssh config: "); c != 2 ||
		!strings.Contains(r.stderr, "50-redhat.conf:1: Match final all") || !strings.Contains(r.stderr, `config:3: Match exec "test -e /nonexistent"`) {
		t.Errorf("want one warning per skipped Match block:\n%s", r.stderr)
	}
	if c := strings.Count(r.stderr, "Warning: known_hosts: "+n.ssh.KnownHostsFile+":"); c != 1 {
		t.Errorf("want one warning naming the bad known_hosts line:\n%s", r.stderr)
	}
	// With --json the same warnings are diagnostics in the stream, and stderr stays empty.
	j := n.runDevNull(nil, "plan", "--json", "--var-file", n.varFile, filepath.Join("examples", securevisor)).must(t, 0, "plan --json")
	if strings.Contains(j.stderr, "Warning") {
		t.Errorf("plan --json printed warnings on stderr:\n%s", j.stderr)
	}
	var warnings []string
	for _, l := range parseStream(t, j.stdout) {
		if l.Type == "diagnostic" && l.Diagnostic != nil && l.Diagnostic.Severity == "warning" && l.Level == "warn" {
			warnings = append(warnings, l.Diagnostic.Summary)
		}
	}
	if joined := strings.Join(warnings, "\n"); len(warnings) != 3 || !strings.Contains(joined, "Match final all") ||
		!strings.Contains(joined, "known_hosts: "+n.ssh.KnownHostsFile+":") {
		t.Errorf("want the 3 warnings as diagnostics in the stream, got:\n%s", joined)
	}
	proxied, err := os.ReadFile(marker)
	if err != nil {
		t.Fatalf("the ProxyCommand never ran: %v", err)
	}
	for i := range n.names {
		node := n.ssh.Nodes[i]
		if want := fmt.Sprintf("%s:%d", node.Address, node.Port); !strings.Contains(string(proxied), want) {
			t.Errorf("%s was not reached through the ProxyCommand:\n%s", want, proxied)
		}
	}
}
