// Package charset converts text between UTF-8 and the charsets the vendors' files use: EUC-JP,
// Shift_JIS, ASCII, GB2312 (read and written as GBK) and UTF-8. clp.conf, generated scripts and
// the configuration's checks share it, so what validate accepts is what the writers can write.
package charset

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Kind is a family of charsets: those the vendors write in their files.
type Kind int

const (
	UTF8 Kind = iota
	ASCII
	EUCJP
	ShiftJIS
	GB // GB2312 is read and written as its superset GBK (EUC-CN bytes are identical)
)

// Lookup maps a declared encoding name to its family. Names are matched without case,
// hyphens or underscores, so "Shift_JIS", "shift-jis" and "SJIS" are one charset.
func Lookup(name string) (Kind, error) {
	n := strings.NewReplacer("-", "", "_", "").Replace(strings.ToUpper(strings.TrimSpace(name)))
	switch n {
	case "", "UTF8":
		return UTF8, nil
	case "ASCII", "USASCII":
		return ASCII, nil
	case "EUCJP":
		return EUCJP, nil
	case "SJIS", "SHIFTJIS", "WINDOWS31J", "CP932", "MS932":
		return ShiftJIS, nil
	case "GB2312", "GBK", "EUCCN", "CP936":
		return GB, nil
	}
	return 0, fmt.Errorf("unsupported charset %q (supported: EUC-JP, SJIS/Shift_JIS, ASCII, GB2312, UTF-8)", name)
}

// Name spells k as a script's charset attribute does: "UTF-8", "ASCII", "EUC-JP", "SJIS" or
// "GB2312".
func (k Kind) Name() string {
	switch k {
	case ASCII:
		return "ASCII"
	case EUCJP:
		return "EUC-JP"
	case ShiftJIS:
		return "SJIS"
	case GB:
		return "GB2312"
	}
	return "UTF-8"
}

func (k Kind) Encoding() encoding.Encoding {
	switch k {
	case EUCJP:
		return japanese.EUCJP
	case ShiftJIS:
		return japanese.ShiftJIS
	case GB:
		return simplifiedchinese.GBK
	}
	return nil
}

// Encode converts UTF-8 text, such as a script's content, to the named charset. Unlike XML
// text there is no escape for a character the charset cannot hold: that is an error.
func Encode(name, text string) ([]byte, error) {
	kind, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	switch kind {
	case UTF8:
		return []byte(text), nil
	case ASCII:
		for i := 0; i < len(text); i++ {
			if text[i] >= utf8.RuneSelf {
				return nil, fmt.Errorf("%q is not ASCII text", text[i:min(len(text), i+8)])
			}
		}
		return []byte(text), nil
	}
	out, err := kind.Encoding().NewEncoder().Bytes([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("text cannot be written in %s: %w", name, err)
	}
	return out, nil
}

// Decode converts bytes in the named charset to UTF-8 text, failing unless the conversion
// is exact: Encode of the result gives b back.
func Decode(name string, b []byte) (string, error) {
	kind, err := Lookup(name)
	if err != nil {
		return "", err
	}
	var text string
	switch kind {
	case UTF8, ASCII:
		text = string(b)
	default:
		out, err := kind.Encoding().NewDecoder().Bytes(b)
		if err != nil {
			return "", fmt.Errorf("not %s text: %w", name, err)
		}
		text = string(out)
	}
	back, err := Encode(name, text)
	if err != nil || !bytes.Equal(back, b) || !utf8.ValidString(text) {
		return "", fmt.Errorf("not %s text", name)
	}
	return text, nil
}
