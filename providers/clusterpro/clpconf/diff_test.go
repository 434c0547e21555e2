package clpconf

import (
	"bytes"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func reverseAll(e *Element) {
	slices.Reverse(e.Children)
	slices.Reverse(e.Attrs)
	for _, c := range e.Children {
		reverseAll(c)
	}
}

func TestDiffIgnoresWhatCarriesNoSetting(t *testing.T) {
	tests := map[string]func(d *Document){
		"sibling order everywhere": func(d *Document) { reverseAll(d.Root) },
		"trekking":                 func(d *Document) { d.Root.Set("trekking/configid", "1.2"); d.Root.Set("trekking/new", "x") },
		"no trekking": func(d *Document) {
			d.Root.Children = slices.DeleteFunc(d.Root.Children, func(e *Element) bool { return e.Name == "trekking" })
		},
		"uuid":         func(d *Document) { d.Root.Set("cluster/uuid", "00000000-0000-0000-0000-000000000000") },
		"objectnumber": func(d *Document) { d.Root.Set("webmgr/client/objectnumber", "99") },
		"no webmgr": func(d *Document) {
			d.Root.Children = slices.DeleteFunc(d.Root.Children, func(e *Element) bool { return e.Name == "webmgr" })
		},
		"file charset and layout": func(d *Document) { d.Charset = "UTF-8"; d.Style = Style{CRLF: true, SpaceSelfClose: true} },
		"whitespace around text":  func(d *Document) { d.Root.Set("cluster/name", "\n  cluster  \n") },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			_, a := readReference(t, "windows-2nodes-mirror.clp.conf")
			b := a.Clone()
			mutate(b)
			if diffs := Diff(a, b); len(diffs) != 0 {
				t.Errorf("Diff = %v, want none", diffs)
			}
			if !Equal(a, b) || !bytes.Equal(Canonical(a), Canonical(b)) {
				t.Error("Equal or Canonical disagree with Diff")
			}
		})
	}
}

func TestDiffReportsEachChangeOnce(t *testing.T) {
	tests := map[string]struct {
		mutate func(d *Document)
		want   []Difference
	}{
		"policy order": {
			mutate: func(d *Document) { d.Root.Find("group[failover]").Set("policy[server2]/order", "1") },
			want:   []Difference{{Path: "group[failover]/policy[server2]", Kind: Added, After: "<policy name=\"server2\"><order>1</order></policy>"}},
		},
		"fip address": {
			mutate: func(d *Document) { d.Root.Set("resource/fip[fip]/parameters/ip", "10.1.1.22") },
			want:   []Difference{{Path: "resource/fip[fip]/parameters/ip", Kind: Changed, Before: "10.1.1.21", After: "10.1.1.22"}},
		},
		"device address": {
			mutate: func(d *Document) { d.Root.Set("server[server2]/device[1]/info", "192.168.1.99") },
			want:   []Difference{{Path: "server[server2]/device[1]/info", Kind: Changed, Before: "192.168.1.12", After: "192.168.1.99"}},
		},
		"ping target": {
			mutate: func(d *Document) { d.Root.Set("networkpartition/pingnp[pingnp1]/grp[0]/list[0]/ip", "10.1.1.2") },
			want:   []Difference{{Path: "networkpartition/pingnp[pingnp1]/grp[0]/list[0]/ip", Kind: Changed, Before: "10.1.1.1", After: "10.1.1.2"}},
		},
		"removed monitor": {
			mutate: func(d *Document) {
				m := d.Root.Child("monitor")
				m.Children = slices.DeleteFunc(m.Children, func(e *Element) bool { return e.Name == "fipw" })
			},
			want: []Difference{{Path: "monitor/fipw[fipw1]", Kind: Removed, Before: `<fipw name="fipw1"><comment/><relation><name>fip</name><type>rsc</type></relation><target>fip</target></fipw>`}},
		},
		"attribute": {
			mutate: func(d *Document) { d.Root.Find("server[server1]/device[0]").SetAttr("kind", "x") },
			want:   []Difference{{Path: "server[server1]/device[0]/@kind", Kind: Added, After: "x"}},
		},
		"all charset setting": {
			mutate: func(d *Document) { d.Root.Set("all/charset", "SJIS") },
			want:   []Difference{{Path: "all/charset", Kind: Changed, Before: "ASCII", After: "SJIS"}},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, a := readReference(t, "windows-2nodes-mirror.clp.conf")
			b := a.Clone()
			tt.mutate(b)
			if diff := cmp.Diff(tt.want, Diff(a, b)); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
			if Equal(a, b) || bytes.Equal(Canonical(a), Canonical(b)) {
				t.Error("Equal or Canonical disagree with Diff")
			}
		})
	}
}

func TestDiffRepeatedUnkeyedSiblings(t *testing.T) {
	a := New("", Style{})
	a.Root.Append(NewElement("ip", "1"), NewElement("ip", "2"))
	b := a.Clone()
	b.Root.Children[1].Text = "3"
	want := []Difference{{Path: "ip#1", Kind: Changed, Before: "2", After: "3"}}
	if diff := cmp.Diff(want, Diff(a, b)); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
}

func TestCanonicalSortsNumericKeysNumerically(t *testing.T) {
	doc := New("", Style{})
	s := doc.Root.Ensure("server[s]")
	for _, id := range []string{"10200", "400", "1", "0"} {
		s.Ensure("device[" + id + "]")
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<root>
<server name="s">
<device id="0"/>
<device id="1"/>
<device id="400"/>
<device id="10200"/>
</server>
</root>
`
	got := string(bytes.ReplaceAll(Canonical(doc), []byte("  "), nil))
	if got != want {
		t.Errorf("Canonical =\n%s\nwant\n%s", got, want)
	}
}

func TestDifferenceString(t *testing.T) {
	for _, tt := range []struct {
		d    Difference
		want string
	}{
		{Difference{Path: "a/b", Kind: Changed, Before: "1", After: "2"}, `~ a/b: "1" -> "2"`},
		{Difference{Path: "g[x]", Kind: Added, After: "<g/>"}, `+ g[x]: <g/>`},
		{Difference{Path: "g[x]", Kind: Removed, Before: "<g/>"}, `- g[x]: <g/>`},
	} {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

// Every bookkeeping path fits the fixed-size path Canonical tracks.
func TestBookkeepingDepth(t *testing.T) {
	for _, names := range bookkeepingNames {
		if len(names) > bookkeepingDepth {
			t.Errorf("%v is deeper than bookkeepingDepth %d", names, bookkeepingDepth)
		}
	}
}
