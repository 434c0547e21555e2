package clpconf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Limits of Parse. clp.conf is read from nodes, and a node is not trusted to hold a sane file:
// each limit is far above what the vendor writes (a large cluster's clp.conf is a few hundred
// KB, a few thousand elements, nested 6 deep, with paths under 100 bytes) and keeps
// the work and memory of parsing, comparing and flattening a hostile file linear in its size.
const (
	// MaxSize is the largest clp.conf accepted, in bytes.
	MaxSize = 16 << 20
	// MaxDepth is the deepest element nesting accepted; <root> is depth 1.
	MaxDepth = 64
	// MaxElements bounds the elements and attributes of a document together.
	MaxElements = 200_000
	// MaxPathLength bounds the length of an element's path from <root>: the names and keys
	// (name and id attributes) of the element and its ancestors, and an attribute's name. Every
	// flattened setting and every Difference is named by such a path.
	MaxPathLength = 512
)

// LimitError reports a clp.conf that exceeds one of Parse's limits.
type LimitError struct {
	Limit string // "size", "depth", "elements" or "path length"
	Max   int
	Line  int // where the limit was reached; 0 for the size
}

func (e *LimitError) Error() string {
	var what string
	switch e.Limit {
	case "size":
		return fmt.Sprintf("clp.conf refused: larger than the maximum size of %d bytes (%d MiB)", e.Max, e.Max>>20)
	case "depth":
		what = fmt.Sprintf("elements nested deeper than the maximum nesting depth of %d", e.Max)
	case "elements":
		what = fmt.Sprintf("more than the maximum element count of %d elements and attributes", e.Max)
	default:
		what = fmt.Sprintf("an element path longer than the maximum path length of %d bytes", e.Max)
	}
	return fmt.Sprintf("clp.conf refused: %s (line %d)", what, e.Line)
}

// Parse reads clp.conf. It honours the charset of the XML declaration (see charset.Lookup),
// accepts LF and CRLF line endings and both "<x/>" and "<x />", and records that layout in
// Document.Style so Encode writes the file back the same way. A file beyond MaxSize, MaxDepth,
// MaxElements or MaxPathLength is refused with a *LimitError, as soon as the limit is reached.
func Parse(data []byte) (*Document, error) {
	if len(data) > MaxSize {
		return nil, &LimitError{Limit: "size", Max: MaxSize}
	}
	doc := &Document{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = charsetReader

	// open is the stack of elements being read, each with its text so far (collected in a
	// buffer: a text split by many comments must not be copied again for every piece) and
	// the length of its path.
	type open struct {
		el   *Element
		text []byte
		path int
	}
	var stack []open
	count := 0
	limit := func(name string, max int) error {
		line, _ := dec.InputPos()
		return &LimitError{Limit: name, Max: max, Line: line}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse clp.conf: %w", err)
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target == "xml" {
				doc.Charset = declaredEncoding(string(t.Inst))
			}
		case xml.StartElement:
			if len(stack) >= MaxDepth {
				return nil, limit("depth", MaxDepth)
			}
			if count += 1 + len(t.Attr); count > MaxElements {
				return nil, limit("elements", MaxElements)
			}
			el := &Element{Name: qualifiedName(t.Name)}
			for _, a := range t.Attr {
				el.Attrs = append(el.Attrs, Attr{Name: qualifiedName(a.Name), Value: a.Value})
			}
			path := len(el.Name) + 1
			if len(stack) > 0 {
				path += stack[len(stack)-1].path
			}
			for _, a := range el.Attrs {
				switch {
				case a.Name == "name" || a.Name == "id":
					path += len(a.Value) + 2
				case path+len(a.Name)+1 > MaxPathLength:
					return nil, limit("path length", MaxPathLength)
				}
			}
			if path > MaxPathLength {
				return nil, limit("path length", MaxPathLength)
			}
			switch {
			case len(stack) > 0:
				parent := stack[len(stack)-1].el
				parent.Children = append(parent.Children, el)
			case doc.Root != nil:
				return nil, fmt.Errorf("parse clp.conf: second root element <%s>", el.Name)
			default:
				doc.Root = el
			}
			stack = append(stack, open{el: el, path: path})
		case xml.EndElement:
			top := stack[len(stack)-1]
			top.el.Text = string(top.text)
			if len(top.el.Children) > 0 && strings.TrimSpace(top.el.Text) == "" {
				top.el.Text = "" // indentation between child elements
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				top := &stack[len(stack)-1]
				top.text = append(top.text, t...)
			}
		}
	}
	if doc.Root == nil {
		return nil, errors.New("parse clp.conf: no root element")
	}
	doc.Style = detectStyle(data)
	return doc, nil
}

// qualifiedName rebuilds "prefix:local"; clp.conf declares no namespaces, so the decoder
// leaves a prefix in Space as written.
func qualifiedName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

var encodingAttr = regexp.MustCompile(`encoding\s*=\s*["']([^"']*)["']`)

func declaredEncoding(inst string) string {
	if m := encodingAttr.FindStringSubmatch(inst); m != nil {
		return m[1]
	}
	return ""
}

var spaceSelfClose = regexp.MustCompile(`\s/>`)

// detectStyle looks at the raw bytes. The markers are ASCII and never occur inside a
// multi-byte character of the supported charsets (their trail bytes are >= 0x40 and never '>').
func detectStyle(data []byte) Style {
	return Style{
		CRLF:           bytes.Contains(data, []byte("\r\n")),
		SpaceSelfClose: spaceSelfClose.Match(data),
		FinalNewline:   bytes.HasSuffix(data, []byte("\n")),
	}
}
