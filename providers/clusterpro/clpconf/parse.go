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

// Parse reads clp.conf. It honours the charset of the XML declaration (see lookupCharset),
// accepts LF and CRLF line endings and both "<x/>" and "<x />", and records that layout in
// Document.Style so Encode writes the file back the same way.
func Parse(data []byte) (*Document, error) {
	doc := &Document{Style: detectStyle(data)}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = charsetReader

	var stack []*Element
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
			el := &Element{Name: qualifiedName(t.Name)}
			for _, a := range t.Attr {
				el.Attrs = append(el.Attrs, Attr{Name: qualifiedName(a.Name), Value: a.Value})
			}
			switch {
			case len(stack) > 0:
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, el)
			case doc.Root != nil:
				return nil, fmt.Errorf("parse clp.conf: second root element <%s>", el.Name)
			default:
				doc.Root = el
			}
			stack = append(stack, el)
		case xml.EndElement:
			el := stack[len(stack)-1]
			if len(el.Children) > 0 && strings.TrimSpace(el.Text) == "" {
				el.Text = "" // indentation between child elements
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if doc.Root == nil {
		return nil, errors.New("parse clp.conf: no root element")
	}
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
