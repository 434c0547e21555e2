package clusterpro

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Backups made within one second (an apply and the rollback right after it, or two quick
// applies) list in the order they were made, so that rollback's "latest" is the newest backup
// and retention keeps the newest ones. Before, the IDs of one second were ordered by a random
// suffix: rollback went to the older backup about every other time.
func TestRunIDsOfOneSecondSortInOrder(t *testing.T) {
	second := time.Date(2026, 12, 6, 6, 58, 31, 0, time.UTC)
	var made []string
	tree := map[string][]byte{}
	for i := range 12 {
		// Runs a few microseconds apart, and two runs at the very same instant.
		now := second.Add(time.Duration(i/2) * 3 * time.Microsecond)
		id := newRunID(now)
		made = append(made, id)
		tree[id+"/etc/clp.conf"] = []byte("<root/>")
	}
	want := slices.Clone(made)
	slices.Reverse(want) // newest first
	if d := cmp.Diff(want, BackupIDsOf(tree)); d != "" {
		t.Errorf("backups of one second, newest first (-want +got):\n%s", d)
	}
}
