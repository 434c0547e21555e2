package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const sgExample = "wsmgr-server-group"

// sgSetup starts the four web servers, gives the management node web1 its settings and an
// lbctl that records every call, and returns the nodes.
func sgSetup(t *testing.T) *nodes {
	t.Helper()
	n := startNodes(t, "web1", "web2", "web3", "web4")
	lbctl := "#!/bin/sh\necho \"$*\" >>\"$CLUSTER_NODE_ROOT/lb.log\"\n"
	sgWrite(t, n.path("web1", "usr/local/bin/lbctl"), lbctl, 0o755)
	sgWrite(t, n.path("web1", "opt/wsmgr/config/wsmgr.conf"), "port=80\n", 0o644)
	sgWrite(t, n.path("web1", "opt/wsmgr/config/sites/shop.xml"), "<site name='shop'/>\n", 0o644)
	return n
}

func sgWrite(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func sgRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// sgSteps extracts the member steps from apply's progress lines, in the order they ended.
func sgSteps(stderr string) []string {
	re := regexp.MustCompile(`(?m)^server_group\.web\.member\.(\w+): ([a-z ]+)\.\.\. (done|failed)`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(stderr, -1) {
		out = append(out, m[1]+" "+m[2]+" "+m[3])
	}
	return out
}

func TestServerGroupRolloutFailureAndResync(t *testing.T) {
	n := sgSetup(t)
	ex := filepath.Join("examples", sgExample)
	// Member 2 (web3) cannot receive the settings: its install directory is a regular file.
	sgWrite(t, n.path("web3", "opt/wsmgr"), "not a directory\n", 0o644)

	r := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 1, "apply with a broken member")
	want := []string{
		"web2 detach from the load balancer done", "web2 sync the settings done", "web2 verify the settings done",
		"web2 record the membership done", "web2 attach to the load balancer done",
		"web3 detach from the load balancer done", "web3 sync the settings failed",
	}
	if got := sgSteps(r.stderr); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("member steps:\n%s\nwant:\n%s\nstderr:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), r.stderr)
	}
	if got := sgRead(t, n.path("web1", "lb.log")); got != "detach web2\nattach web2\ndetach web3\n" {
		t.Errorf("balancer calls:\n%s", got)
	}
	for _, s := range []string{"Done: server_group.web.member.web2", "Failed (left detached from the load balancer): server_group.web.member.web3",
		"Not touched: server_group.web.member.web4"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("apply output lacks %q:\n%s", s, r.stderr)
		}
	}
	if sgRead(t, n.path("web2", "opt/wsmgr/config/sites/shop.xml")) != "<site name='shop'/>\n" {
		t.Error("web2 did not receive the settings")
	}
	if _, err := os.Stat(n.path("web4", "opt/wsmgr/config")); !os.IsNotExist(err) {
		t.Errorf("web4 was touched: %v", err)
	}

	// The next plan shows web3 held back (detached, out of sync: an update only --resync makes)
	// and web4 still to do.
	p := n.planJSON(ex)
	actions := map[string]string{}
	for _, c := range p.Changes {
		actions[c.Address] = c.Action
		if c.Address == "server_group.web.member.web3" && (len(c.Drift) != 1 || c.Drift[0].Node != "node.web3") {
			t.Errorf("web3's change has drift %+v, want one on node.web3", c.Drift)
		}
	}
	if actions["server_group.web.member.web3"] != "update" || actions["server_group.web.member.web4"] != "create" ||
		actions["server_group.web.member.web2"] != "" {
		t.Errorf("plan after the failure: %v", actions)
	}
	human := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan")
	if !strings.Contains(human.stdout+human.stderr, "out of sync since") || !strings.Contains(human.stdout+human.stderr, "--resync") {
		t.Errorf("plan does not show web3 out of sync:\n%s\n%s", human.stdout, human.stderr)
	}

	// Repaired, web3 is synced by hand; the rollout then goes on to web4.
	if err := os.Remove(n.path("web3", "opt/wsmgr")); err != nil {
		t.Fatal(err)
	}
	n.run("apply", "--auto-approve", "--resync", "server_group.web.member.web3", "--var-file", n.varFile, ex).must(t, 0, "apply --resync")
	if got := sgRead(t, n.path("web1", "lb.log")); got != "detach web2\nattach web2\ndetach web3\nattach web3\ndetach web4\nattach web4\n" {
		t.Errorf("balancer calls after the resync:\n%s", got)
	}
	for _, node := range []string{"web3", "web4"} {
		if sgRead(t, n.path(node, "opt/wsmgr/config/wsmgr.conf")) != "port=80\n" {
			t.Errorf("%s does not hold the settings", node)
		}
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the resync")
}
