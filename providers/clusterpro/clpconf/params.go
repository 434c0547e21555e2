package clpconf

import (
	"fmt"
	"strconv"
)

// Param is one leaf setting below an object element, addressed by a path relative to it:
// "parameters/ip", "parameters/netdev[0]/device", "polling/interval". A keyed segment
// "name[k]" is an element with a name attribute k, or an id attribute when k is a number.
type Param struct {
	Path  string
	Value string
}

// ParamValue returns the value at path in ps.
func ParamValue(ps []Param, path string) (string, bool) {
	for _, p := range ps {
		if p.Path == path {
			return p.Value, true
		}
	}
	return "", false
}

// setParams writes params below e in order; an empty value is an empty element.
func setParams(e *Element, ps []Param) {
	for _, p := range ps {
		e.Set(p.Path, p.Value)
	}
}

// leaves lists the leaf elements below e as Params, in document order, skipping the paths (or
// whole subtrees) in skip, which typed fields carry.
func leaves(e *Element, skip map[string]bool) []Param {
	return Leaves(e, func(path string) bool { return skip[path] })
}

// Leaves lists the leaf elements below e as Params in document order: every element without
// children, with its text, addressed by its path relative to e. skip, when not nil, leaves out
// an element (and its subtree) by path.
func Leaves(e *Element, skip func(path string) bool) []Param {
	var out []Param
	var walk func(prefix string, el *Element)
	walk = func(prefix string, el *Element) {
		for _, c := range el.Children {
			seg := segment{name: c.Name, key: c.Key(), keyed: c.Key() != ""}.String()
			path := seg
			if prefix != "" {
				path = prefix + "/" + seg
			}
			if skip != nil && skip(path) {
				continue
			}
			if len(c.Children) == 0 {
				out = append(out, Param{Path: path, Value: c.Text})
				continue
			}
			walk(path, c)
		}
	}
	walk("", e)
	return out
}

// intAt reads an integer at path below e; a missing element yields def.
func intAt(e *Element, path string, def int) (int, error) {
	v, ok := e.Value(path)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("<%s name=%q> %s: %w", e.Name, e.Key(), path, err)
	}
	return n, nil
}

// addTyped appends <typ name=name> to a typed section (heartbeat, networkpartition, resource,
// monitor), declaring <types name=typ/> first when the section lacks it. Declarations stay
// grouped at the start of the section, as the WebUI writes them.
func (d *Document) addTyped(section, typ, name string) *Element {
	s := d.section(section)
	declared, lastDecl := false, -1
	for i, c := range s.Children {
		if c.Name != "types" {
			continue
		}
		lastDecl = i
		if c.Key() == typ {
			declared = true
		}
	}
	if !declared {
		decl := &Element{Name: "types", Attrs: []Attr{{Name: "name", Value: typ}}}
		s.Children = append(s.Children[:lastDecl+1], append([]*Element{decl}, s.Children[lastDecl+1:]...)...)
	}
	el := &Element{Name: typ, Attrs: []Attr{{Name: "name", Value: name}}}
	s.Children = append(s.Children, el)
	return el
}

// typedObjects returns the named objects of a typed section, skipping <types>.
func (d *Document) typedObjects(section string) []*Element {
	s := d.Root.Child(section)
	if s == nil {
		return nil
	}
	var out []*Element
	for _, c := range s.Children {
		if _, named := c.Attr("name"); named && c.Name != "types" {
			out = append(out, c)
		}
	}
	return out
}
