package clpconf

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNonASCIIFilesRoundTrip(t *testing.T) {
	tests := map[string]struct {
		file    string
		charset string
		comment string
		group   string
		style   Style
	}{
		"EUC-JP": {file: "eucjp.clp.conf", charset: "EUC-JP", comment: "本番系クラスタ（メール）", group: "業務グループ", style: Style{FinalNewline: true}},
		"SJIS":   {file: "sjis.clp.conf", charset: "SJIS", comment: "本番系クラスタ（メール）", group: "業務グループ", style: Style{CRLF: true, FinalNewline: true}},
		"GB2312": {file: "gb2312.clp.conf", charset: "GB2312", comment: "生产集群", style: Style{FinalNewline: true}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Charset != tt.charset || doc.Style != tt.style {
				t.Errorf("charset %q style %+v, want %q %+v", doc.Charset, doc.Style, tt.charset, tt.style)
			}
			if got := doc.ClusterComment(); got != tt.comment {
				t.Errorf("cluster comment = %q, want %q", got, tt.comment)
			}
			if tt.group != "" {
				groups, err := doc.Groups()
				if err != nil {
					t.Fatal(err)
				}
				if groups[0].Comment != tt.group {
					t.Errorf("group comment = %q, want %q", groups[0].Comment, tt.group)
				}
			}
			out, err := Encode(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("Encode(Parse(file)) is not byte-identical:\n got %q\nwant %q", out, data)
			}
		})
	}
}

// Text the charset cannot hold is written as character references and read back unchanged.
func TestUnrepresentableCharactersBecomeReferences(t *testing.T) {
	for _, charset := range []string{"ASCII", "EUC-JP", "SJIS", "GB2312", "UTF-8"} {
		t.Run(charset, func(t *testing.T) {
			doc := New(charset, Style{})
			comment := "mail 本番 🚀 Ω <&>"
			doc.SetCluster("c", comment)
			out, err := Encode(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="`+charset+`"?>`)) {
				t.Errorf("declaration: %q", out[:50])
			}
			back, err := Parse(out)
			if err != nil {
				t.Fatalf("Parse(Encode): %v\n%s", err, out)
			}
			if got := back.ClusterComment(); got != comment {
				t.Errorf("comment = %q, want %q", got, comment)
			}
			if charset == "ASCII" && bytes.ContainsFunc(out, func(r rune) bool { return r >= 0x80 }) {
				t.Errorf("ASCII output holds non-ASCII bytes: %q", out)
			}
		})
	}
}

func TestCharsetErrors(t *testing.T) {
	tests := map[string]struct {
		data string
		want string
	}{
		"unknown charset":      {data: `<?xml version="1.0" encoding="KOI8-R"?><root/>`, want: "unsupported charset"},
		"ASCII with high byte": {data: "<?xml version=\"1.0\" encoding=\"ASCII\"?><root><c>\xb0\xa1</c></root>", want: "declares ASCII"},
		"two roots":            {data: `<root/><root/>`, want: ""},
		"empty":                {data: ``, want: "no root element"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data))
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
	if _, err := Encode(New("KOI8-R", Style{})); err == nil {
		t.Error("Encode with an unknown charset succeeded")
	}
}

func TestEncodeRefusesWhatXMLCannotCarry(t *testing.T) {
	tests := map[string]func(*Document){
		"control character": func(d *Document) { d.SetCluster("a\x01b", "") },
		"invalid UTF-8":     func(d *Document) { d.SetCluster("a\xffb", "") },
		"bad element name":  func(d *Document) { d.Root.Append(NewElement("a b", "")) },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			doc := New("UTF-8", Style{})
			mutate(doc)
			if _, err := Encode(doc); err == nil {
				t.Error("Encode succeeded")
			}
		})
	}
}

func TestEncodeKeepsSignificantWhitespaceAndEscapes(t *testing.T) {
	doc := New("UTF-8", Style{})
	el := doc.Root.Set("x", "line1\r\nline2 \"q\"")
	el.SetAttr("a", "tab\there\nnl \"q\" <&>")
	out, err := Encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	got := back.Root.Find("x")
	if got.Text != el.Text {
		t.Errorf("text = %q, want %q", got.Text, el.Text)
	}
	if v, _ := got.Attr("a"); v != "tab\there\nnl \"q\" <&>" {
		t.Errorf("attr = %q", v)
	}
}
