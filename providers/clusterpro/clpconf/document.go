package clpconf

// Document is a parsed clp.conf: its root element plus what Encode needs to write the file
// back the way it was laid out.
type Document struct {
	// Charset is the encoding named in the XML declaration, as written ("EUC-JP", "ASCII");
	// "" means UTF-8. Encode writes text in it.
	Charset string
	Style   Style
	Root    *Element
}

// Style is the layout of the file, detected by Parse and reproduced by Encode. It carries no
// meaning, so Diff ignores it.
type Style struct {
	CRLF           bool // lines end with CR LF (files edited on Windows)
	SpaceSelfClose bool // empty elements are written "<x />" (Windows WebUI) instead of "<x/>"
	FinalNewline   bool // the file ends with a line ending after </root>
}

// New returns an empty document with a <root> element.
func New(charset string, style Style) *Document {
	return &Document{Charset: charset, Style: style, Root: &Element{Name: "root"}}
}

// Clone returns a deep copy.
func (d *Document) Clone() *Document {
	c := *d
	c.Root = d.Root.Clone()
	return &c
}

// section returns the top-level element with the given name, appending it when missing.
func (d *Document) section(name string) *Element {
	if s := d.Root.Child(name); s != nil {
		return s
	}
	s := &Element{Name: name}
	d.Root.Children = append(d.Root.Children, s)
	return s
}
