package sshnode

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A failed POSIX script's error output is quoted as text: UTF-8 as it is, the node's code page
// decoded, CR LF made LF, and never raw bytes of another charset.
func TestScriptErrorQuotesOutputAsText(t *testing.T) {
	// "'sh' は、内部コマンドまたは" in code page 932, as cmd.exe on a Japanese Windows prints it.
	cp932 := []byte("'sh' \x82\xcd\x81A\x93\xe0\x95\x94\x83R\x83}\x83\x93\x83h\x82\xdc\x82\xbd\x82\xcd\r\nnext\r\n")
	tests := []struct {
		name     string
		codePage int
		out      []byte
		want     string
	}{
		{"utf-8", 0, []byte("sh: 1: syntax error\r\n"), "sv1: batch failed (exit 2): sh: 1: syntax error"},
		{"code page 932", 932, cp932, "sv1: batch failed (exit 2): 'sh' は、内部コマンドまたは\nnext"},
		{"unknown code page", 0, cp932, "sv1: batch failed (exit 2): (35 bytes of output that are not UTF-8 text: set code_page to the node's console code page to read them)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := &Node{name: "sv1", codePage: tt.codePage}
			got := scriptError(n.name, "batch", 2, n.outputText(tt.out), nil).Error()
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if !utf8.ValidString(got) || strings.Contains(got, "\r") {
				t.Errorf("%q is not UTF-8 text without CR", got)
			}
		})
	}
}

// A probe answer that is neither shell's is quoted decoded from the node's code page.
func TestAnsweredNeitherQuotesTheAnswerDecoded(t *testing.T) {
	n := &Node{name: "sv1", shell: "cmd", codePage: 932}
	// "アクセスが拒否されました。" in code page 932, with CRLF.
	answer := []byte("\x83A\x83N\x83Z\x83X\x82\xaa\x8b\x91\x94\xdb\x82\xb3\x82\xea\x82\xdc\x82\xb5\x82\xbd\x81B\r\n")
	got := n.answeredNeither(`"C:\x.exe"`, 5, answer).Error()
	if !strings.Contains(got, "(exit 5: アクセスが拒否されました。)") || strings.Contains(got, "\r") {
		t.Errorf("got %q; want cmd.exe's answer decoded, without CR", got)
	}
}
