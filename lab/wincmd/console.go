package wincmd

import (
	"fmt"
	"io"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// CodePage is a Windows console (OEM) code page: what a program writing to a pipe or console
// on that node prints in. A Japanese Windows uses 932 (Shift_JIS as Microsoft extends it,
// x/text's japanese.ShiftJIS "also known as Code Page 932 and Windows-31J"), an English one
// 437; 65001 is UTF-8.
type CodePage int

// The code pages a lab node may have.
const (
	CP437   CodePage = 437
	CP932   CodePage = 932
	CP65001 CodePage = 65001
)

// ParseCodePage checks a code page number.
func ParseCodePage(n int) (CodePage, error) {
	switch CodePage(n) {
	case CP437, CP932, CP65001:
		return CodePage(n), nil
	}
	return 0, fmt.Errorf("code page %d is not emulated (use 437, 932 or 65001)", n)
}

func (cp CodePage) encoding() encoding.Encoding {
	switch cp {
	case CP932:
		return japanese.ShiftJIS
	case CP437:
		return charmap.CodePage437
	}
	return encoding.Nop
}

// Console wraps w so that what is written in UTF-8 with LF line ends (the emulated programs'
// output) comes out as a Windows console program's does: CRLF line ends, in the code page.
// Characters the code page lacks become its replacement character, as WideCharToMultiByte's
// default does. Close flushes.
func (cp CodePage) Console(w io.Writer) io.WriteCloser {
	enc := encoding.ReplaceUnsupported(cp.encoding().NewEncoder())
	return transform.NewWriter(w, transform.Chain(&crlf{}, enc))
}

// Decode turns bytes in the code page into UTF-8 (for tests and tools reading a node).
func (cp CodePage) Decode(b []byte) (string, error) {
	out, _, err := transform.Bytes(cp.encoding().NewDecoder(), b)
	return string(out), err
}

// crlf turns a LF not preceded by CR into CRLF.
type crlf struct{ prevCR bool }

func (c *crlf) Reset() { c.prevCR = false }

func (c *crlf) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		need := 1
		if b == '\n' && !c.prevCR {
			need = 2
		}
		if nDst+need > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		if need == 2 {
			dst[nDst] = '\r'
			nDst++
		}
		dst[nDst] = b
		nDst++
		nSrc++
		c.prevCR = b == '\r'
	}
	return nDst, nSrc, nil
}
