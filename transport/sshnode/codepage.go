package sshnode

import (
	"bytes"
	"fmt"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/clusterctl/cluster/transport"
)

// Console code pages a Windows node's output is decoded from (Microsoft, "Code Page
// Identifiers"): 437 OEM United States, 932 Japanese (Shift-JIS), 936 Simplified Chinese
// (GBK), 65001 UTF-8.
var codePages = map[int]encoding.Encoding{
	437:   charmap.CodePage437,
	932:   japanese.ShiftJIS,
	936:   simplifiedchinese.GBK,
	65001: nil, // UTF-8: nothing to convert
}

// consoleDecoder returns what turns a Windows program's output into the UTF-8 text with LF
// line ends that providers parse: the bytes decoded from code page cp (0: 65001), then every
// CR LF made LF. Bytes the code page does not define become U+FFFD.
func consoleDecoder(cp int) (func([]byte) []byte, error) {
	if cp == 0 {
		cp = 65001
	}
	enc, ok := codePages[cp]
	if !ok {
		return nil, fmt.Errorf("code page %d is not supported (use one of %v)", cp, transport.CodePages)
	}
	return func(b []byte) []byte {
		if len(b) == 0 {
			return b
		}
		if enc != nil {
			if d, err := enc.NewDecoder().Bytes(b); err == nil {
				b = d
			}
		}
		return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	}, nil
}
