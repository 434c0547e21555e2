package sshnode

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/transport"
)

// The node's command timeout bounds a command, unless the command asks for longer.
func TestOpenSSHCommandAsksForLonger(t *testing.T) {
	n := shortTimeoutNode(t)
	slow := transport.Cmd("sleep", "1.5")
	if _, err := n.Run(testContext(t), slow); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("sleep beyond the command timeout: %v; want the deadline exceeded", err)
	}
	if r, err := n.Run(testContext(t), slow.WithTimeout(10*time.Second)); err != nil || !r.OK() {
		t.Errorf("sleep with a longer Timeout: %v, exit %d; want it to finish", err, r.ExitCode)
	}
}

// A batch runs as long as its longest-asking command may: one session carries them all.
func TestOpenSSHBatchCommandAsksForLonger(t *testing.T) {
	n := shortTimeoutNode(t)
	slow := transport.Cmd("sleep", "1.5")
	if _, err := n.Batch(testContext(t), []transport.Command{transport.Cmd("true"), slow}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("batch beyond the command timeout: %v; want the deadline exceeded", err)
	}
	rs, err := n.Batch(testContext(t), []transport.Command{transport.Cmd("true"), slow.WithTimeout(10 * time.Second)})
	if err != nil || len(rs) != 2 || !rs[1].OK() {
		t.Errorf("batch with a longer Timeout: %v, %+v; want it to finish", err, rs)
	}
}

// shortTimeoutNode connects to a new sshd with a command timeout of half a second.
func shortTimeoutNode(t *testing.T) *Node {
	t.Helper()
	c := opensshtest.Start(t, 1)
	p := NewPool(testOptions(t))
	t.Cleanup(func() { p.Close() })
	ep := c.Endpoint(0)
	ep.SSH.CommandTimeout = 500 * time.Millisecond
	n, err := p.Connect(testContext(t), c.Nodes[0].Name, ep)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
