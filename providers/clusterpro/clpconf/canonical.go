package clpconf

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Canonical renders the semantic form of d as UTF-8 XML: no bookkeeping, siblings sorted by
// element name then key (numbers numerically), attributes sorted, text trimmed, fixed layout.
// Two documents have the same Canonical bytes exactly when Diff finds no difference, so it is
// the input for fingerprints.
func Canonical(d *Document) []byte {
	w := &xmlWriter{lenient: true}
	w.buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	_ = w.element(canonicalise(d.Root), 0) // lenient: never fails
	w.buf.WriteByte('\n')
	return w.buf.Bytes()
}

// canonicalise returns the semantic form of the tree rooted at root.
func canonicalise(root *Element) *Element {
	c, _ := canonicalElement(root, bookkeepingPath{}, 0)
	if c == nil {
		return &Element{Name: root.Name}
	}
	return c
}

// bookkeepingPath is the path of an element below <root>, as far as isBookkeeping needs it:
// the names of its first levels. Copying a fixed array keeps the walk linear at any depth
// (a slice of every ancestor's name, copied per element, made deep files quadratic).
type bookkeepingPath struct {
	names [bookkeepingDepth]string
	n     int // levels below <root>; only the first bookkeepingDepth are kept
}

func (p bookkeepingPath) child(name string) bookkeepingPath {
	if p.n < bookkeepingDepth {
		p.names[p.n] = name
	}
	p.n++
	return p
}

// canonicalElement copies e in semantic form. It returns nil when e is bookkeeping, or when
// e became empty only because bookkeeping was removed from it (webmgr/client). depth is 0 for
// the root.
func canonicalElement(e *Element, path bookkeepingPath, depth int) (*Element, bool) {
	if depth > 0 && isBookkeeping(path) {
		return nil, true
	}
	c := &Element{Name: e.Name, Text: strings.TrimSpace(e.Text)}
	if len(e.Attrs) > 0 {
		c.Attrs = slices.Clone(e.Attrs)
		slices.SortStableFunc(c.Attrs, func(a, b Attr) int { return strings.Compare(a.Name, b.Name) })
	}
	removed := false
	for _, ch := range e.Children {
		cc, dropped := canonicalElement(ch, path.child(ch.Name), depth+1)
		removed = removed || dropped
		if cc != nil {
			c.Children = append(c.Children, cc)
		}
	}
	slices.SortStableFunc(c.Children, compareSiblings)
	if removed && len(c.Children) == 0 && c.Text == "" && len(c.Attrs) == 0 && depth > 0 {
		return nil, true
	}
	return c, false
}

// Bookkeeping lists, by path below <root>, what the vendor's tools rewrite on every save: it
// carries no setting, so the semantic form (Canonical, Diff) leaves it out. The cluster's uuid
// is the one a tool keeps: it identifies the cluster rather than a save, so an import carries
// it as a vendor parameter, which a plan then ignores (ClusterUUID). The encoder writes
// objectnumber itself.
var Bookkeeping = []string{"trekking", ClusterUUID, "webmgr/client/objectnumber"}

// ClusterUUID is the path of the cluster's uuid below <root>.
const ClusterUUID = "cluster/uuid"

// bookkeepingDepth is the depth of the deepest bookkeeping path.
const bookkeepingDepth = 3

// bookkeepingNames are the Bookkeeping paths split into element names.
var bookkeepingNames = func() [][]string {
	out := make([][]string, len(Bookkeeping))
	for i, p := range Bookkeeping {
		out[i] = strings.Split(p, "/")
	}
	return out
}()

// isBookkeeping reports whether p, the element names below <root>, is a Bookkeeping path.
func isBookkeeping(p bookkeepingPath) bool {
	for _, names := range bookkeepingNames {
		if p.n == len(names) && slices.Equal(p.names[:p.n], names) {
			return true
		}
	}
	return false
}

func compareSiblings(a, b *Element) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return compareKeys(a.Key(), b.Key())
}

// compareKeys orders decimal keys numerically (device 2 before device 10), others as strings.
func compareKeys(a, b string) int {
	if isDecimal(a) && isDecimal(b) {
		x, _ := strconv.ParseUint(a, 10, 64)
		y, _ := strconv.ParseUint(b, 10, 64)
		return cmp.Compare(x, y)
	}
	return strings.Compare(a, b)
}
