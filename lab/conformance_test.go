package lab

import (
	"context"
	"os/user"
	"path/filepath"
	"testing"
	"time"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/nodetest"
	"github.com/clusterctl/cluster/transport/sshnode"
)

// TestLabNodeConformance runs the transport conformance suite (every op of transport.Do
// included) against a lab node: the in-process SSH server, reached by the real SSH transport.
func TestLabNodeConformance(t *testing.T) {
	l := startLab(t, "sv1")
	n := l.Registry().Nodes[0]
	off := false
	pool := sshnode.NewPool(sshnode.Options{Home: t.TempDir(), Getenv: func(string) string { return "" }})
	t.Cleanup(func() { pool.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	node, err := pool.Connect(ctx, n.Name, transport.Endpoint{Address: n.Address, Port: n.Port, SSH: transport.SSHSettings{
		User:           currentUser(t),
		IdentityFiles:  []string{filepath.Join(l.Dir, ClientKeyFile)},
		KnownHostsFile: filepath.Join(l.Dir, KnownHostsFile),
		Agent:          &off,
		UseSSHConfig:   &off,
	}})
	if err != nil {
		t.Fatalf("connect to the lab node: %v", err)
	}
	nodetest.RunConformance(t, func(*testing.T) transport.Node { return node })
}

func currentUser(t *testing.T) string {
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return u.Username
}
