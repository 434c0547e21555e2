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

// addSecrets records every string (and number, as written) inside v.
func (l *loader) addSecrets(v cty.Value) {
	if v.IsNull() || !v.IsKnown() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		l.addSecret(v.AsString())
	case ty == cty.Number:
		l.addSecret(v.AsBigFloat().Text('f', -1))
	case ty.IsListType(), ty.IsSetType(), ty.IsTupleType(), ty.IsMapType(), ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			l.addSecrets(e)
		}
	}
}

func (l *loader) addSecret(s string) {
	if s == "" || slices.Contains(l.cfg.Secrets, s) {
		return
	}
	l.cfg.Secrets = append(l.cfg.Secrets, s)
	slices.SortStableFunc(l.cfg.Secrets, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
}
