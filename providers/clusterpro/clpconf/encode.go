package clpconf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/clusterctl/cluster/charset"
)

// Encode renders the document in the vendor's layout: the XML declaration with the document's
// charset, a 2-space indent, text encoded in that charset, and Style's line endings and empty
// element form. <webmgr><client><objectnumber> is set to ObjectNumber (added when missing);
// d itself is not modified. The output is a pure function of the document.
func Encode(d *Document) ([]byte, error) {
	kind, err := charset.Lookup(d.Charset)
	if err != nil {
		return nil, fmt.Errorf("encode clp.conf: %w", err)
	}
	out := d.Clone()
	out.setObjectNumber()

	declared := d.Charset
	if declared == "" {
		declared = "UTF-8"
	}
	w := &xmlWriter{style: d.Style}
	w.buf.WriteString(`<?xml version="1.0" encoding="` + declared + `"?>`)
	w.newline()
	if err := w.element(out.Root, 0); err != nil {
		return nil, fmt.Errorf("encode clp.conf: %w", err)
	}
	if d.Style.FinalNewline {
		w.newline()
	}
	encoded, err := encodeText(kind, w.buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("encode clp.conf as %s: %w", declared, err)
	}
	return encoded, nil
}

// xmlWriter writes an element tree as UTF-8 XML; Encode converts the result to the charset.
type xmlWriter struct {
	buf   bytes.Buffer
	style Style
	// compact writes everything on one line (subtree summaries in a Difference).
	compact bool
	// lenient writes what Encode would refuse (bad names, characters XML cannot carry as
	// "&#N;") instead of failing, so Canonical and summaries are total functions.
	lenient bool
}

func (w *xmlWriter) newline() {
	if w.compact {
		return
	}
	if w.style.CRLF {
		w.buf.WriteString("\r\n")
		return
	}
	w.buf.WriteByte('\n')
}

func (w *xmlWriter) element(e *Element, depth int) error {
	if !validName(e.Name) && !w.lenient {
		return fmt.Errorf("invalid element name %q", e.Name)
	}
	indent := strings.Repeat("  ", depth)
	if w.compact {
		indent = ""
	}
	w.buf.WriteString(indent + "<" + e.Name)
	for _, a := range e.Attrs {
		if !validName(a.Name) && !w.lenient {
			return fmt.Errorf("element <%s>: invalid attribute name %q", e.Name, a.Name)
		}
		w.buf.WriteString(" " + a.Name + `="`)
		if err := escape(&w.buf, a.Value, true, w.lenient); err != nil {
			return fmt.Errorf("element <%s> attribute %s: %w", e.Name, a.Name, err)
		}
		w.buf.WriteByte('"')
	}
	if e.Text == "" && len(e.Children) == 0 {
		if w.style.SpaceSelfClose {
			w.buf.WriteByte(' ')
		}
		w.buf.WriteString("/>")
		return nil
	}
	w.buf.WriteByte('>')
	if err := escape(&w.buf, e.Text, false, w.lenient); err != nil {
		return fmt.Errorf("element <%s> text: %w", e.Name, err)
	}
	if len(e.Children) > 0 {
		for _, c := range e.Children {
			w.newline()
			if err := w.element(c, depth+1); err != nil {
				return err
			}
		}
		w.newline()
		w.buf.WriteString(indent)
	}
	w.buf.WriteString("</" + e.Name + ">")
	return nil
}

// escape writes s as XML character data (or an attribute value). It refuses characters XML
// cannot carry at all rather than replacing them silently, unless lenient.
func escape(b *bytes.Buffer, s string, attr, lenient bool) error {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			if !lenient {
				return fmt.Errorf("invalid UTF-8 at byte %d", i)
			}
			b.WriteString("&#xFFFD;&#x" + strconv.FormatUint(uint64(s[i]), 16) + ";")
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\r', attr && (r == '\n' || r == '\t'):
			// Kept as references: a reader normalises literal CR and attribute whitespace away.
			b.WriteString("&#" + strconv.Itoa(int(r)) + ";")
		case !xmlChar(r):
			if !lenient {
				return fmt.Errorf("character U+%04X is not allowed in XML", r)
			}
			b.WriteString("&#" + strconv.Itoa(int(r)) + ";")
		default:
			b.WriteRune(r)
		}
	}
	return nil
}

// xmlChar reports whether r is in the XML 1.0 Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// validName is a conservative check: names the vendor uses are ASCII letters, digits, '_',
// '-', '.' and ':'; anything that would break the markup is refused.
func validName(n string) bool {
	if n == "" {
		return false
	}
	for i, r := range n {
		letter := r == '_' || r == ':' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || r >= 0x80
		if i == 0 && !letter {
			return false
		}
		if !letter && r != '-' && r != '.' && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
