package statusfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/transport"
)

// A pair whose file was deleted on the node is re-created: a spare is closed first; the
// current pair cannot be repaired by command and is refused with the way out.
func TestSequenceRepairsMissingFiles(t *testing.T) {
	withMissing := func(ps []PairState, i int, f string) []PairState {
		ps[i].Missing = []string{f}
		return ps
	}
	tests := map[string]struct {
		observed []PairState
		ops      []string
		refusal  string
	}{
		"spare missing its B file": {
			observed: withMissing(states(Current, Spare), 1, "/b/f2"),
			ops:      []string{"cls f2", "init f2", "opn f2"},
		},
		"reserved missing its A file": {
			observed: withMissing(states(Current, Reserved), 1, "/a/f2"),
			ops:      []string{"init f2", "opn f2"},
		},
		"current missing its A file": {
			observed: withMissing(states(Current, Spare), 0, "/a/f1"),
			refusal:  "Current status file missing",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ops, err := Sequence("sts1", tc.observed, want(0, 1, 2))
			if tc.refusal != "" {
				var r *Refusal
				if !errors.As(err, &r) || r.Summary != tc.refusal || !strings.Contains(r.Detail, "/a/f1") {
					t.Fatalf("err = %v, want refusal %q naming the file", err, tc.refusal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.ops, brief(ops)); d != "" {
				t.Errorf("ops (-want +got):\n%s", d)
			}
		})
	}
}

// A declared pair that a hand-edited definition file no longer names, but that the object
// server has open, is not created again: the plan only rewrites the definition file.
func TestPlanHandEditedDefinition(t *testing.T) {
	n := testNode()
	u := newUnit(n, []*config.StatusFile{statusFile(n, "sts1", 1, 2)})
	obs := nodeSays("logical sts1\npair /a/f1 /b/f1\n", "", "sts1 /a/f1 /b/f1 current")
	obs.Results[n.Addr][obsWant] = transport.Result{Stdout: []byte("sts1 /a/f1 /b/f1 current\nsts1 /a/f2 /b/f2 spare\n")}
	up := u.Plan(obs)
	got := summarizePlan(up)
	want := planSummary{
		Changes: []string{"update status_file.sts1"},
		Steps:   []string{"replace the definition file /opt/HiOBJ/conf/sts.def atomically, now that every operation succeeded"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("plan (-want +got):\n%s", d)
	}
	if len(up.Changes) != 1 || len(up.Changes[0].Drift) != 1 || !strings.Contains(up.Changes[0].Drift[0].Summary, "does not name it") {
		t.Errorf("the change does not show the pair the definition lost: %+v", up.Changes)
	}
}

// The listing's "missing PATH" lines mark the files of the pairs they belong to.
func TestObserveMarksMissingFiles(t *testing.T) {
	n := testNode()
	u := newUnit(n, []*config.StatusFile{statusFile(n, "sts1", 1, 2)})
	obs := nodeSays(def12, "", "sts1 /a/f1 /b/f1 current", "sts1 /a/f2 /b/f2 spare", "missing /b/f2")
	up := u.Plan(obs)
	if hasErrors(up.Diagnostics) {
		t.Fatalf("diagnostics: %+v", up.Diagnostics)
	}
	var steps []string
	for _, c := range up.Changes {
		for _, op := range c.Operations {
			steps = append(steps, op.Step)
		}
	}
	if len(steps) < 3 || !strings.HasPrefix(steps[0], "close spare pair /a/f2 /b/f2: /b/f2 is missing") {
		t.Errorf("steps %q, want the spare closed and re-created", steps)
	}
}
