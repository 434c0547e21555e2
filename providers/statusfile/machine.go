package statusfile

import (
	"fmt"
	"slices"
	"strings"
)

// State is the state of one A/B pair (seed 003): open pairs are current or spare, closed ones
// reserved or blocked. Uninitialized is a pair the definition names but that was never created.
type State string

const (
	Current       State = "current"
	Spare         State = "spare"
	Reserved      State = "reserved"
	Blocked       State = "blocked"
	Uninitialized State = "uninitialized"
)

// Open reports whether the object server has the pair open (current or spare).
func (s State) Open() bool { return s == Current || s == Spare }

func (s State) valid() bool {
	switch s {
	case Current, Spare, Reserved, Blocked, Uninitialized:
		return true
	}
	return false
}

// Pair is an A-system file and its B-system file, as POSIX node paths.
type Pair struct{ A, B string }

func (p Pair) String() string { return p.A + " " + p.B }

// PairState is a pair as observed.
type PairState struct {
	Pair
	State State
	// Missing lists the pair's files that are not on the node although the pair is open or
	// reserved (deleted behind the object server's back).
	Missing []string
	// Undefined: the object server knows the pair, but the definition file does not name it
	// (edited by hand).
	Undefined bool
}

// Want is a declared logical file: its pairs in order, and the pair made current when the
// logical file has no current pair.
type Want struct {
	Pairs          []Pair
	InitialCurrent int
}

// Verb is a vendor command of the status-file service.
type Verb string

const (
	Init   Verb = "xodstsinit" // create or re-initialise a closed pair (A, then B); it becomes reserved
	Open   Verb = "xodstsopn"  // reserved -> spare, or current when there is none
	Close  Verb = "xodstscls"  // spare -> reserved
	Remove Verb = "xodstsrm"   // delete a reserved or blocked pair
	Swap   Verb = "xodstsswp"  // current -> first spare (copying A, then B)
)

// Op is one step of a logical file's sequence. Pair is zero for Swap, which names no pair.
type Op struct {
	Verb Verb
	Pair Pair
	Step string // what it does, for the plan
}

// Refusal is a change the commands cannot make safely; it becomes a plan error.
type Refusal struct {
	Summary string
	Detail  string
}

func (r *Refusal) Error() string { return r.Summary + ": " + r.Detail }

// Sequence plans the operations that take one logical file from observed (its pairs in
// definition order, with their states) to want; want nil means the logical file is no longer
// declared and must go. It is pure. The sequence keeps these invariants at every step:
//   - once the logical file has a current pair it always has one (the current pair is moved
//     with a swap before it is closed, and only when a desired spare exists to take over);
//   - no open pair is deleted (a spare is closed first; a current pair is swapped away first);
//   - every pair is created or re-initialised by xodstsinit, which writes A, then B.
//
// When the logical file has no current pair, want's initial pair is opened first so it becomes
// current; a current pair that is still declared is kept (a restart keeps it too).
func Sequence(logical string, observed []PairState, want *Want) ([]Op, error) {
	if err := checkObserved(logical, observed); err != nil {
		return nil, err
	}
	s := &sequencer{logical: logical, state: map[Pair]State{}, missing: map[Pair][]string{}}
	for _, o := range observed {
		s.state[o.Pair] = o.State
		if len(o.Missing) > 0 {
			s.missing[o.Pair] = o.Missing
		}
	}
	cur := slices.IndexFunc(observed, func(o PairState) bool { return o.State == Current })
	if want == nil {
		if cur >= 0 {
			return nil, &Refusal{
				Summary: "Cannot remove a logical file that is in use",
				Detail: fmt.Sprintf("Logical file %s is no longer declared, but its pair %s is current: the object server "+
					"writes its status there, and no xodsts command closes or deletes a current file (xodstsswp only "+
					"moves \"current\" to a spare of the same logical file). Keep the status_file block (one pair is "+
					"enough), or stop the object server and remove the logical file by the vendor procedure, then plan again.",
					logical, observed[cur].Pair),
			}
		}
		for _, o := range observed {
			s.drop(o.Pair)
		}
		return s.ops, nil
	}
	if err := checkWant(logical, observed, want); err != nil {
		return nil, err
	}
	desired := map[Pair]bool{}
	for _, p := range want.Pairs {
		desired[p] = true
	}
	var leaving *Pair // the current pair, when it is no longer declared
	if cur >= 0 && !desired[observed[cur].Pair] {
		leaving = &observed[cur].Pair
	}
	if cur < 0 {
		// Open the initial pair first: the first pair opened without a current one becomes current.
		s.bringOpen(want.Pairs[want.InitialCurrent])
	}
	for _, p := range want.Pairs {
		s.bringOpen(p)
	}
	for _, o := range observed {
		if !desired[o.Pair] && (leaving == nil || o.Pair != *leaving) {
			s.drop(o.Pair)
		}
	}
	if leaving != nil {
		// Every declared pair is open by now and the undeclared spares are gone, so the swap
		// lands on a declared pair.
		s.add(Swap, Pair{}, fmt.Sprintf("swap %s: current moves from %s to its first spare pair (A copied, then B)", logical, *leaving))
		s.state[*leaving] = Spare
		s.drop(*leaving)
	}
	return s.ops, nil
}

// sequencer emits operations while tracking the states they lead to.
type sequencer struct {
	logical string
	state   map[Pair]State
	missing map[Pair][]string // files of a pair deleted behind the object server's back
	ops     []Op
}

func (s *sequencer) add(v Verb, p Pair, step string) {
	s.ops = append(s.ops, Op{Verb: v, Pair: p, Step: step})
}

func (s *sequencer) hasCurrent() bool {
	for _, st := range s.state {
		if st == Current {
			return true
		}
	}
	return false
}

// bringOpen opens p, creating or repairing it first. A spare pair is already open, except when
// the logical file has no current pair: closing and reopening it is how it becomes current.
//
// A spare or reserved pair with a missing file is re-created: closed when open, then
// re-initialised (A, then B) and opened again. (A current pair with a missing file is refused
// by checkObserved: it cannot be closed, and a swap would copy the missing file.)
func (s *sequencer) bringOpen(p Pair) {
	missing := strings.Join(s.missing[p], " and ")
	switch st := s.state[p]; {
	case st == Current:
		return
	case st == Spare && missing != "":
		s.add(Close, p, fmt.Sprintf("close spare pair %s: %s is missing on the node", p, missing))
		s.add(Init, p, fmt.Sprintf("re-create pair %s (A, then B)", p))
	case st == Spare && s.hasCurrent():
		return
	case st == Spare:
		s.add(Close, p, fmt.Sprintf("close spare pair %s, to reopen it as current (%s has no current pair)", p, s.logical))
	case st == Blocked:
		s.add(Init, p, fmt.Sprintf("repair blocked pair %s: re-initialise it (A, then B)", p))
	case st == Reserved && missing != "":
		s.add(Init, p, fmt.Sprintf("re-create reserved pair %s (A, then B): %s is missing on the node", p, missing))
	case st == Reserved:
	default: // uninitialized or not yet defined
		s.add(Init, p, fmt.Sprintf("create pair %s (A, then B)", p))
	}
	next := Spare
	if !s.hasCurrent() {
		next = Current
	}
	s.add(Open, p, fmt.Sprintf("open pair %s as %s", p, next))
	s.state[p] = next
}

// drop removes a pair that is not current: a spare is closed first; an uninitialized pair has
// no files and only leaves the definition.
func (s *sequencer) drop(p Pair) {
	switch st := s.state[p]; st {
	case Spare:
		s.add(Close, p, fmt.Sprintf("close spare pair %s", p))
		s.add(Remove, p, fmt.Sprintf("delete pair %s (now reserved)", p))
	case Reserved, Blocked:
		s.add(Remove, p, fmt.Sprintf("delete %s pair %s", st, p))
	}
	delete(s.state, p)
}

// checkObserved refuses states the commands cannot reason about.
func checkObserved(logical string, observed []PairState) error {
	seen := map[string]bool{}
	currents := 0
	for _, o := range observed {
		if !o.State.valid() {
			return &Refusal{Summary: "Unknown status-file state",
				Detail: fmt.Sprintf("Pair %s of %s is in state %q, which this tool does not know. Check the object server with xodstsls.", o.Pair, logical, o.State)}
		}
		for _, f := range []string{o.A, o.B} {
			if seen[f] {
				return &Refusal{Summary: "Status file defined twice",
					Detail: fmt.Sprintf("%s appears in more than one pair of %s in the definition file. Correct the definition file on the node, then plan again.", f, logical)}
			}
			seen[f] = true
		}
		if o.State == Current {
			currents++
			if len(o.Missing) > 0 {
				return &Refusal{Summary: "Current status file missing",
					Detail: fmt.Sprintf("The current pair %s of %s lacks %s on the node. No command repairs the current pair in place: "+
						"it cannot be closed, and xodstsswp would copy the missing file into the spare. Restore the file from a backup; "+
						"or let the object server find it at its next write, block the pair and swap to a spare itself (seed 003), after "+
						"which plan repairs the blocked pair.", o.Pair, logical, strings.Join(o.Missing, " and "))}
			}
		}
	}
	if currents > 1 {
		return &Refusal{Summary: "Several current pairs",
			Detail: fmt.Sprintf("%s has %d current pairs; a logical file has one. Check the object server with xodstsls before changing it.", logical, currents)}
	}
	return nil
}

// checkWant refuses a declared pair that reuses a path of an observed pair with another partner:
// the commands name a pair by its A file, so the old pair must be removed in an earlier apply.
func checkWant(logical string, observed []PairState, want *Want) error {
	if len(want.Pairs) == 0 || want.InitialCurrent < 0 || want.InitialCurrent >= len(want.Pairs) {
		return &Refusal{Summary: "No pair to make current",
			Detail: fmt.Sprintf("%s declares %d pairs and initial_current %d; declare at least one pair and an index among them.", logical, len(want.Pairs), want.InitialCurrent)}
	}
	for _, w := range want.Pairs {
		for _, o := range observed {
			if w == o.Pair || (w.A != o.A && w.B != o.B && w.A != o.B && w.B != o.A) {
				continue
			}
			return &Refusal{Summary: "Status file paired differently",
				Detail: fmt.Sprintf("%s declares pair %s, but the node has pair %s (%s), which shares a file with it. "+
					"A pair cannot be re-paired in place: remove pair %s from the configuration and apply, then declare %s and apply again.",
					logical, w, o.Pair, o.State, o.Pair, w)}
		}
	}
	return nil
}
