package planner

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
	"github.com/clusterctl/cluster/transport/fake"
)

// A lock's age by the node's modification time, when that clock is ahead of ours: a lock the
// node dates further than futureSkew ahead is of unknown age (and, naming no holder, stale for
// force-unlock --all-stale, never "being taken right now" for ever); a lock naming its holder is
// aged by the holder's record.
func TestLockDatedInTheFuture(t *testing.T) {
	now := time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)
	holder := LockInfo{ID: "0123456789abcdef", Holder: "ops@ci", Host: "ci", PID: 7, Operation: "apply",
		Created: now.Add(-2 * time.Minute)}
	record, _ := json.Marshal(holder)
	type want struct {
		Age        time.Duration
		AgeUnknown bool
		FutureBy   time.Duration
		Stale      bool
		Shown      string
	}
	for name, c := range map[string]struct {
		mtime  time.Time
		record []byte
		want   want
	}{
		"no holder, an hour old": {now.Add(-time.Hour), nil,
			want{Age: time.Hour, Stale: true, Shown: "1h0m0s old, records no holder"}},
		"no holder, 10s old": {now.Add(-10 * time.Second), nil,
			want{Age: 10 * time.Second, Shown: "10s old, records no holder"}},
		"no holder, dated 30s ahead (within the skew taken at its word)": {now.Add(30 * time.Second), nil,
			want{Shown: "0s old, records no holder"}},
		"no holder, dated 10m ahead": {now.Add(10 * time.Minute), nil,
			want{AgeUnknown: true, FutureBy: 10 * time.Minute, Stale: true,
				Shown: "of unknown age (dated 10m0s in the future by the node's clock), records no holder"}},
		"holder, dated 10m ahead: aged by its record": {now.Add(10 * time.Minute), record,
			want{Age: 2 * time.Minute, Shown: "2m0s old, ID 0123456789abcdef"}},
		"holder, dated 30s ahead: aged by its record": {now.Add(30 * time.Second), record,
			want{Age: 2 * time.Minute, Shown: "2m0s old, ID 0123456789abcdef"}},
	} {
		t.Run(name, func(t *testing.T) {
			out := []transport.Outcome{
				{Stats: []transport.FileInfo{{Path: "/work/lock", Exists: true, ModTime: c.mtime}, {Path: "/work/lock/info"}}},
				{Files: []transport.File{{Path: "/work/lock", Exists: c.record != nil, Data: c.record}}},
				{Result: transport.Result{ExitCode: 1}},
			}
			st, err := decodeLock(fake.New("n1"), "/work/lock", out, now)
			if err != nil {
				t.Fatal(err)
			}
			got := want{Age: st.Age, AgeUnknown: st.AgeUnknown, FutureBy: st.FutureBy, Stale: st.Stale()}
			if shown := st.String(); strings.Contains(shown, c.want.Shown) {
				got.Shown = c.want.Shown
			} else {
				got.Shown = shown
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("lock (-want +got):\n%s", diff)
			}
			locked := st.lockedError()
			if c.want.AgeUnknown && (locked.beingTaken() || !strings.Contains(locked.Error(), "unknown age")) {
				t.Errorf("a lock of unknown age is refused with: %v", locked)
			}
		})
	}
}
