package clpconf

import (
	"fmt"
	"strconv"
	"strings"
)

// DiffKind says how an element, attribute or text differs.
type DiffKind int

const (
	Changed DiffKind = iota // the value differs
	Added                   // present only in the second document
	Removed                 // present only in the first document
)

func (k DiffKind) String() string {
	switch k {
	case Added:
		return "added"
	case Removed:
		return "removed"
	}
	return "changed"
}

// Difference is one semantic difference between two documents.
//
// Path names the element below <root> with keyed segments, e.g.
// "group[failover1]/policy[sv2]/order"; an attribute is "…/@attr"; a second unkeyed sibling
// of the same name is "name#1". Before and After hold the text of a changed element or
// attribute; for an added or removed element they hold its canonical one-line XML, and the
// side where it is absent is "".
type Difference struct {
	Path   string
	Kind   DiffKind
	Before string
	After  string
}

func (d Difference) String() string {
	switch d.Kind {
	case Added:
		return fmt.Sprintf("+ %s: %s", d.Path, d.After)
	case Removed:
		return fmt.Sprintf("- %s: %s", d.Path, d.Before)
	}
	return fmt.Sprintf("~ %s: %q -> %q", d.Path, d.Before, d.After)
}

// Diff returns the semantic differences from a to b, in canonical order (see Canonical).
// Sibling order, formatting whitespace, the file charset and layout, and the bookkeeping
// elements (trekking, cluster uuid, objectnumber) are not differences.
func Diff(a, b *Document) []Difference {
	var out []Difference
	diffElements(&out, nil, canonicalise(a.Root), canonicalise(b.Root))
	return out
}

// Equal reports whether a and b have no semantic difference.
func Equal(a, b *Document) bool {
	return len(Diff(a, b)) == 0
}

// diffPath is the path of the elements being compared, as a chain to the parent: a path
// string is only built for an element that differs, so comparing deep trees stays linear.
type diffPath struct {
	parent *diffPath
	seg    string
}

func (p *diffPath) child(seg string) *diffPath { return &diffPath{parent: p, seg: seg} }

// String renders "a/b[k]/c"; the root's path is "".
func (p *diffPath) String() string {
	n := 0
	var segs []string
	for q := p; q != nil; q = q.parent {
		segs = append(segs, q.seg)
		n += len(q.seg) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for i := len(segs) - 1; i >= 0; i-- {
		b.WriteString(segs[i])
		if i > 0 {
			b.WriteByte('/')
		}
	}
	return b.String()
}

func diffElements(out *[]Difference, path *diffPath, a, b *Element) {
	diffAttrs(out, path, a, b)
	if a.Text != b.Text {
		*out = append(*out, Difference{Path: path.String(), Kind: Changed, Before: a.Text, After: b.Text})
	}
	as, bs := identify(a.Children), identify(b.Children)
	i, j := 0, 0
	for i < len(as) || j < len(bs) {
		var c int
		switch {
		case i == len(as):
			c = 1
		case j == len(bs):
			c = -1
		default:
			c = as[i].compare(bs[j])
		}
		switch {
		case c < 0:
			*out = append(*out, Difference{Path: path.child(as[i].segment()).String(), Kind: Removed, Before: summary(as[i].el)})
			i++
		case c > 0:
			*out = append(*out, Difference{Path: path.child(bs[j].segment()).String(), Kind: Added, After: summary(bs[j].el)})
			j++
		default:
			diffElements(out, path.child(as[i].segment()), as[i].el, bs[j].el)
			i++
			j++
		}
	}
}

func diffAttrs(out *[]Difference, path *diffPath, a, b *Element) {
	// Attributes are sorted by name in the canonical form.
	i, j := 0, 0
	for i < len(a.Attrs) || j < len(b.Attrs) {
		switch {
		case j == len(b.Attrs) || (i < len(a.Attrs) && a.Attrs[i].Name < b.Attrs[j].Name):
			*out = append(*out, Difference{Path: path.String() + "/@" + a.Attrs[i].Name, Kind: Removed, Before: a.Attrs[i].Value})
			i++
		case i == len(a.Attrs) || b.Attrs[j].Name < a.Attrs[i].Name:
			*out = append(*out, Difference{Path: path.String() + "/@" + b.Attrs[j].Name, Kind: Added, After: b.Attrs[j].Value})
			j++
		default:
			if a.Attrs[i].Value != b.Attrs[j].Value {
				*out = append(*out, Difference{Path: path.String() + "/@" + a.Attrs[i].Name, Kind: Changed, Before: a.Attrs[i].Value, After: b.Attrs[j].Value})
			}
			i++
			j++
		}
	}
}

// identified is a child with its identity among its siblings: name, key and, for repeated
// name+key pairs, the occurrence number.
type identified struct {
	el         *Element
	key        string
	occurrence int
}

func (x identified) compare(y identified) int {
	if c := compareSiblings(x.el, y.el); c != 0 {
		return c
	}
	return x.occurrence - y.occurrence
}

// segment names the child in a Difference path: name, [key], #occurrence.
func (x identified) segment() string {
	seg := x.el.Name
	if x.key != "" {
		seg += "[" + x.key + "]"
	}
	if x.occurrence > 0 {
		seg += "#" + strconv.Itoa(x.occurrence)
	}
	return seg
}

// identify expects children sorted by compareSiblings (canonical form).
func identify(children []*Element) []identified {
	out := make([]identified, len(children))
	for i, c := range children {
		id := identified{el: c, key: c.Key()}
		if i > 0 && out[i-1].el.Name == c.Name && out[i-1].key == id.key {
			id.occurrence = out[i-1].occurrence + 1
		}
		out[i] = id
	}
	return out
}

// summary is the one-line canonical XML of an added or removed element.
func summary(e *Element) string {
	w := &xmlWriter{compact: true, lenient: true}
	_ = w.element(e, 0) // lenient: never fails
	return w.buf.String()
}
