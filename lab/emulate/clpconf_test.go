package emulate

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestParseClpConf(t *testing.T) {
	data, err := os.ReadFile("testdata/web.clp.conf")
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseClpConf(data)
	if err != nil {
		t.Fatal(err)
	}
	want := clpConf{
		Cluster: "web",
		Servers: []string{"sv1", "sv2", "sv3"},
		Groups: []clpGroup{
			{Name: "web", Policy: []string{"sv1", "sv2", "sv3"}, Resources: []string{"exec1"}},
			{Name: "db", Policy: []string{"sv2", "sv1"}},
			{Name: "any", Policy: []string{"sv1", "sv2", "sv3"}},
		},
		Monitors: []string{"userw", "genw1"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parse (-want +got):\n%s", diff)
	}
}

func TestParseClpConfEncodings(t *testing.T) {
	cases := map[string]struct {
		label string
		enc   encoding.Encoding
		name  string
	}{
		"EUC-JP":    {"EUC-JP", japanese.EUCJP, "クラスタ"},
		"Shift_JIS": {"SJIS", japanese.ShiftJIS, "クラスタ"},
		"GB2312":    {"GB2312", simplifiedchinese.GBK, "集群"},
		// Other spellings charset.Lookup accepts: the reader takes every one of them.
		"MS932":     {"MS932", japanese.ShiftJIS, "クラスタ"},
		"shift-jis": {"shift-jis", japanese.ShiftJIS, "クラスタ"},
		"CP936":     {"CP936", simplifiedchinese.GBK, "集群"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			text := `<?xml version="1.0" encoding="` + tc.label + `"?><root><cluster><name>` + tc.name +
				`</name></cluster><server name="a"/></root>`
			data, err := tc.enc.NewEncoder().String(text)
			if err != nil {
				t.Fatal(err)
			}
			if data == text {
				t.Fatal("encoding did not change the bytes: the test would prove nothing")
			}
			got, err := parseClpConf([]byte(data))
			if err != nil {
				t.Fatal(err)
			}
			if got.Cluster != tc.name || len(got.Servers) != 1 {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestParseClpConfRejects(t *testing.T) {
	for name, text := range map[string]string{
		"unknown encoding": `<?xml version="1.0" encoding="KOI8-R"?><root/>`,
		"unnamed server":   `<root><server/></root>`,
		"not xml":          `clp.conf`,
	} {
		if _, err := parseClpConf([]byte(text)); err == nil {
			t.Errorf("%s: parsed without error", name)
		} else if !strings.Contains(err.Error(), "clp.conf") {
			t.Errorf("%s: error %q does not name clp.conf", name, err)
		}
	}
}
