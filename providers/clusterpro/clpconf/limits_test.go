package clpconf

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// nested returns a clp.conf whose <root> holds elements nested depth deep, padded with
// whitespace to at least size bytes.
func nested(depth, size int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="ASCII"?>` + "\n<root>")
	b.WriteString(strings.Repeat("<a>", depth))
	b.WriteString(strings.Repeat("</a>", depth))
	if pad := size - b.Len() - len("</root>\n"); pad > 0 {
		b.WriteString(strings.Repeat(" ", pad))
	}
	b.WriteString("</root>\n")
	return b.Bytes()
}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func wantLimit(t *testing.T, err error, limit, message string) {
	t.Helper()
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != limit {
		t.Fatalf("err = %v; want a %s LimitError", err, limit)
	}
	if !strings.Contains(err.Error(), message) {
		t.Errorf("error %q does not name the limit (%q)", err, message)
	}
}

func TestParseRefusesDeepNesting(t *testing.T) {
	data := nested(100_000, 1<<20) // 1 MB, nested 100,000 deep
	var err error
	start := time.Now()
	alloc := allocated(func() { _, err = Parse(data) })
	wantLimit(t, err, "depth", "maximum nesting depth of 64")
	if !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %q does not say where", err)
	}
	// Figures only (see BenchmarkParseHostile): a timed assertion would be flaky.
	t.Logf("refused %d bytes nested 100000 deep in %v, %d KB allocated", len(data), time.Since(start), alloc>>10)
}

func TestParseAcceptsUpToTheLimits(t *testing.T) {
	// <root> is depth 1: MaxDepth-1 more levels are accepted, one more is not.
	if _, err := Parse(nested(MaxDepth-1, 0)); err != nil {
		t.Fatalf("depth %d refused: %v", MaxDepth, err)
	}
	_, err := Parse(nested(MaxDepth, 0))
	wantLimit(t, err, "depth", "maximum nesting depth")
}

func TestParseRefusesTooLarge(t *testing.T) {
	_, err := Parse(nested(1, MaxSize+1))
	wantLimit(t, err, "size", "maximum size of 16777216 bytes (16 MiB)")
	if _, err := Parse(nested(1, MaxSize)); err != nil {
		t.Errorf("a file of exactly MaxSize refused: %v", err)
	}
}

func TestParseRefusesTooManyElements(t *testing.T) {
	elements := `<root>` + strings.Repeat("<a/>", MaxElements) + `</root>`
	_, err := Parse([]byte(elements))
	wantLimit(t, err, "elements", "maximum element count of 200000")

	// Attributes count too: 1,000 elements with 200 attributes each.
	var b strings.Builder
	b.WriteString("<root>")
	for range 1000 {
		b.WriteString("<a")
		for j := range 200 {
			fmt.Fprintf(&b, ` x%d=""`, j)
		}
		b.WriteString("/>")
	}
	b.WriteString("</root>")
	_, err = Parse([]byte(b.String()))
	wantLimit(t, err, "elements", "maximum element count")

	if _, err := Parse([]byte(`<root>` + strings.Repeat("<a/>", MaxElements-1) + `</root>`)); err != nil {
		t.Errorf("%d elements refused: %v", MaxElements, err)
	}
}

func TestParseRefusesLongPaths(t *testing.T) {
	long := strings.Repeat("k", 300)
	var b strings.Builder
	b.WriteString("<root>")
	for range 4 {
		fmt.Fprintf(&b, `<g name="%s">`, long)
	}
	b.WriteString(strings.Repeat("</g>", 4) + "</root>")
	_, err := Parse([]byte(b.String()))
	wantLimit(t, err, "path length", "maximum path length of 512 bytes")

	_, err = Parse([]byte(`<root><a ` + strings.Repeat("x", 1100) + `="1"/></root>`))
	wantLimit(t, err, "path length", "maximum path length")
}

// A text split into many pieces (by comments) is collected once, not copied for each piece.
func TestParseLongSplitTextIsLinear(t *testing.T) {
	data := []byte("<root><a>" + strings.Repeat("x<!---->", 100_000) + "</a></root>")
	var doc *Document
	var err error
	alloc := allocated(func() { doc, err = Parse(data) })
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Root.Children[0].Text; len(got) != 100_000 {
		t.Fatalf("text of %d bytes, want 100000", len(got))
	}
	if alloc > 64<<20 {
		t.Errorf("parsing %d bytes allocated %d MB; want it linear (under 64 MB)", len(data), alloc>>20)
	}
}

// deepTree builds what Parse refuses, to check that comparing stays linear in depth anyway.
func deepTree(depth int) *Document {
	d := New("", Style{})
	cur := d.Root
	for i := range depth {
		c := &Element{Name: "a", Attrs: []Attr{{Name: "name", Value: "k"}}}
		if i == depth-1 {
			c.Text = "leaf"
		}
		cur.Children = []*Element{c}
		cur = c
	}
	return d
}

func TestDiffAndCanonicaliseAreLinearInDepth(t *testing.T) {
	const depth = 20_000 // quadratic code allocated 16 GB here
	a, b := deepTree(depth), deepTree(depth)
	b.Root.Find(strings.Repeat("a[k]/", depth-1) + "a[k]").Text = "changed"
	var diffs []Difference
	alloc := allocated(func() {
		canonicalise(a.Root)
		diffs = Diff(a, b)
	})
	if len(diffs) != 1 || diffs[0].Kind != Changed || diffs[0].After != "changed" || !strings.HasSuffix(diffs[0].Path, "a[k]/a[k]") {
		t.Fatalf("Diff of deep trees = %.200v", diffs)
	}
	if alloc > 64<<20 {
		t.Errorf("canonicalising and comparing %d-deep trees allocated %d MB; want it linear (under 64 MB)", depth, alloc>>20)
	}
}

// BenchmarkParseHostile reports what refusing hostile files costs.
func BenchmarkParseHostile(b *testing.B) {
	cases := []struct {
		name string
		data []byte
	}{
		{"nested-100000-deep-1MB", nested(100_000, 1<<20)},
		{"200001-elements", []byte(`<root>` + strings.Repeat("<a/>", MaxElements+1) + `</root>`)},
		{"16MiB+1", nested(1, MaxSize+1)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				if _, err := Parse(c.data); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}

// BenchmarkDiffDeep compares two 20,000-deep trees (beyond what Parse accepts).
func BenchmarkDiffDeep(b *testing.B) {
	x, y := deepTree(20_000), deepTree(20_000)
	b.ReportAllocs()
	for b.Loop() {
		if len(Diff(x, y)) != 0 {
			b.Fatal("differences")
		}
	}
}
