package clpconf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// referenceFiles are clp.conf files saved by the vendor's WebUI (see testdata/reference).
var referenceFiles = []string{
	"linux-md-exec-current.clp.conf",
	"linux-md-exec-previous.clp.conf",
	"windows-2nodes-mirror.clp.conf",
}

func readReference(t *testing.T, name string) ([]byte, *Document) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "reference", name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return data, doc
}

// The vendor's own files must come back byte for byte: layout, charset and objectnumber are
// all reproduced, so rewriting an untouched file is a no-op on the node.
func TestReferenceRoundTripIsByteExact(t *testing.T) {
	for _, name := range referenceFiles {
		t.Run(name, func(t *testing.T) {
			data, doc := readReference(t, name)
			out, err := Encode(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("Encode(Parse(file)) differs from the file:\n%s", cmp.Diff(string(data), string(out)))
			}
			again, err := Parse(out)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(doc, again); diff != "" {
				t.Errorf("parse -> encode -> parse changed the tree (-first +second):\n%s", diff)
			}
			if diffs := Diff(doc, again); len(diffs) != 0 {
				t.Errorf("Diff after round trip: %v", diffs)
			}
		})
	}
}

func TestReferenceObjectNumberMatchesFormula(t *testing.T) {
	want := map[string]int{
		// 4 + 2 servers + 2 groups + 3 resources + 6 monitors + 2 × (1 hb + 0 np)
		"linux-md-exec-current.clp.conf": 19,
		// 4 + 2 + 1 + 2 + 4 + 2 × (1 + 0)
		"linux-md-exec-previous.clp.conf": 15,
		// 4 + 2 + 1 + 2 + 4 + 2 × (2 hb + 1 pingnp)
		"windows-2nodes-mirror.clp.conf": 19,
	}
	for _, name := range referenceFiles {
		_, doc := readReference(t, name)
		stored, ok := doc.StoredObjectNumber()
		if !ok {
			t.Fatalf("%s: no objectnumber", name)
		}
		if got := doc.ObjectNumber(); got != want[name] || stored != want[name] {
			t.Errorf("%s: ObjectNumber() = %d, stored %d, want %d", name, got, stored, want[name])
		}
	}
}

func TestReferenceStyleDetected(t *testing.T) {
	want := map[string]Style{
		"linux-md-exec-current.clp.conf":  {},
		"linux-md-exec-previous.clp.conf": {CRLF: true},
		"windows-2nodes-mirror.clp.conf":  {SpaceSelfClose: true, FinalNewline: true},
	}
	for _, name := range referenceFiles {
		_, doc := readReference(t, name)
		if diff := cmp.Diff(want[name], doc.Style); diff != "" {
			t.Errorf("%s style (-want +got):\n%s", name, diff)
		}
	}
}

// The previous and current Linux files are the same cluster before and after the WebUI added
// group failover2 with md2 and its monitors; Diff must report exactly that, and not the
// trekking or objectnumber churn of the save.
func TestReferenceDiffPreviousToCurrent(t *testing.T) {
	_, prev := readReference(t, "linux-md-exec-previous.clp.conf")
	_, cur := readReference(t, "linux-md-exec-current.clp.conf")
	var got []string
	for _, d := range Diff(prev, cur) {
		got = append(got, d.Kind.String()+" "+d.Path)
	}
	want := []string{
		"added group[failover2]",
		"added monitor/mdnw[mdnw2]",
		"added monitor/mdw[mdw2]",
		"added resource/md[md2]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff(previous, current) (-want +got):\n%s", diff)
	}
}

func readBenchFile() ([]byte, error) {
	return os.ReadFile(filepath.Join("testdata", "reference", "linux-md-exec-current.clp.conf"))
}
