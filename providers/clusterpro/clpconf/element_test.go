package clpconf

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitPath(t *testing.T) {
	tests := map[string][]segment{
		"a":                    {{name: "a"}},
		"a/b[x]/c":             {{name: "a"}, {name: "b", key: "x", keyed: true}, {name: "c"}},
		"resource[fip@fip1]":   {{name: "resource", key: "fip@fip1", keyed: true}},
		"key[HKLM/SOFT]/value": {{name: "key", key: "HKLM/SOFT", keyed: true}, {name: "value"}},
		"":                     nil,
	}
	for in, want := range tests {
		if diff := cmp.Diff(want, splitPath(in), cmp.AllowUnexported(segment{})); diff != "" {
			t.Errorf("splitPath(%q) (-want +got):\n%s", in, diff)
		}
	}
}

func TestEnsureChoosesKeyAttribute(t *testing.T) {
	root := NewElement("root", "")
	root.Ensure("server[sv1]/device[400]")
	root.Ensure("server[sv1]/device[400]") // found, not duplicated
	want := &Element{Name: "root", Children: []*Element{{
		Name: "server", Attrs: []Attr{{Name: "name", Value: "sv1"}},
		Children: []*Element{{Name: "device", Attrs: []Attr{{Name: "id", Value: "400"}}}},
	}}}
	if diff := cmp.Diff(want, root); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if v, ok := root.Value("server[sv1]/device[400]"); !ok || v != "" {
		t.Errorf("Value = %q, %v", v, ok)
	}
	if root.Find("server[sv2]") != nil {
		t.Error("Find matched the wrong key")
	}
}

func TestMissingPrefix(t *testing.T) {
	root := NewElement("root", "")
	root.Ensure("server[sv1]/device[400]/info")
	root.Ensure("key[HKLM/SOFT]/value")
	for path, want := range map[string]string{
		"server[sv1]/device[400]/info":   "",
		"server[sv1]/device[401]/info":   "server[sv1]/device[401]",
		"server[sv2]/device[400]":        "server[sv2]",
		"key[HKLM/SOFT]/value/x":         "key[HKLM/SOFT]/value/x",
		"key[HKLM/SOFT]/other":           "key[HKLM/SOFT]/other",
		"key[HKLM/HARD]/value":           "key[HKLM/HARD]",
		"webmgr/client/objectnumber":     "webmgr",
		"server[sv1]/device[400]/info/a": "server[sv1]/device[400]/info/a",
	} {
		if got := root.MissingPrefix(path); got != want {
			t.Errorf("MissingPrefix(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestRemove(t *testing.T) {
	root := NewElement("root", "")
	root.Ensure("server[sv1]")
	root.Ensure("server[sv2]/device[400]")
	if root.Remove("server[sv3]") || root.Remove("server[sv2]/device[401]") {
		t.Error("Remove reported an element that does not exist")
	}
	if !root.Remove("server[sv2]/device[400]") || root.Find("server[sv2]/device[400]") != nil || root.Find("server[sv2]") == nil {
		t.Error("Remove did not remove exactly server[sv2]/device[400]")
	}
	if !root.Remove("server[sv1]") || root.Find("server[sv1]") != nil || root.Find("server[sv2]") == nil {
		t.Error("Remove did not remove exactly server[sv1]")
	}
}
