package transport

import "fmt"

// A Probe reads the outcome of one op of an observation as a T. Providers collect their
// observe ops in a ProbeSet, which hands out one Probe per op; planning reads each result
// through its Probe, so results are never picked out by position by hand, and the compiler
// checks what each one is.
type Probe[T any] struct {
	index  int
	op     Op
	decode func(Outcome) (T, error)
}

// ProbeSet collects the ops of one observation, in order.
type ProbeSet struct{ ops []Op }

// Ops are the ops to run (with Do), in the order the probes were added.
func (s ProbeSet) Ops() []Op { return s.ops }

// AddProbe adds op to s and returns the probe that decodes its outcome with decode.
func AddProbe[T any](s *ProbeSet, op Op, decode func(Outcome) (T, error)) Probe[T] {
	s.ops = append(s.ops, op)
	return Probe[T]{index: len(s.ops) - 1, op: op, decode: decode}
}

// Outcome returns the raw outcome of the probe's op, for decoders that need it whole.
func (p Probe[T]) Outcome(res []Outcome) (Outcome, error) {
	if p.decode == nil {
		return Outcome{}, fmt.Errorf("probe not part of this observation")
	}
	if p.index >= len(res) {
		return Outcome{}, fmt.Errorf("%s: not read (%d of %d results)", describe(p.op), len(res), p.index+1)
	}
	return res[p.index], nil
}

// Read decodes the probe's outcome among the outcomes of its ProbeSet's ops.
func (p Probe[T]) Read(res []Outcome) (T, error) {
	o, err := p.Outcome(res)
	if err != nil {
		var zero T
		return zero, err
	}
	return p.decode(o)
}

// Added reports whether the probe is part of its observation (a zero Probe is not).
func (p Probe[T]) Added() bool { return p.decode != nil }

// Raw is the decoder of a probe whose reader wants the whole outcome.
func Raw(o Outcome) (Outcome, error) { return o, nil }
