package servergroup

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/fake"
)

// applyRig is a management node and one member (web2) on fake transports: web1's
// sync_check_command answers from a script of exit statuses, its sync_command makes web2 hold
// what web1 holds (standing in for WSMGR's sync), and both nodes hold their settings files.
type applyRig struct {
	web1, web2 *fake.Node
	answers    []int // sync_check_command's exit statuses, one per call; the last repeats
	web2Files  map[string]string
}

// settingsDir is testGroup's settings_dir.
const settingsDir = transport.NodePath("/opt/wsmgr/config")

// holdSettings makes n hold exactly files in its settings directory.
func holdSettings(n *fake.Node, files map[string]string) {
	for _, p := range n.Paths() {
		n.RemoveFile(transport.NodePath(p))
	}
	for name, content := range files {
		n.SetFile(settingsDir.Join(name), []byte(content), 0o644)
	}
}

func newApplyRig(answers ...int) *applyRig {
	r := &applyRig{web1: fake.New("web1"), web2: fake.New("web2"), answers: answers, web2Files: map[string]string{"old.conf": "x"}}
	holdSettings(r.web1, settingsV1)
	holdSettings(r.web2, r.web2Files)
	r.web1.Handle([]string{"/usr/local/sbin/wsmgr-sync"}, func(*fake.Node, []string, []byte) transport.Result {
		holdSettings(r.web2, settingsV1)
		return transport.Result{}
	})
	r.web1.Handle([]string{"/usr/local/sbin/wsmgr-sync-state"}, func(*fake.Node, []string, []byte) transport.Result {
		code := r.answers[0]
		if len(r.answers) > 1 {
			r.answers = r.answers[1:]
		}
		return transport.Result{ExitCode: code, Stdout: []byte(map[int]string{2: "E1203\n"}[code])}
	})
	for _, verb := range []string{"detach", "attach"} {
		r.web1.Handle([]string{"/usr/local/bin/lbctl", verb}, func(*fake.Node, []string, []byte) transport.Result { return transport.Result{} })
	}
	return r
}

// run plans web2's sync and applies it, returning web1's calls of the site's commands.
func (r *applyRig) run(t *testing.T, timeout time.Duration) ([]string, error) {
	t.Helper()
	g := testGroup(nil)
	g.Members = g.Members[:1]
	g.SyncTimeout = timeout
	u := testUnit(t, g, Provider{})
	u.poll = time.Millisecond
	up := u.Plan(observe(g, map[string]held{"web1": {files: settingsV1}, "web2": {files: r.web2Files}}))
	if len(up.Diagnostics) > 0 || up.State == nil {
		t.Fatalf("plan: %+v", up.Diagnostics)
	}
	rep := u.Apply(context.Background(), up, map[addrs.Address]transport.Node{addrs.Node("web1"): r.web1, addrs.Node("web2"): r.web2}, nil)
	var calls []string
	isCommand := func(c fake.Call) bool { return c.Op == "run" || c.Op == "batch" }
	isRead := func(c fake.Call) bool { return c.Op == "tree" || c.Op == "read" || c.Op == "stat" || c.Op == "free" }
	for _, c := range r.web1.Calls() {
		if isCommand(c) && c.Argv[0] != "sh" {
			calls = append(calls, strings.Join(c.Argv, " "))
		}
	}
	for _, c := range r.web2.Calls() {
		if !isRead(c) && !(isCommand(c) && c.Argv[0] == "sh") {
			t.Errorf("the tool ran %s on the member: it must only read there", c)
		}
	}
	return calls, rep.Err
}

func TestApplyWaitsForTheSyncMonitor(t *testing.T) {
	r := newApplyRig(1, 1, 0) // syncing, syncing, finished
	calls, err := r.run(t, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/usr/local/bin/lbctl detach web2", "/usr/local/sbin/wsmgr-sync web2",
		"/usr/local/sbin/wsmgr-sync-state web2", "/usr/local/sbin/wsmgr-sync-state web2", "/usr/local/sbin/wsmgr-sync-state web2",
		"/usr/local/bin/lbctl attach web2 10.0.0.2",
	}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("site commands (-want +got):\n%s", diff)
	}
}

func TestApplyStopsOnASyncErrorAndLeavesTheMemberDetached(t *testing.T) {
	r := newApplyRig(1, 2)
	calls, err := r.run(t, time.Minute)
	if err == nil || !strings.Contains(err.Error(), "E1203") || !strings.Contains(err.Error(), "left detached") {
		t.Errorf("error = %v, want the sync monitor's error and the member left detached", err)
	}
	if last := calls[len(calls)-1]; strings.Contains(last, "attach") && !strings.Contains(last, "detach") {
		t.Errorf("the member was attached after a failed sync: %v", calls)
	}
}

func TestApplyGivesUpAfterSyncTimeout(t *testing.T) {
	r := newApplyRig(1)
	_, err := r.run(t, 20*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "sync_timeout") {
		t.Errorf("error = %v, want a sync_timeout", err)
	}
}

// WSMGR says finished, but the member does not hold the management server's settings: the
// apply fails instead of putting a member with other settings back in the balancer.
func TestApplyVerifiesTheTreesAfterTheSync(t *testing.T) {
	r := newApplyRig(0)
	r.web1.Handle([]string{"/usr/local/sbin/wsmgr-sync"}, func(*fake.Node, []string, []byte) transport.Result { return transport.Result{} })
	calls, err := r.run(t, time.Minute)
	if err == nil || !strings.Contains(err.Error(), "WSMGR reported the sync finished") {
		t.Errorf("error = %v", err)
	}
	if strings.Contains(strings.Join(calls, "\n"), "attach web2") {
		t.Errorf("attached a member whose settings differ: %v", calls)
	}
}
