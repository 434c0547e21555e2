package simulate

import (
	"strings"
	"testing"

	"github.com/clusterctl/cluster/providers/statusfile"
)

// pairStates renders the pair states after every step: "CSS | BCS".
func pairStates(r ScenarioReport) string {
	var out []string
	for _, s := range append([]Snapshot{r.Start}, snaps(r)...) {
		var b strings.Builder
		for _, p := range s.StatusFiles[0].Pairs {
			b.WriteString(strings.ToUpper(string(p.State)[:1]))
		}
		out = append(out, b.String())
	}
	return strings.Join(out, " | ")
}

// Seed 003, 5.x: swap on an I/O error in the current pair, and the way back for a blocked pair.
func TestStatusFileSwap(t *testing.T) {
	tests := []struct {
		name    string
		pairs   int
		initial int
		events  string
		want    string
		details string // of the last change
	}{
		{"I/O error in A: the healthy B is copied into the spare A, then the spare B", 3, 0, "fail sts1",
			"CSS | BCS",
			"I/O error on the A file /data/a/sts1a1 of the current pair 1; copy the healthy B file /data/b/sts1b1 into the spare A file /data/a/sts1a2; then into the spare B file /data/b/sts1b2; pair 2 becomes current, pair 1 blocked"},
		{"I/O error in B: the healthy A is the source", 2, 0, "fail sts1:B",
			"CS | BC",
			"I/O error on the B file /data/b/sts1b1 of the current pair 1; copy the healthy A file /data/a/sts1a1 into the spare A file /data/a/sts1a2; then into the spare B file /data/b/sts1b2; pair 2 becomes current, pair 1 blocked"},
		{"the first spare in definition order is used", 3, 1, "fail status_file.sts1",
			"SCS | CBS", ""},
		{"swaps accumulate until no spare is left: the logical file is lost", 3, 0, "fail sts1; fail sts1; fail sts1",
			"CSS | BCS | BBC | BBB",
			"I/O error on the A file /data/a/sts1a3 of the current pair 3; pair 3 becomes blocked; no spare to swap to: no current pair is left"},
		{"a single pair has no spare: lost at once", 1, 0, "fail sts1",
			"C | B", ""},
		{"blocked pairs come back as spare", 2, 0, "fail sts1; recover sts1",
			"CS | BC | SC", "xodstsinit pair 1 (A, then B), then xodstsopn"},
		{"a lost logical file gets a current pair back, without its status information", 1, 0, "fail sts1; recover sts1",
			"C | B | C", "xodstsinit pair 1 (A, then B), then xodstsopn"},
		{"the object server's node down: unavailable, pairs unchanged", 2, 0, "fail objsv; recover objsv",
			"CS | CS | CS", ""},
		{"an I/O error while the object server is down swaps nothing", 2, 0, "fail objsv; fail sts1; recover objsv",
			"CS | CS | CS | CS", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder()
			b.statusFile("sts1", tt.pairs).InitialCurrent = tt.initial
			rep := runOne(t, b.cfg, tt.events)
			sc := rep.Scenarios[0]
			if got := pairStates(sc); got != tt.want {
				t.Errorf("pairs:\n got %s\nwant %s", got, tt.want)
			}
			last := sc.Steps[len(sc.Steps)-1].Changes
			if tt.details != "" && (len(last) == 0 || strings.Join(last[len(last)-1].Details, "; ") != tt.details) {
				t.Errorf("details: %+v\nwant %s", last, tt.details)
			}
		})
	}
}

func TestStatusFileAvailability(t *testing.T) {
	b := newBuilder()
	b.statusFile("sts1", 2)
	rep := runOne(t, b.cfg, "fail objsv; recover objsv; fail sts1; fail sts1", "sts1")
	var got []string
	for _, v := range rep.Violations {
		got = append(got, v.Reason)
	}
	if strings.Join(got, ",") != "its node is down,no current pair is left" {
		t.Errorf("violations: %+v", rep.Violations)
	}
	if v := rep.Violations[1]; v.Step != 4 {
		t.Errorf("the file is lost at step 4, reported at %d", v.Step)
	}
	if st := rep.Scenarios[0].Steps[2].Snapshot.StatusFiles[0]; st.Current != 1 || st.Pairs[0].State != statusfile.Blocked {
		t.Errorf("after the first swap: %+v", st)
	}
}
