package clpconf

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding"

	"github.com/clusterctl/cluster/charset"
)

// charsetReader is the xml.Decoder hook: it turns the declared charset into UTF-8.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	kind, err := charset.Lookup(label)
	if err != nil {
		return nil, err
	}
	switch kind {
	case charset.UTF8:
		return input, nil
	case charset.ASCII:
		return &asciiReader{r: bufio.NewReader(input)}, nil
	}
	return kind.Encoding().NewDecoder().Reader(input), nil
}

// asciiReader refuses bytes above 0x7F: a file that declares ASCII but holds other bytes is
// in an unknown charset, and guessing would corrupt it on the next write.
type asciiReader struct {
	r   *bufio.Reader
	off int64
}

func (a *asciiReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] >= 0x80 {
			return i, fmt.Errorf("file declares ASCII but holds byte 0x%02X at offset %d after the declaration", p[i], a.off+int64(i))
		}
	}
	a.off += int64(n)
	return n, err
}

// encodeText converts UTF-8 XML text to the charset. Characters the charset cannot hold become
// numeric character references, which any XML reader turns back into the same character.
func encodeText(kind charset.Kind, utf8Text []byte) ([]byte, error) {
	switch kind {
	case charset.UTF8:
		return utf8Text, nil
	case charset.ASCII:
		return asciiWithReferences(utf8Text), nil
	}
	enc := encoding.HTMLEscapeUnsupported(kind.Encoding().NewEncoder())
	out, err := enc.Bytes(utf8Text)
	if err != nil {
		return nil, fmt.Errorf("encode text: %w", err)
	}
	return out, nil
}

func asciiWithReferences(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r < utf8.RuneSelf {
			out.WriteByte(byte(r))
		} else {
			out.WriteString("&#" + strconv.Itoa(int(r)) + ";")
		}
		b = b[size:]
	}
	return out.Bytes()
}
