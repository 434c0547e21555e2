package clusterpro

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

// vendorFiles lists clp.conf files saved by the vendor's own tools: the three references and
// the corpus gathered from the vendor's public repositories (testdata/vendor/clp.conf/SOURCES.md).
func vendorFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"clpconf/testdata/reference/*.clp.conf", "../../testdata/vendor/clp.conf/*.clp.conf"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 3 {
		t.Fatalf("found %d vendor files, want the 3 references at least", len(files))
	}
	return files
}

// TestDecodeRenderRoundTrip: every vendor file decodes into the model, and rendering that model
// gives the file back, semantically (order, whitespace, encoding and bookkeeping aside).
func TestDecodeRenderRoundTrip(t *testing.T) {
	// Also the charset fixtures: Japanese and Chinese text decoded, then written back in the
	// file's own charset.
	charsets, err := filepath.Glob("clpconf/testdata/*.clp.conf")
	if err != nil || len(charsets) == 0 {
		t.Fatalf("charset fixtures: %v", err)
	}
	for _, path := range append(vendorFiles(t), charsets...) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := clpconf.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Decode("cluster", doc, nil)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			out, err := DesiredConf(c)
			if err != nil {
				t.Fatalf("DesiredConf: %v", err)
			}
			if diffs := clpconf.Diff(doc, out); len(diffs) > 0 {
				var lines []string
				for _, d := range diffs {
					lines = append(lines, d.String())
				}
				t.Errorf("%d differences after decode and render:\n%s", len(diffs), strings.Join(lines, "\n"))
			}
		})
	}
}
