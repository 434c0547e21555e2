package charset

import "testing"

func TestLookupAliases(t *testing.T) {
	for _, label := range []string{"Shift_JIS", "shift-jis", "SJIS", "windows-31j", "euc-jp", "EUC-JP", "us-ascii", "gb2312", "utf-8", ""} {
		if _, err := Lookup(label); err != nil {
			t.Errorf("Lookup(%q): %v", label, err)
		}
	}
	if _, err := Lookup("KOI8-R"); err == nil {
		t.Error("Lookup(KOI8-R) succeeded")
	}
}

// Encode and Decode are exact inverses for text the charset holds, and refuse the rest.
func TestEncodeDecode(t *testing.T) {
	const text = "業務を開始する\r\nARMLOAD W3SVC\r\n"
	for _, name := range []string{"SJIS", "EUC-JP", "UTF-8"} {
		b, err := Encode(name, text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := Decode(name, b)
		if err != nil || back != text {
			t.Errorf("%s: Decode(Encode(text)) = %q, %v", name, back, err)
		}
	}
	if _, err := Encode("ASCII", text); err == nil {
		t.Error("ASCII encoded Japanese text")
	}
	if _, err := Decode("SJIS", []byte{0x82}); err == nil {
		t.Error("a truncated SJIS byte decoded")
	}
}

// Every kind's name looks up as that kind, so a name written from a kind reads back.
func TestNameLooksUpItsKind(t *testing.T) {
	for _, k := range []Kind{UTF8, ASCII, EUCJP, ShiftJIS, GB} {
		if got, err := Lookup(k.Name()); err != nil || got != k {
			t.Errorf("Lookup(%q) = %v, %v; want %v", k.Name(), got, err, k)
		}
	}
}
