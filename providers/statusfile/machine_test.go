package statusfile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pair returns the i-th test pair: /a/fI and /b/fI.
func pair(i int) Pair { return Pair{A: fmt.Sprintf("/a/f%d", i), B: fmt.Sprintf("/b/f%d", i)} }

func states(ss ...State) []PairState {
	out := make([]PairState, len(ss))
	for i, s := range ss {
		out[i] = PairState{Pair: pair(i + 1), State: s}
	}
	return out
}

func want(ic int, idx ...int) *Want {
	w := &Want{InitialCurrent: ic}
	for _, i := range idx {
		w.Pairs = append(w.Pairs, pair(i))
	}
	return w
}

// brief renders ops as "verb pairN" for compact expectations.
func brief(ops []Op) []string {
	out := []string{}
	for _, op := range ops {
		s := strings.TrimPrefix(string(op.Verb), "xodsts")
		if op.Verb != Swap {
			s += " " + strings.TrimPrefix(op.Pair.A, "/a/")
		}
		out = append(out, s)
	}
	return out
}

func TestSequenceExamples(t *testing.T) {
	tests := map[string]struct {
		observed []PairState
		want     *Want
		ops      []string
		refusal  string
	}{
		"new logical file, 3 pairs": {
			want: want(0, 1, 2, 3),
			ops:  []string{"init f1", "opn f1", "init f2", "opn f2", "init f3", "opn f3"},
		},
		"new logical file, initial pair 2 opened first": {
			want: want(1, 1, 2, 3),
			ops:  []string{"init f2", "opn f2", "init f1", "opn f1", "init f3", "opn f3"},
		},
		"defined, never created": {
			observed: states(Uninitialized, Uninitialized),
			want:     want(0, 1, 2),
			ops:      []string{"init f1", "opn f1", "init f2", "opn f2"},
		},
		"in line": {
			observed: states(Current, Spare, Spare),
			want:     want(0, 1, 2, 3),
			ops:      []string{},
		},
		"current kept although not the initial pair": {
			observed: states(Spare, Current),
			want:     want(0, 1, 2),
			ops:      []string{},
		},
		"remove a spare": {
			observed: states(Current, Spare, Spare),
			want:     want(0, 1, 2),
			ops:      []string{"cls f3", "rm f3"},
		},
		"remove the current pair: swap, close, delete": {
			observed: states(Current, Spare, Spare),
			want:     want(0, 2, 3),
			ops:      []string{"swp", "cls f1", "rm f1"},
		},
		"replace the only pair": {
			observed: states(Current),
			want:     want(0, 2),
			ops:      []string{"init f2", "opn f2", "swp", "cls f1", "rm f1"},
		},
		"current leaves, undeclared spare removed before the swap": {
			observed: states(Current, Spare, Spare),
			want:     want(0, 3),
			ops:      []string{"cls f2", "rm f2", "swp", "cls f1", "rm f1"},
		},
		"blocked pair repaired as spare": {
			observed: states(Blocked, Current, Spare),
			want:     want(0, 1, 2, 3),
			ops:      []string{"init f1", "opn f1"},
		},
		"blocked pair deleted": {
			observed: states(Blocked, Current, Spare),
			want:     want(0, 2, 3),
			ops:      []string{"rm f1"},
		},
		"reserved pair opened": {
			observed: states(Current, Reserved),
			want:     want(0, 1, 2),
			ops:      []string{"opn f2"},
		},
		"no current, all blocked: initial pair repaired first becomes current": {
			observed: states(Blocked, Blocked),
			want:     want(1, 1, 2),
			ops:      []string{"init f2", "opn f2", "init f1", "opn f1"},
		},
		"no current but a spare: reopened as current": {
			observed: states(Spare, Reserved),
			want:     want(0, 1, 2),
			ops:      []string{"cls f1", "opn f1", "opn f2"},
		},
		"undeclared without current: closed and deleted": {
			observed: states(Spare, Reserved, Blocked, Uninitialized),
			ops:      []string{"cls f1", "rm f1", "rm f2", "rm f3"},
		},
		"undeclared with a current pair: refused": {
			observed: states(Current, Spare),
			refusal:  "Cannot remove a logical file that is in use",
		},
		"re-paired file: refused": {
			observed: []PairState{{Pair: Pair{A: "/a/f1", B: "/b/old"}, State: Current}},
			want:     want(0, 1),
			refusal:  "Status file paired differently",
		},
		"two current pairs: refused": {
			observed: states(Current, Current),
			want:     want(0, 1, 2),
			refusal:  "Several current pairs",
		},
		"unknown state: refused": {
			observed: states(Current, "broken"),
			want:     want(0, 1, 2),
			refusal:  "Unknown status-file state",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ops, err := Sequence("sts1", tc.observed, tc.want)
			if tc.refusal != "" {
				var r *Refusal
				if !errors.As(err, &r) || r.Summary != tc.refusal {
					t.Fatalf("err = %v, want refusal %q", err, tc.refusal)
				}
				if r.Detail == "" {
					t.Error("refusal without a detail saying what to do")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.ops, brief(ops)); d != "" {
				t.Errorf("ops (-want +got):\n%s", d)
			}
			s, err := replay(tc.observed, ops)
			if err == nil {
				err = checkEnd(s, tc.observed, tc.want)
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
}

var allStates = []State{Uninitialized, Reserved, Blocked, Spare, Current}

// TestSequenceEveryCombination plans every observed state of a 2-pair and a 3-pair logical file
// against every desired state (undeclared, or any non-empty subset of its pairs and one new
// pair, with each initial pair), and replays the plan on the server model.
func TestSequenceEveryCombination(t *testing.T) {
	for _, n := range []int{2, 3} {
		cases, refusals := 0, 0
		for _, obs := range observations(n) {
			hasCurrent := slices.ContainsFunc(obs, func(o PairState) bool { return o.State == Current })
			for _, w := range wants(n + 1) {
				cases++
				ops, err := Sequence("sts1", obs, w)
				if err != nil {
					var r *Refusal
					if !errors.As(err, &r) || w != nil || !hasCurrent {
						t.Fatalf("%v -> %v: unexpected refusal %v", obs, w, err)
					}
					refusals++
					continue
				}
				if w == nil && hasCurrent {
					t.Fatalf("%v -> removal: planned %v, want a refusal", obs, brief(ops))
				}
				s, err := replay(obs, ops)
				if err == nil {
					err = checkEnd(s, obs, w)
				}
				if err != nil {
					t.Fatalf("%v -> %v: %v\nops %v", obs, w, err, brief(ops))
				}
			}
		}
		t.Logf("%d pairs: %d combinations, %d refused", n, cases, refusals)
	}
}

// observations is every assignment of states to n pairs with at most one current.
func observations(n int) [][]PairState {
	var out [][]PairState
	var rec func(i int, cur []State)
	rec = func(i int, cur []State) {
		if i == n {
			currents := 0
			for _, s := range cur {
				if s == Current {
					currents++
				}
			}
			if currents <= 1 {
				out = append(out, states(cur...))
			}
			return
		}
		for _, s := range allStates {
			rec(i+1, append(slices.Clone(cur), s))
		}
	}
	rec(0, nil)
	return out
}

// wants is nil (undeclared) and every non-empty subset of pairs 1..n with every initial pair.
func wants(n int) []*Want {
	out := []*Want{nil}
	for mask := 1; mask < 1<<n; mask++ {
		var idx []int
		for i := range n {
			if mask&(1<<i) != 0 {
				idx = append(idx, i+1)
			}
		}
		for ic := range idx {
			out = append(out, want(ic, idx...))
		}
	}
	return out
}

// TestSequenceRandomised draws observed and desired states of up to 7 pairs, in any order,
// from a fixed list of seeds, and replays each plan on the server model.
func TestSequenceRandomised(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 5, 8, 13, 21, 34, 55, 89} {
		r := rand.New(rand.NewPCG(seed, seed*7919))
		for iter := range 2000 {
			obs, w := randomCase(r)
			ops, err := Sequence("sts1", obs, w)
			hasCurrent := slices.ContainsFunc(obs, func(o PairState) bool { return o.State == Current })
			if err != nil {
				if w != nil || !hasCurrent {
					t.Fatalf("seed %d iteration %d: %v -> %v: unexpected refusal %v", seed, iter, obs, w, err)
				}
				continue
			}
			s, err := replay(obs, ops)
			if err == nil {
				err = checkEnd(s, obs, w)
			}
			if err != nil {
				t.Fatalf("seed %d iteration %d: %v -> %v: %v\nops %v", seed, iter, obs, w, err, brief(ops))
			}
		}
	}
}

func randomCase(r *rand.Rand) ([]PairState, *Want) {
	universe := r.Perm(10)
	nObs := r.IntN(maxPairs + 1)
	obs := make([]PairState, nObs)
	current := -1
	if nObs > 0 && r.IntN(4) > 0 {
		current = r.IntN(nObs)
	}
	for i := range obs {
		st := allStates[r.IntN(len(allStates)-1)] // every state but current
		if i == current {
			st = Current
		}
		obs[i] = PairState{Pair: pair(universe[i]), State: st}
	}
	if r.IntN(8) == 0 {
		return obs, nil
	}
	// Declared pairs: some observed ones and some new ones, shuffled, 1..7.
	var pool []Pair
	for _, i := range universe {
		pool = append(pool, pair(i))
	}
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	w := &Want{Pairs: pool[:1+r.IntN(maxPairs)]}
	w.InitialCurrent = r.IntN(len(w.Pairs))
	return obs, w
}
