package clpconf

import "testing"

func BenchmarkParseEncodeDiff(b *testing.B) {
	data, err := readBenchFile()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		doc, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Encode(doc); err != nil {
			b.Fatal(err)
		}
		if len(Diff(doc, doc)) != 0 {
			b.Fatal("self diff")
		}
	}
}
