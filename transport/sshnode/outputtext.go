package sshnode

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// outputText is a node's raw output (a failed POSIX script's stderr, a shell's refusal) as an
// error message may quote it: UTF-8 text as it is, else decoded from the node's configured
// code_page (a Windows node reached as posix, whose cmd.exe answers in its console code page),
// with CR LF made LF. Bytes that are neither are not pasted raw into the message (mojibake):
// a note says how many there were and which setting reads them.
func (n *Node) outputText(b []byte) string {
	if utf8.Valid(b) {
		return string(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")))
	}
	if n.codePage != 0 {
		if decode, err := consoleDecoder(n.codePage); err == nil {
			return string(decode(b))
		}
	}
	return fmt.Sprintf("(%d bytes of output that are not UTF-8 text: set code_page to the node's console code page to read them)", len(b))
}
