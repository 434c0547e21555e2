package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/labdir"
	"github.com/clusterctl/cluster/lab/opensshtest"
)

// binary is the cluster binary built once for the whole package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cluster-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cluster")
	build := exec.Command("go", "build", "-o", binary, "./cmd/cluster")
	build.Dir = repoRoot()
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building cluster:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// nodes is a set of real sshd nodes laid out like lab nodes: named, with the vendor-command
// emulations installed in their roots and a lab registry so clpcfctrl --push finds its peers.
type nodes struct {
	t       testing.TB
	ssh     *opensshtest.Cluster
	names   []string
	roots   map[string]string
	varFile string
	home    string
}

func startNodes(t testing.TB, names ...string) *nodes {
	t.Helper()
	return layOutNodes(t, opensshtest.Start(t, len(names)), names...)
}

// layOutNodes lays out the started sshd nodes of c as the lab nodes names.
func layOutNodes(t testing.TB, c *opensshtest.Cluster, names ...string) *nodes {
	t.Helper()
	labDir := t.TempDir()
	n := &nodes{t: t, ssh: c, names: names, roots: map[string]string{}, home: t.TempDir()}
	var reg labdir.Registry
	var hosts []string
	for i, name := range names {
		node := c.Nodes[i]
		if err := lab.PrepareRoot(node.Root, name, labDir, binary); err != nil {
			t.Fatal(err)
		}
		n.roots[name] = node.Root
		reg.Nodes = append(reg.Nodes, labdir.Node{Name: name, Address: node.Address, Port: node.Port, Root: node.Root})
		// These are POSIX sshd nodes: say so, as lab.vars.hcl does, for an example of a Windows
		// platform (whose default shell is cmd) passes var.hosts[...].shell through.
		hosts = append(hosts, fmt.Sprintf("  %s = { address = %q, port = %d, shell = \"posix\" }", name, node.Address, node.Port))
	}
	if err := labdir.WriteRegistry(labDir, reg); err != nil {
		t.Fatal(err)
	}
	n.varFile = filepath.Join(labDir, "nodes.vars.hcl")
	vars := fmt.Sprintf("hosts = {\n%s\n}\nssh_user = %q\nidentity_file = %q\nknown_hosts_file = %q\n",
		strings.Join(hosts, "\n"), c.User, c.IdentityFile, c.KnownHostsFile)
	if err := os.WriteFile(n.varFile, []byte(vars), 0o644); err != nil {
		t.Fatal(err)
	}
	return n
}

// path is a node path under a node's root.
func (n *nodes) path(node, p string) string { return filepath.Join(n.roots[node], p) }

type result struct {
	stdout, stderr string
	code           int
}

// run runs the cluster binary with the nodes' variable file, in a clean environment: its own
// HOME (no ~/.ssh of the machine), no agent, no colour.
func (n *nodes) run(args ...string) result {
	n.t.Helper()
	return n.runIn("", args...)
}

func (n *nodes) runIn(stdin string, args ...string) result {
	n.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"HOME=" + n.home, "PATH=" + os.Getenv("PATH"), "NO_COLOR=1"}
	cmd.Dir = repoRoot()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		n.t.Fatalf("running cluster %v: %v", args, err)
	}
	return r
}

// must fails the test unless r exited with code.
func (r result) must(t testing.TB, code int, what string) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.code, code, r.stdout, r.stderr)
	}
	return r
}

// jsonPlan is the part of `plan --json` the tests read.
type jsonPlan struct {
	Changes []struct {
		Address string `json:"address"`
		Action  string `json:"action"`
		Drift   []struct {
			Node string `json:"node"`
		} `json:"drift"`
	} `json:"changes"`
	Summary struct {
		Add, Change, Destroy int
	} `json:"summary"`
	Errored bool `json:"errored"`
}

// planJSON runs plan --json and gathers the plan from the stream: the changes from its
// planned_change and resource_drift lines, the summary from its change_summary.
func (n *nodes) planJSON(dir string) jsonPlan {
	n.t.Helper()
	r := n.run("plan", "--json", "--var-file", n.varFile, dir)
	if r.code != 0 {
		n.t.Fatalf("plan --json: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var p jsonPlan
	planFromStream(n.t, r.stdout, &p.Changes, func(l streamLine) {
		p.Summary.Add, p.Summary.Change, p.Summary.Destroy = l.Changes.Add, l.Changes.Change, l.Changes.Destroy
		p.Errored = l.Errored
	})
	return p
}

// planFromStream decodes the change of every planned_change and resource_drift line of a plan
// stream into *changes (a pointer to a slice), and calls summary with its change_summary line.
func planFromStream[T any](t testing.TB, out string, changes *[]T, summary func(streamLine)) {
	t.Helper()
	for _, l := range parseStream(t, out) {
		switch l.Type {
		case "planned_change", "resource_drift":
			var c T
			if err := json.Unmarshal(l.Change, &c); err != nil {
				t.Fatalf("%s: %v", l.Type, err)
			}
			*changes = append(*changes, c)
		case "change_summary":
			if summary != nil && l.Changes != nil && l.Changes.Operation == "plan" {
				summary(l)
			}
		}
	}
}

// copyExample copies an example directory so a test can edit it.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	return copyTree(t, filepath.Join(repoRoot(), "examples", name))
}

// edit replaces old with new in file, failing when old is absent.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// posixExample is a copy of an example whose every node is reached with shell = "posix" (set in
// its top-level ssh block): the e2e nodes are POSIX sshd, and a status file's or a server
// group's node defaults to cmd (docs/language.md, "Windows nodes: shell and code_page").
func posixExample(t *testing.T, name string) string {
	t.Helper()
	dir := copyExample(t, name)
	posixSSH(t, filepath.Join(dir, "connection.hcl"))
	return dir
}

// posixSSH sets shell = "posix" in the top-level ssh block of file: its nodes are POSIX sshd.
func posixSSH(t *testing.T, file string) {
	t.Helper()
	edit(t, file, "\nssh {\n", "\nssh {\n  shell = \"posix\"\n")
}
