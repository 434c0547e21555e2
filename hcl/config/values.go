package config

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/gocty"
)

// attrReader evaluates the arguments of one decoded block into Go values. Each method leaves
// the destination unchanged when the argument is absent or null, records the argument's range
// for later diagnostics, and appends a diagnostic (returning false) when the value is unusable.
type attrReader struct {
	l     *loader
	obj   any // the model object the block decodes into: the key of its recorded ranges
	attrs hcl.Attributes
}

func (l *loader) reader(obj any, content *hcl.BodyContent) attrReader {
	for name, a := range content.Attributes {
		l.ranges[rangeKey{obj, name}] = a.Expr.Range()
	}
	return attrReader{l: l, obj: obj, attrs: content.Attributes}
}

// value evaluates an argument and converts it to ty; ok is false when it is absent, null or bad.
func (r attrReader) value(name string, ty cty.Type) (cty.Value, bool) {
	a, ok := r.attrs[name]
	if !ok {
		return cty.NilVal, false
	}
	if !r.l.checkScope(a.Expr) {
		return cty.NilVal, false
	}
	v, diags := a.Expr.Value(r.l.ctx)
	r.l.diags = append(r.l.diags, diags...)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	v = r.l.unmarkSensitive(v)
	if v.IsNull() {
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() && r.l.allowUnknown {
		r.l.unknownAttrs[rangeKey{r.obj, name}] = true
		r.l.waitFor(r.obj, a.Expr.Range(), name)
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		r.l.errorf(a.Expr.Range().Ptr(), "Unknown value",
			"The value of %s is not known while loading the configuration. Use only variables, locals and functions in this argument.", name)
		return cty.NilVal, false
	}
	cv, err := convert.Convert(v, ty)
	if err != nil {
		r.l.errorf(a.Expr.Range().Ptr(), "Incorrect attribute value type",
			"Inappropriate value for %s: %s. Write %s here.", name, err, friendly(ty))
		return cty.NilVal, false
	}
	if cv.IsNull() {
		return cty.NilVal, false
	}
	return cv, true
}

func friendly(ty cty.Type) string {
	switch {
	case ty == cty.String:
		return "a string"
	case ty == cty.Number:
		return "a number"
	case ty == cty.Bool:
		return "true or false"
	case ty.IsListType() && ty.ElementType() == cty.String:
		return "a list of strings, e.g. [\"a\", \"b\"]"
	}
	return ty.FriendlyName()
}

func (r attrReader) str(name string, dst *string) bool {
	v, ok := r.value(name, cty.String)
	if ok {
		*dst = v.AsString()
	}
	return ok
}

func (r attrReader) strs(name string, dst *[]string) bool {
	v, ok := r.value(name, cty.List(cty.String))
	if !ok {
		return false
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			r.l.errorf(r.attrs[name].Expr.Range().Ptr(), "Incorrect attribute value type",
				"%s must not contain null. Remove the null element.", name)
			return false
		}
		out = append(out, e.AsString())
	}
	if out == nil {
		out = []string{} // written but empty: distinguishable from absent
	}
	*dst = out
	return true
}

func (r attrReader) boolean(name string, dst *bool) bool {
	v, ok := r.value(name, cty.Bool)
	if ok {
		*dst = v.True()
	}
	return ok
}

func (r attrReader) boolPtr(name string, dst **bool) bool {
	var b bool
	if !r.boolean(name, &b) {
		return false
	}
	*dst = &b
	return true
}

// integer reads a whole number in [min, max].
func (r attrReader) integer(name string, dst *int, min, max int) bool {
	v, ok := r.value(name, cty.Number)
	if !ok {
		return false
	}
	rng := r.attrs[name].Expr.Range().Ptr()
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		r.l.errorf(rng, "Invalid number", "%s must be a whole number, not %s.", name, bf.Text('f', -1))
		return false
	}
	var n int
	if err := gocty.FromCtyValue(v, &n); err != nil || n < min || n > max {
		r.l.errorf(rng, "Number out of range", "%s must be between %d and %d, not %s.", name, min, max, bf.Text('f', -1))
		return false
	}
	*dst = n
	return true
}

// duration reads a Go duration string ("10s", "5m").
func (r attrReader) duration(name string, dst *time.Duration) bool {
	var s string
	if !r.str(name, &s) {
		return false
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		r.l.errorf(r.attrs[name].Expr.Range().Ptr(), "Invalid duration",
			"%s must be a positive duration such as \"10s\" or \"5m\", not %q.", name, s)
		return false
	}
	*dst = d
	return true
}

// oneOf reads a string that must be one of allowed.
func (r attrReader) oneOf(name string, dst *string, allowed ...string) bool {
	var s string
	if !r.str(name, &s) {
		return false
	}
	for _, a := range allowed {
		if s == a {
			*dst = s
			return true
		}
	}
	r.l.errorf(r.attrs[name].Expr.Range().Ptr(), "Invalid value",
		"%s must be one of %s, not %q.", name, quoteList(allowed), s)
	return false
}

func quoteList(ss []string) string {
	out := ""
	for i, s := range ss {
		switch {
		case i == 0:
		case i == len(ss)-1:
			out += " or "
		default:
			out += ", "
		}
		out += fmt.Sprintf("%q", s)
	}
	return out
}

// Bounds of numeric arguments.
const (
	maxPort  = 65535
	maxCount = 1<<31 - 1 // seconds, sizes and counts: anything an int32 on the node can hold
)
