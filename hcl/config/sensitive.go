package config

import (
	"cmp"
	"slices"

	"github.com/zclconf/go-cty/cty"
)

// sensitiveMark marks the value of a sensitive variable and, through cty's mark propagation,
// everything computed from it.
type sensitiveMarkType struct{}

var sensitiveMark = sensitiveMarkType{}

// unmarkSensitive returns v without marks, recording as secrets of the configuration the
// strings of every part of v that carries the sensitive mark.
func (l *loader) unmarkSensitive(v cty.Value) cty.Value {
	if !v.ContainsMarked() {
		return v
	}
	plain, marks := v.UnmarkDeepWithPaths()
	for _, pm := range marks {
		if _, ok := pm.Marks[sensitiveMark]; !ok {
			continue
		}
		if part, err := pm.Path.Apply(plain); err == nil {
			l.addSecrets(part)
		}
	}
	return plain
}

// MinSecretLen is the shortest value, in bytes, hidden wherever it appears inside text. Hiding
// by substring a shorter value ("2", "on") would hide every occurrence of it in IP addresses,
// ports and names, destroying the plan's readability and what a saved plan is compared on; such a
// value, and every number, is hidden only where it is a whole attribute value (WholeSecrets).
const MinSecretLen = 4

// addSecrets records every string inside v as a secret, and every number (as written) and
// shorter string as a whole-value secret.
func (l *loader) addSecrets(v cty.Value) {
	if v.IsNull() || !v.IsKnown() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		if s := v.AsString(); len(s) >= MinSecretLen {
			l.cfg.Secrets = addSorted(l.cfg.Secrets, s)
		} else {
			l.cfg.WholeSecrets = addSorted(l.cfg.WholeSecrets, s)
		}
	case ty == cty.Number:
		l.cfg.WholeSecrets = addSorted(l.cfg.WholeSecrets, v.AsBigFloat().Text('f', -1))
	case ty.IsListType(), ty.IsSetType(), ty.IsTupleType(), ty.IsMapType(), ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			l.addSecrets(e)
		}
	}
}

// addSorted adds s to list, once, keeping the longest first.
func addSorted(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	list = append(list, s)
	slices.SortStableFunc(list, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	return list
}
