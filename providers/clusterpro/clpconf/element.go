package clpconf

import (
	"strconv"
	"strings"
)

// Element is one XML element of clp.conf. Children and attributes keep document order.
type Element struct {
	Name     string
	Attrs    []Attr
	Text     string // character data; formatting whitespace around child elements is dropped
	Children []*Element
}

// Attr is one attribute of an element.
type Attr struct {
	Name, Value string
}

// NewElement returns an element with the given name and text and no attributes or children.
func NewElement(name, text string) *Element {
	return &Element{Name: name, Text: text}
}

// Attr returns the value of the named attribute.
func (e *Element) Attr(name string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// SetAttr sets an attribute, keeping its position when it already exists.
func (e *Element) SetAttr(name, value string) {
	for i := range e.Attrs {
		if e.Attrs[i].Name == name {
			e.Attrs[i].Value = value
			return
		}
	}
	e.Attrs = append(e.Attrs, Attr{Name: name, Value: value})
}

// Key identifies an element among its same-named siblings: its name attribute, else its id
// attribute, else "". The vendor keys every repeated element this way (server name, device id).
func (e *Element) Key() string {
	if v, ok := e.Attr("name"); ok {
		return v
	}
	v, _ := e.Attr("id")
	return v
}

// Child returns the first child with the given element name, or nil.
func (e *Element) Child(name string) *Element {
	for _, c := range e.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ChildrenNamed returns the children with the given element name, in document order.
func (e *Element) ChildrenNamed(name string) []*Element {
	var out []*Element
	for _, c := range e.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// Append adds children at the end and returns e, for building trees inline.
func (e *Element) Append(children ...*Element) *Element {
	e.Children = append(e.Children, children...)
	return e
}

// Find follows a slash-separated path of segments ("name" or "name[key]", see Key) and
// returns the first match, or nil.
func (e *Element) Find(path string) *Element {
	cur := e
	for _, seg := range splitPath(path) {
		cur = cur.childBySegment(seg)
		if cur == nil {
			return nil
		}
	}
	return cur
}

// Value returns the text at path and whether the element exists.
func (e *Element) Value(path string) (string, bool) {
	f := e.Find(path)
	if f == nil {
		return "", false
	}
	return f.Text, true
}

// Ensure follows path like Find and creates missing elements on the way, appending them.
// A created "name[key]" segment gets an id attribute when key is a decimal number (device,
// netdev, list ids) and a name attribute otherwise.
func (e *Element) Ensure(path string) *Element {
	cur := e
	for _, seg := range splitPath(path) {
		next := cur.childBySegment(seg)
		if next == nil {
			next = seg.element()
			cur.Children = append(cur.Children, next)
		}
		cur = next
	}
	return cur
}

// Set stores text at path, creating elements as Ensure does, and returns the element.
func (e *Element) Set(path, text string) *Element {
	el := e.Ensure(path)
	el.Text = text
	return el
}

// Remove deletes the element at path (the first match) with its subtree, and reports whether
// there was one.
func (e *Element) Remove(path string) bool {
	segs := splitPath(path)
	if len(segs) == 0 {
		return false
	}
	parent := e
	for _, seg := range segs[:len(segs)-1] {
		if parent = parent.childBySegment(seg); parent == nil {
			return false
		}
	}
	i := parent.indexBySegment(segs[len(segs)-1])
	if i < 0 {
		return false
	}
	parent.Children = append(parent.Children[:i], parent.Children[i+1:]...)
	return true
}

// MissingPrefix returns the shortest prefix of path that names no element below e, or "" when
// the element at path exists. It walks the path once.
func (e *Element) MissingPrefix(path string) string {
	segs := splitPath(path)
	cur := e
	for i, seg := range segs {
		if cur = cur.childBySegment(seg); cur == nil {
			prefix := make([]string, i+1)
			for j, s := range segs[:i+1] {
				prefix[j] = s.String()
			}
			return strings.Join(prefix, "/")
		}
	}
	return ""
}

// Clone returns a deep copy.
func (e *Element) Clone() *Element {
	c := &Element{Name: e.Name, Text: e.Text}
	if e.Attrs != nil {
		c.Attrs = append([]Attr(nil), e.Attrs...)
	}
	if e.Children != nil {
		c.Children = make([]*Element, len(e.Children))
		for i, ch := range e.Children {
			c.Children[i] = ch.Clone()
		}
	}
	return c
}

func (e *Element) childBySegment(s segment) *Element {
	if i := e.indexBySegment(s); i >= 0 {
		return e.Children[i]
	}
	return nil
}

// indexBySegment returns the index of the first child s names, or -1.
func (e *Element) indexBySegment(s segment) int {
	for i, c := range e.Children {
		if c.Name == s.name && (!s.keyed || c.Key() == s.key) {
			return i
		}
	}
	return -1
}

// segment is one step of a path: an element name and optionally its key.
type segment struct {
	name  string
	key   string
	keyed bool
}

func (s segment) String() string {
	if !s.keyed {
		return s.name
	}
	return s.name + "[" + s.key + "]"
}

func (s segment) element() *Element {
	el := &Element{Name: s.name}
	if s.keyed {
		attr := "name"
		if isDecimal(s.key) {
			attr = "id"
		}
		el.Attrs = []Attr{{Name: attr, Value: s.key}}
	}
	return el
}

// splitPath parses "a/b[k]/c". A key may contain "/" (it runs to the closing bracket).
func splitPath(path string) []segment {
	var segs []segment
	for path != "" {
		slash := strings.IndexByte(path, '/')
		open := strings.IndexByte(path, '[')
		if open >= 0 && (slash < 0 || open < slash) {
			end := strings.IndexByte(path[open:], ']')
			if end > 0 {
				segs = append(segs, segment{name: path[:open], key: path[open+1 : open+end], keyed: true})
				path = strings.TrimPrefix(path[open+end+1:], "/")
				continue
			}
		}
		if slash < 0 {
			segs = append(segs, segment{name: path})
			break
		}
		if slash > 0 {
			segs = append(segs, segment{name: path[:slash]})
		}
		path = path[slash+1:]
	}
	return segs
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}
