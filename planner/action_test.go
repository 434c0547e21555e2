package planner

import "testing"

func TestActionWords(t *testing.T) {
	tests := map[Action]struct{ symbol, verb string }{
		NoOp:    {" ", "is unchanged"},
		Create:  {"+", "will be created"},
		Update:  {"~", "will be updated in-place"},
		Delete:  {"-", "will be destroyed"},
		Replace: {"-/+", "must be replaced"},
	}
	for _, a := range Actions() {
		want, ok := tests[a]
		if !ok {
			t.Errorf("Actions() lists %q, which this test does not know", a)
			continue
		}
		if !a.Valid() {
			t.Errorf("%q.Valid() = false", a)
		}
		if got := a.Symbol(); got != want.symbol {
			t.Errorf("%q.Symbol() = %q, want %q", a, got, want.symbol)
		}
		if got := a.Verb(); got != want.verb {
			t.Errorf("%q.Verb() = %q, want %q", a, got, want.verb)
		}
	}
	if len(Actions()) != len(tests) {
		t.Errorf("Actions() has %d actions, want %d", len(Actions()), len(tests))
	}
	if Action("destroy").Valid() {
		t.Error(`Action("destroy").Valid() = true`)
	}
}
