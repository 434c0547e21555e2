//go:build unix

package procgroup

import (
	"bufio"
	"io"
	"os/exec"
	"testing"
	"time"
)

// Kill ends the command's children too: the background sleep holds the command's stdout, so
// the output ends only once the sleep is gone.
func TestKillEndsChildren(t *testing.T) {
	cmd := exec.Command("/bin/sh", "-c", "sleep 60 & echo started; wait")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	Set(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	if _, err := r.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if err := Kill(cmd); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, r)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the background child outlived its process group")
	}
	cmd.Wait()
}

func TestKillBeforeStart(t *testing.T) {
	if err := Kill(exec.Command("true")); err != nil {
		t.Errorf("Kill of a command not started: %v", err)
	}
}
