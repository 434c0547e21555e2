package views

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/charset"
	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
)

func mustEncode(t *testing.T, cs, text string) string {
	t.Helper()
	b, err := charset.Encode(cs, text)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A script kept in Shift_JIS or EUC-JP is shown as text, decoded line by line from its charset;
// a line that does not decode is a note, never its raw bytes.
func TestTextDiffDecodesFromTheCharset(t *testing.T) {
	const old, msg = "ARMBCAST /MSG \"起動中\" /A", "ARMBCAST /MSG \"最高プライオリティサーバで起動中です\" /A"
	const header = "--- scripts/g/e/start.bat (observed)\n+++ scripts/g/e/start.bat (desired)\n"
	tests := map[string]struct {
		t    planner.TextDiff
		want string
	}{
		"SJIS": {
			planner.TextDiff{Path: "scripts/g/e/start.bat", Charset: "SJIS",
				Before: mustEncode(t, "SJIS", "@echo off\r\n"+old+"\r\n"), After: mustEncode(t, "SJIS", "@echo off\r\n"+msg+"\r\n")},
			header + "@@ -1,2 +1,2 @@\n @echo off\n-" + old + "\n+" + msg + "\n",
		},
		"EUC-JP": {
			planner.TextDiff{Path: "scripts/g/e/start.bat", Charset: "EUC-JP",
				Before: mustEncode(t, "EUC-JP", old+"\n"), After: mustEncode(t, "EUC-JP", msg+"\n")},
			header + "@@ -1 +1 @@\n-" + old + "\n+" + msg + "\n",
		},
		"a node's UTF-8 line in an SJIS file does not decode": {
			planner.TextDiff{Path: "scripts/g/e/start.bat", Charset: "SJIS",
				Before: "\xe8\xb5\xb7\x82\n", After: mustEncode(t, "SJIS", msg+"\n")},
			header + "@@ -1 +1 @@\n-(4 bytes that are not SJIS text: not shown)\n+" + msg + "\n",
		},
		"undeclared charset, bytes that are not UTF-8": {
			planner.TextDiff{Path: "scripts/g/e/start.bat", Before: "a\n", After: mustEncode(t, "SJIS", "起動\n")},
			header + "@@ -1 +1 @@\n-a\n+(4 bytes that are not UTF-8 text: not shown)\n",
		},
		"ASCII": {
			planner.TextDiff{Path: "scripts/g/e/start.bat", Charset: "ASCII", Before: "a\n", After: "\x82\xa0\n"},
			header + "@@ -1 +1 @@\n-a\n+(2 bytes that are not ASCII text: not shown)\n",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, formatDiff(textDiff(tc.t))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Every view of a plan shows a Shift_JIS script's Japanese text, and the JSON output carries it
// as text, not as U+FFFD.
func TestPlanViewsShowShiftJISText(t *testing.T) {
	const msg = "最高プライオリティサーバで起動中です"
	p := &planner.Plan{Changes: []planner.Change{{Addr: addrs.Resource("g", "exec", "e"), Action: planner.Update,
		Texts: []planner.TextDiff{{Path: "scripts/g/e/start.bat", Charset: "SJIS",
			Before: mustEncode(t, "SJIS", "@echo off\r\n"), After: mustEncode(t, "SJIS", "@echo off\r\nARMBCAST /MSG \""+msg+"\" /A\r\n")}}}}}
	for name, v := range map[string]func(*bytes.Buffer) PlanView{
		"human":    func(b *bytes.Buffer) PlanView { return NewPlanHuman(b, false) },
		"json":     func(b *bytes.Buffer) PlanView { return NewPlanJSON(b) },
		"markdown": func(b *bytes.Buffer) PlanView { return NewPlanMarkdown(b) },
	} {
		var b bytes.Buffer
		if err := v(&b).Plan(p); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if name == "json" {
			var doc any
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			re, _ := json.Marshal(doc)
			out = string(re)
		}
		if !strings.Contains(out, msg) || strings.ContainsRune(out, '\uFFFD') {
			t.Errorf("%s view does not show the Japanese text:\n%s", name, out)
		}
	}
}
