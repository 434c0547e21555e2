package clpconf

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// charsetKind is a family of charsets the vendor writes in the XML declaration.
type charsetKind int

const (
	charsetUTF8 charsetKind = iota
	charsetASCII
	charsetEUCJP
	charsetShiftJIS
	charsetGB // GB2312 is read and written as its superset GBK (EUC-CN bytes are identical)
)

// lookupCharset maps a declared encoding name to its family. Names are matched without case,
// hyphens or underscores, so "Shift_JIS", "shift-jis" and "SJIS" are one charset.
func lookupCharset(name string) (charsetKind, error) {
	n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToUpper(strings.TrimSpace(name)))
	switch n {
	case "", "UTF8":
		return charsetUTF8, nil
	case "ASCII", "USASCII":
		return charsetASCII, nil
	case "EUCJP":
		return charsetEUCJP, nil
	case "SJIS", "SHIFTJIS", "WINDOWS31J", "CP932", "MS932":
		return charsetShiftJIS, nil
	case "GB2312", "GBK", "EUCCN", "CP936":
		return charsetGB, nil
	}
	return 0, fmt.Errorf("unsupported charset %q (supported: EUC-JP, SJIS/Shift_JIS, ASCII, GB2312, UTF-8)", name)
}

func (k charsetKind) encoding() encoding.Encoding {
	switch k {
	case charsetEUCJP:
		return japanese.EUCJP
	case charsetShiftJIS:
		return japanese.ShiftJIS
	case charsetGB:
		return simplifiedchinese.GBK
	}
	return nil
}

// charsetReader is the xml.Decoder hook: it turns the declared charset into UTF-8.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	kind, err := lookupCharset(label)
	if err != nil {
		return nil, err
	}
	switch kind {
	case charsetUTF8:
		return input, nil
	case charsetASCII:
		return &asciiReader{r: bufio.NewReader(input)}, nil
	}
	return kind.encoding().NewDecoder().Reader(input), nil
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
func encodeText(kind charsetKind, utf8Text []byte) ([]byte, error) {
	switch kind {
	case charsetUTF8:
		return utf8Text, nil
	case charsetASCII:
		return asciiWithReferences(utf8Text), nil
	}
	enc := encoding.HTMLEscapeUnsupported(kind.encoding().NewEncoder())
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

// ToCharset converts UTF-8 text, such as a script's content, to the named charset. Unlike XML
// text there is no escape for a character the charset cannot hold: that is an error.
func ToCharset(name, text string) ([]byte, error) {
	kind, err := lookupCharset(name)
	if err != nil {
		return nil, err
	}
	switch kind {
	case charsetUTF8:
		return []byte(text), nil
	case charsetASCII:
		for i := 0; i < len(text); i++ {
			if text[i] >= utf8.RuneSelf {
				return nil, fmt.Errorf("%q is not ASCII text", text[i:min(len(text), i+8)])
			}
		}
		return []byte(text), nil
	}
	out, err := kind.encoding().NewEncoder().Bytes([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("text cannot be written in %s: %w", name, err)
	}
	return out, nil
}

// FromCharset converts bytes in the named charset to UTF-8 text, failing unless the conversion
// is exact: ToCharset of the result gives b back.
func FromCharset(name string, b []byte) (string, error) {
	kind, err := lookupCharset(name)
	if err != nil {
		return "", err
	}
	var text string
	switch kind {
	case charsetUTF8, charsetASCII:
		text = string(b)
	default:
		out, err := kind.encoding().NewDecoder().Bytes(b)
		if err != nil {
			return "", fmt.Errorf("not %s text: %w", name, err)
		}
		text = string(out)
	}
	back, err := ToCharset(name, text)
	if err != nil || !bytes.Equal(back, b) || !utf8.ValidString(text) {
		return "", fmt.Errorf("not %s text", name)
	}
	return text, nil
}
