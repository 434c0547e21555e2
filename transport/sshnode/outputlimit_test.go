package sshnode

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clusterctl/cluster/lab/opensshtest"
	"github.com/clusterctl/cluster/transport"
)

// A node that answers with more than the output limit is cut off with an error naming the node
// and the limit, at once, rather than read into memory; the connection stays usable.
func TestOpenSSHOutputLimit(t *testing.T) {
	c := opensshtest.Start(t, 1)
	n := connectNode(t, c, 0)
	n.outputLimit = 1 << 20

	big := transport.NodePath("/big")
	if _, err := n.Run(testContext(t), transport.Shell(`mkdir -p "$(dirname "$1")" && head -c 3145728 /dev/zero >"$1"`, big)); err != nil {
		t.Fatal(err)
	}
	for _, op := range []struct {
		name string
		do   func() error
	}{
		{"Run", func() error {
			_, err := n.Run(testContext(t), transport.Cmd("sh", "-c", "while :; do echo yes; done"))
			return err
		}},
		{"Batch", func() error {
			_, err := n.Batch(testContext(t), []transport.Command{transport.Cmd("cat", big)})
			return err
		}},
		{"ReadFiles", func() error { _, err := n.ReadFiles(testContext(t), []transport.NodePath{big}); return err }},
	} {
		start := time.Now()
		err := op.do()
		var le *transport.OutputLimitError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), n.Name()) || !strings.Contains(err.Error(), "limit of 1048576 bytes") {
			t.Errorf("%s of more than the limit: %v; want an OutputLimitError naming the node and the limit", op.name, err)
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s took %v to give up", op.name, d)
		}
	}
	if r, err := n.Run(testContext(t), transport.Cmd("echo", "still here")); err != nil || strings.TrimSpace(string(r.Stdout)) != "still here" {
		t.Errorf("after the limit: %q, %v", r.Stdout, err)
	}
}
