package simulate

import (
	"strings"
	"testing"

	"github.com/clusterctl/cluster/providers/statusfile"
)

// logicalStates renders the logical files' states after every step: "CSS | BCS".
func logicalStates(r ScenarioReport) string {
	var out []string
	for _, s := range append([]Snapshot{r.Start}, snaps(r)...) {
		var b strings.Builder
		for _, l := range s.StatusFiles[0].Logicals {
			b.WriteString(strings.ToUpper(string(l.State)[:1]))
		}
		out = append(out, b.String())
	}
	return strings.Join(out, " | ")
}

// Seed 003: a normal start makes the first defined logical file current; an I/O error in the
// current one swaps to a spare; a blocked one comes back as spare, never as current.
func TestStatusFileSwap(t *testing.T) {
	tests := []struct {
		name     string
		logicals int
		events   string
		want     string
		details  string // of the last change
	}{
		{"I/O error in A: the healthy B is copied into the spare A, then the spare B", 3, "fail sts1",
			"CSS | BCS",
			`I/O error on the A file D:\sts\L1a of the current logical file L1; copy the healthy B file E:\sts\L1b into the spare A file D:\sts\L2a; then into the spare B file E:\sts\L2b; L2 becomes current, L1 blocked`},
		{"I/O error in B: the healthy A is the source", 2, "fail sts1:B",
			"CS | BC",
			`I/O error on the B file E:\sts\L1b of the current logical file L1; copy the healthy A file D:\sts\L1a into the spare A file D:\sts\L2a; then into the spare B file E:\sts\L2b; L2 becomes current, L1 blocked`},
		{"the first spare in definition order is used next", 3, "fail sts1; fail status_file.sts1",
			"CSS | BCS | BBC", ""},
		{"swaps accumulate until no spare is left", 3, "fail sts1; fail sts1; fail sts1",
			"CSS | BCS | BBC | BBB",
			"I/O error on the A file D:\\sts\\L3a of the current logical file L3; L3 becomes blocked; no spare to swap to: no current logical file is left"},
		{"a single logical file has no spare: lost at once", 1, "fail sts1",
			"C | B", ""},
		{"blocked logical files come back as spare", 2, "fail sts1; recover sts1",
			"CS | BC | SC", "xodstsinit the A and B files of L1, then xodstsopn"},
		{"opening never makes a file current: with none left, they all come back spare", 1, "fail sts1; recover sts1",
			"C | B | S", "xodstsinit the A and B files of L1, then xodstsopn"},
		{"the object server's node down: unavailable, states unchanged", 2, "fail objsv; recover objsv",
			"CS | CS | CS", ""},
		{"an I/O error while the object server is down swaps nothing", 2, "fail objsv; fail sts1; recover objsv",
			"CS | CS | CS | CS", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBuilder()
			b.statusFile("sts1", tt.logicals)
			rep := runOne(t, b.cfg, tt.events)
			sc := rep.Scenarios[0]
			if got := logicalStates(sc); got != tt.want {
				t.Errorf("states:\n got %s\nwant %s", got, tt.want)
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
	if strings.Join(got, ",") != "its node is down,no current logical file is left" {
		t.Errorf("violations: %+v", rep.Violations)
	}
	if v := rep.Violations[1]; v.Step != 4 {
		t.Errorf("the file is lost at step 4, reported at %d", v.Step)
	}
	if st := rep.Scenarios[0].Steps[2].Snapshot.StatusFiles[0]; st.Current != 1 || st.Logicals[0].State != statusfile.Blocked {
		t.Errorf("after the first swap: %+v", st)
	}
}
