package statusfile

import (
	"fmt"
	"slices"
)

// server is an independent model of the object server's status-file commands for one logical
// file (docs/lab.md, "Groupmax status files"): it refuses what the server refuses and records
// every file write, so tests can check what a planned sequence does, step by step.
type server struct {
	pairs  []PairState // initialised pairs, in definition order
	clock  int
	writes map[string]int // file -> time of its last write; absent: no file
	// opWrites are the files written by the last command, in order.
	opWrites []string
	// deletedOpen is set when a command deleted the files of an open pair.
	deletedOpen bool
}

func newServer(observed []PairState) *server {
	s := &server{writes: map[string]int{}}
	for _, o := range observed {
		if o.State == Uninitialized {
			continue
		}
		s.pairs = append(s.pairs, o)
		s.write(o.A)
		s.write(o.B)
	}
	return s
}

func (s *server) write(f string) {
	s.clock++
	s.writes[f] = s.clock
	s.opWrites = append(s.opWrites, f)
}

func (s *server) find(p Pair) int {
	return slices.IndexFunc(s.pairs, func(q PairState) bool { return q.Pair == p })
}

func (s *server) first(st State) int {
	return slices.IndexFunc(s.pairs, func(q PairState) bool { return q.State == st })
}

// run carries out one command, or says why the server refuses it.
func (s *server) run(op Op) error {
	s.opWrites = nil
	i := -1
	if op.Verb != Swap {
		i = s.find(op.Pair)
	}
	switch op.Verb {
	case Init:
		if i >= 0 && s.pairs[i].State.Open() {
			return fmt.Errorf("init %s: the file is open", op.Pair)
		}
		s.write(op.Pair.A)
		s.write(op.Pair.B)
		if i < 0 {
			s.pairs = append(s.pairs, PairState{Pair: op.Pair})
			i = len(s.pairs) - 1
		}
		s.pairs[i].State = Reserved
	case Open:
		if i < 0 || s.pairs[i].State != Reserved {
			return fmt.Errorf("open %s: not reserved", op.Pair)
		}
		s.pairs[i].State = Spare
		if s.first(Current) < 0 {
			s.pairs[i].State = Current
		}
	case Close:
		if i < 0 || s.pairs[i].State != Spare {
			return fmt.Errorf("close %s: not spare", op.Pair)
		}
		s.pairs[i].State = Reserved
	case Remove:
		if i < 0 {
			return fmt.Errorf("remove %s: no such file", op.Pair)
		}
		if s.pairs[i].State.Open() {
			s.deletedOpen = true
			return fmt.Errorf("remove %s: the file is open (%s)", op.Pair, s.pairs[i].State)
		}
		delete(s.writes, op.Pair.A)
		delete(s.writes, op.Pair.B)
		s.pairs = slices.Delete(s.pairs, i, i+1)
	case Swap:
		cur, spare := s.first(Current), s.first(Spare)
		if cur < 0 || spare < 0 {
			return fmt.Errorf("swap: current %d, spare %d", cur, spare)
		}
		s.write(s.pairs[spare].A)
		s.write(s.pairs[spare].B)
		s.pairs[cur].State, s.pairs[spare].State = Spare, Current
	default:
		return fmt.Errorf("unknown command %q", op.Verb)
	}
	return nil
}

// aBeforeB checks the writes of the last command: a B file is written only after its A file.
func (s *server) aBeforeB() error {
	for _, p := range s.pairs {
		b := slices.Index(s.opWrites, p.B)
		if b < 0 {
			continue
		}
		if a := slices.Index(s.opWrites, p.A); a < 0 || a > b {
			return fmt.Errorf("B file %s written before its A file %s (writes %v)", p.B, p.A, s.opWrites)
		}
	}
	return nil
}

// replay runs ops on a server holding observed, checking the invariants after every step.
// It returns the server at the end.
func replay(observed []PairState, ops []Op) (*server, error) {
	s := newServer(observed)
	for k, op := range ops {
		hadCurrent := s.first(Current) >= 0
		if err := s.run(op); err != nil {
			return s, fmt.Errorf("step %d (%s): refused: %w", k+1, op.Step, err)
		}
		if hadCurrent && s.first(Current) < 0 {
			return s, fmt.Errorf("step %d (%s): the logical file lost its current pair", k+1, op.Step)
		}
		if err := s.aBeforeB(); err != nil {
			return s, fmt.Errorf("step %d (%s): %w", k+1, op.Step, err)
		}
		if s.deletedOpen {
			return s, fmt.Errorf("step %d (%s): an open file was deleted", k+1, op.Step)
		}
	}
	return s, nil
}

// checkEnd checks the server reached want from observed: exactly the declared pairs, all open,
// one current; a declared current pair kept; without one, the initial pair current.
func checkEnd(s *server, observed []PairState, want *Want) error {
	if want == nil {
		if len(s.pairs) > 0 {
			return fmt.Errorf("pairs left after removal: %v", s.pairs)
		}
		return nil
	}
	var got []Pair
	currents := 0
	for _, p := range s.pairs {
		got = append(got, p.Pair)
		if !p.State.Open() {
			return fmt.Errorf("pair %s is %s at the end", p.Pair, p.State)
		}
		if p.State == Current {
			currents++
		}
	}
	if currents != 1 {
		return fmt.Errorf("%d current pairs at the end", currents)
	}
	if len(got) != len(want.Pairs) {
		return fmt.Errorf("pairs at the end %v, want %v", got, want.Pairs)
	}
	for _, p := range want.Pairs {
		if !slices.Contains(got, p) {
			return fmt.Errorf("pairs at the end %v, want %v", got, want.Pairs)
		}
	}
	obsCur := slices.IndexFunc(observed, func(o PairState) bool { return o.State == Current })
	endCur := s.pairs[s.first(Current)].Pair
	switch {
	case obsCur >= 0 && slices.Contains(want.Pairs, observed[obsCur].Pair):
		if endCur != observed[obsCur].Pair {
			return fmt.Errorf("current moved from %s to %s although it is still declared", observed[obsCur].Pair, endCur)
		}
	case obsCur < 0:
		if endCur != want.Pairs[want.InitialCurrent] {
			return fmt.Errorf("current is %s, want the initial pair %s", endCur, want.Pairs[want.InitialCurrent])
		}
	}
	return nil
}
