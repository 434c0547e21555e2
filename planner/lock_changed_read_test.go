package planner

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/local"
)

// flakyReadNode fails the first `fail` batches that read files (the lock file's read) as GNU
// tar does when another run links or unlinks the file under it: "file changed as we read it".
type flakyReadNode struct {
	*local.Node
	fail int
}

func (n *flakyReadNode) Batch(ctx context.Context, cmds []transport.Command) ([]transport.Result, error) {
	res, err := n.Node.Batch(ctx, cmds)
	if err != nil || n.fail == 0 {
		return res, err
	}
	for i, c := range cmds {
		// The read's tar, not a word of a lock record the create carries ("started").
		if strings.Contains(c.String(), "exec tar -cf") && i < len(res) {
			n.fail--
			res[i] = transport.Result{ExitCode: 1, Stderr: []byte("tar: work/lock: file changed as we read it\n")}
			break
		}
	}
	return res, nil
}

// A young lock file that fails to read while its run creates it is read again, and reported
// with its holder: a concurrent apply never fails with "its lock could not be read".
func TestYoungLockThatFailsToReadIsReadAgain(t *testing.T) {
	l := newLab(t)
	n := nodeA1(l)
	path := lockPathOf(n)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	other := NewLockInfo("apply")
	other.ID = "0123456789abcdef"
	b, _ := json.Marshal(other)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	flaky := &flakyReadNode{Node: n, fail: 2}
	err := acquireLock(context.Background(), flaky, "/work/lock", NewLockInfo("apply"))
	var locked *LockedError
	if !errors.As(err, &locked) || !locked.Readable || locked.Info.ID != other.ID {
		t.Fatalf("acquireLock = %v; want the other run's lock, naming it", err)
	}
	if flaky.fail != 0 {
		t.Errorf("the failing reads were not all made (%d left): the test proves nothing", flaky.fail)
	}
}
