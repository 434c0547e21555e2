package emulate

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab/labdir"
)

// TestClusterproOverThePeerLink runs the CLUSTERPRO tests whose commands act on peers again with
// every node reaching its peers through a peer server, as a chrooted node on real sshd does:
// pushes, cluster-wide starts and stops, faults on peers, group moves and clpstat's view of
// every server must not change.
func TestClusterproOverThePeerLink(t *testing.T) {
	overPeerLink = true
	t.Cleanup(func() { overPeerLink = false })
	for name, test := range map[string]func(*testing.T){
		"push":      TestClpcfctrlPushInstallsOnEveryServer,
		"refusals":  TestClpcfctrlPushRefusals,
		"suspended": TestClpcfctrlPushAllowedWhileSuspended,
		"policy":    TestClpclStartPlacesGroupsByPolicy,
		"self":      TestClpclStartOnlyThisServer,
		"states":    TestClpclStateMachine,
		"failing":   TestClpclVendorFailOnAPeer,
		"clpgrp":    TestClpgrp,
		"clpstat":   TestClpstatGolden,
	} {
		t.Run(name, test)
	}
}

// TestPeerLinkIsUsed: a node with a peer link does not fall back on the registry: with the
// peer server gone, a command acting on peers fails, and says why.
func TestPeerLinkIsUsed(t *testing.T) {
	overPeerLink = true
	l := newTestLab(t, "sv1", "sv2")
	overPeerLink = false
	dir := stagedConfig(t, l, "sv1")
	os.Remove(filepath.Join(l.roots["sv1"], labdir.PeerLinkFile))
	l.mustFail("sv1", clp, "clpcfctrl", "peer link", "--push", "-l", "-x", dir)
	if l.read("sv2", clp+"/etc/clp.conf") != "" {
		t.Error("the configuration reached sv2 without the peer link")
	}
}

// TestPeerServerRefusesWhatIsNotAPeerOperation: the peer server acts on outside paths, so it
// takes only lab servers, and scripts trees whose paths stay inside the tree.
func TestPeerServerRefusesWhatIsNotAPeerOperation(t *testing.T) {
	labDir := t.TempDir()
	root := filepath.Join(labDir, "sv1")
	if err := labdir.WriteRegistry(labDir, labdir.Registry{Nodes: []labdir.Node{{Name: "sv1", Root: root}}}); err != nil {
		t.Fatal(err)
	}
	socket := filepath.Join(t.TempDir(), "p.sock")
	listener, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ServePeers(listener, labDir) }()
	defer func() {
		listener.Close()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	link, err := dialPeerLink(socket)
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()

	if st, err := link.status("sv9"); err != nil || st.Known {
		t.Errorf("status of a server the lab lacks: %+v %v", st, err)
	}
	if _, err := link.readState("sv9", clp); err == nil || !strings.Contains(err.Error(), "server sv9 is not found") {
		t.Errorf("read-state of an unknown server: %v", err)
	}
	for _, p := range []string{"../escape", "/abs", "a/../../b", ""} {
		cfg := configuration{Conf: []byte("<root/>"), Scripts: []treeFile{{Path: p, Mode: 0o644, Data: []byte("x")}}}
		if err := link.installConfig("sv1", clp, cfg); err == nil || !strings.Contains(err.Error(), "invalid path") {
			t.Errorf("script path %q: %v", p, err)
		}
	}
	for _, p := range []string{"../escape", "/abs", "a/../../b", ""} {
		files := []treeFile{{Path: p, Mode: 0o644, Data: []byte("x")}}
		if err := link.installSettings("sv1", files); err == nil || !strings.Contains(err.Error(), "invalid path") {
			t.Errorf("settings path %q: %v", p, err)
		}
	}
	if err := link.installSettings("sv9", nil); err == nil || !strings.Contains(err.Error(), "server sv9 is not found") {
		t.Errorf("install-settings on an unknown server: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(root), "escape")); err == nil {
		t.Error("a script escaped the tree")
	}
	if _, err := link.call(peerRequest{Op: "remove-root", Server: "sv1"}); err == nil {
		t.Error("an unknown operation was accepted")
	}
	// The link carries state and configurations whole.
	want := nodeState{Cluster: clusterSuspended, Groups: map[string]groupState{"web": {Status: groupOnline, Current: "sv1"}}}
	if err := link.writeState("sv1", clp, want); err != nil {
		t.Fatal(err)
	}
	got, err := link.readState("sv1", clp)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(nodeState{}, groupState{})); diff != "" {
		t.Errorf("state round trip (-want +got):\n%s", diff)
	}
}

// BenchmarkClpstatPeers measures what the peer link costs one clpstat of a three-server cluster
// (one state read per peer), against reading the peers' roots directly.
func BenchmarkClpstatPeers(b *testing.B) {
	for _, link := range []bool{false, true} {
		name := map[bool]string{false: "direct", true: "link"}[link]
		b.Run(name, func(b *testing.B) {
			overPeerLink = link
			defer func() { overPeerLink = false }()
			l := installedCluster(b)
			l.must("sv1", clp, "clpcl", "-s", "-a")
			main, _ := Lookup("clpstat")
			argv0 := filepath.Join(l.roots["sv1"], clp, "bin", "clpstat")
			b.ResetTimer()
			for range b.N {
				var out strings.Builder
				if code := main(argv0, nil, strings.NewReader(""), &out, &out); code != 0 {
					b.Fatalf("clpstat: %s", out.String())
				}
			}
		})
	}
}
