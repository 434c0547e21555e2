package planner

import (
	"slices"
	"strconv"
	"strings"
)

// SecretShown is what replaces a secret inside text the user sees.
const SecretShown = "(sensitive value)"

// secrets hides values derived from sensitive variables (config.Config.Secrets, longest first)
// wherever a plan or an apply would show them. Build it with newSecrets.
type secrets []string

// newSecrets also lists each secret as it appears inside a quoted value ("a\"b", non-ASCII
// escaped), which is how values are shown, so that no spelling of a secret escapes.
func newSecrets(values []string) secrets {
	var ss secrets
	for _, v := range values {
		ss = append(ss, v)
		if q := strconv.Quote(v); q[1:len(q)-1] != v {
			ss = append(ss, q[1:len(q)-1])
		}
	}
	slices.SortStableFunc(ss, func(a, b string) int { return len(b) - len(a) })
	return ss
}

// in reports whether s holds a secret.
func (ss secrets) in(s string) bool {
	for _, x := range ss {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// hide replaces every secret in s.
func (ss secrets) hide(s string) string {
	for _, x := range ss {
		s = strings.ReplaceAll(s, x, SecretShown)
	}
	return s
}

// redactPlan marks sensitive every attribute (both sides) and every file that holds a secret,
// and hides secrets in drift details, operations and diagnostics. Sensitive values are never
// saved and render as (sensitive).
func (ss secrets) redactPlan(p *Plan) {
	if len(ss) == 0 {
		return
	}
	for i := range p.Changes {
		c := &p.Changes[i]
		for j := range c.Attrs {
			a := &c.Attrs[j]
			if ss.in(a.Before.String()) || ss.in(a.After.String()) {
				a.Before.Sensitive, a.After.Sensitive = true, true
			}
		}
		ss.redactTexts(c.Texts)
		for j := range c.Drift {
			d := &c.Drift[j]
			d.Summary = ss.hide(d.Summary)
			for k := range d.Details {
				d.Details[k] = ss.hide(d.Details[k])
			}
			ss.redactTexts(d.Texts)
		}
		for j := range c.Operations {
			c.Operations[j].Step = ss.hide(c.Operations[j].Step)
			c.Operations[j].Command = ss.hide(c.Operations[j].Command)
		}
		c.Reason = ss.hide(c.Reason)
	}
	for i := range p.Diagnostics {
		p.Diagnostics[i].Summary = ss.hide(p.Diagnostics[i].Summary)
		p.Diagnostics[i].Detail = ss.hide(p.Diagnostics[i].Detail)
	}
}

func (ss secrets) redactTexts(texts []TextDiff) {
	for i := range texts {
		if ss.in(texts[i].Before) || ss.in(texts[i].After) {
			texts[i].Sensitive = true
		}
	}
}

// redactOutcome hides secrets in the errors an apply reports (a node's stderr may echo them).
func (ss secrets) redactOutcome(o Outcome) Outcome {
	if len(ss) == 0 {
		return o
	}
	o.Err = ss.err(o.Err)
	for i := range o.Reports {
		o.Reports[i].Err = ss.err(o.Reports[i].Err)
	}
	return o
}

// err returns err with its message hidden where it holds a secret; errors.Is and As still see
// the original.
func (ss secrets) err(err error) error {
	if err == nil || !ss.in(err.Error()) {
		return err
	}
	return &redactedError{msg: ss.hide(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactingProgress hides secrets in apply progress lines.
type redactingProgress struct {
	p  Progress
	ss secrets
}

func (r redactingProgress) Step(node, step string) { r.p.Step(node, r.ss.hide(step)) }
func (r redactingProgress) Done(node, step string, err error) {
	r.p.Done(node, r.ss.hide(step), r.ss.err(err))
}
func (r redactingProgress) Info(msg string) { r.p.Info(r.ss.hide(msg)) }

// redactWholeValues marks sensitive, on both sides, every attribute whose value, or one of its
// elements, is one of whole: secrets too short to be hidden inside texts (config.WholeSecrets).
func redactWholeValues(p *Plan, whole []string) {
	if len(whole) == 0 {
		return
	}
	for i := range p.Changes {
		for j := range p.Changes[i].Attrs {
			a := &p.Changes[i].Attrs[j]
			if holdsWhole(a.Before, whole) || holdsWhole(a.After, whole) {
				a.Before.Sensitive, a.After.Sensitive = true, true
			}
		}
	}
}

// holdsWhole reports whether v, or an element of v, is exactly one of whole.
func holdsWhole(v Value, whole []string) bool {
	switch x := v.Raw.(type) {
	case string:
		return slices.Contains(whole, x)
	case int64:
		return slices.Contains(whole, strconv.FormatInt(x, 10))
	case []string:
		return slices.ContainsFunc(x, func(e string) bool { return slices.Contains(whole, e) })
	case map[string]string:
		for _, e := range x {
			if slices.Contains(whole, e) {
				return true
			}
		}
	}
	return false
}
