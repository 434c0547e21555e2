package opensshtest

import (
	"os/exec"
	"testing"
	"time"
)

func TestZZTiming(t *testing.T) {
	t0 := time.Now()
	c := Start(t, 2, WithJumpHost())
	t.Log("start", time.Since(t0))
	t0 = time.Now()
	out, err := exec.Command("ssh", append(sshArgs(c, c.Nodes[0], ), "echo $HOME")...).CombinedOutput()
	t.Log("ssh", time.Since(t0), err, string(out))
}
