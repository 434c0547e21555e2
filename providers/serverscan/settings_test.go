package serverscan

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

var standbyEntries = []Entry{
	{Name: "WinNT01", Service: "vkscan", Port: 20001, Role: RoleNormal, Connector: "10.0.0.41"},
	{Name: "WinNT02", Service: "vkscan", Port: 20001, Role: RoleNormal, Connector: "10.0.0.42"},
	{Name: "WinNT03", Service: "vkscan-standby", Port: 20002, Role: RoleStandby, Connector: "scan3.example.com"},
}

func TestRenderSettingsGolden(t *testing.T) {
	got, err := RenderSettings(standbyEntries)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "vkhost.conf", got)
}

func TestSettingsRoundTrip(t *testing.T) {
	for name, entries := range map[string][]Entry{
		"standby": standbyEntries,
		"single":  standbyEntries[:1],
		"none":    nil,
	} {
		t.Run(name, func(t *testing.T) {
			data, err := RenderSettings(entries)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseSettings(data)
			if err != nil {
				t.Fatalf("parsing what was rendered: %v\n%s", err, data)
			}
			if diff := cmp.Diff(entries, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSettings(t *testing.T) {
	cases := map[string]struct {
		in      string
		want    []Entry
		wantErr string
	}{
		"comments, blank lines, tabs and CRLF": {
			in: "# comment\r\n\r\n  WinNT01\tvkscan   20001 normal 10.0.0.41  \r\n   # indented comment\nWinNT03 vk 20002 standby h3\n",
			want: []Entry{
				{Name: "WinNT01", Service: "vkscan", Port: 20001, Role: RoleNormal, Connector: "10.0.0.41"},
				{Name: "WinNT03", Service: "vk", Port: 20002, Role: RoleStandby, Connector: "h3"},
			},
		},
		"file order is kept, standby first": {
			in: "S1 vk 2 standby h\nN1 vk 1 normal h\n",
			want: []Entry{
				{Name: "S1", Service: "vk", Port: 2, Role: RoleStandby, Connector: "h"},
				{Name: "N1", Service: "vk", Port: 1, Role: RoleNormal, Connector: "h"},
			},
		},
		"empty file":              {in: ""},
		"too few fields":          {in: "# x\nWinNT01 vkscan 20001 normal\n", wantErr: "line 2: want 5 fields"},
		"too many fields":         {in: "WinNT01 vkscan 20001 normal h extra\n", wantErr: "line 1: want 5 fields"},
		"port not number":         {in: "WinNT01 vkscan http normal h\n", wantErr: `line 1: port "http"`},
		"port zero":               {in: "WinNT01 vkscan 0 normal h\n", wantErr: `port "0"`},
		"port too large":          {in: "WinNT01 vkscan 65536 normal h\n", wantErr: `port "65536"`},
		"unknown role":            {in: "WinNT01 vkscan 1 backup h\n", wantErr: `role "backup"`},
		"role is matched exactly": {in: "WinNT01 vkscan 1 Normal h\n", wantErr: `role "Normal"`},
		"duplicate name":          {in: "A s 1 normal h\nA s 2 standby h\n", wantErr: "line 2: scan server A is already defined on line 1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ParseSettings([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenderSettingsRefusesUnwritableValues(t *testing.T) {
	ok := Entry{Name: "A", Service: "vk", Port: 1, Role: RoleNormal, Connector: "h"}
	cases := map[string]struct {
		edit func(*Entry)
		want string
	}{
		"space in service":        {func(e *Entry) { e.Service = "vk scan" }, `service "vk scan" holds whitespace`},
		"empty connector":         {func(e *Entry) { e.Connector = "" }, "connector \"\" is empty"},
		"hash in name":            {func(e *Entry) { e.Name = "#A" }, "holds '#'"},
		"newline in connector":    {func(e *Entry) { e.Connector = "h\nB x 1 normal h" }, "holds whitespace"},
		"control character":       {func(e *Entry) { e.Service = "v\x00k" }, "control character"},
		"port out of range":       {func(e *Entry) { e.Port = 70000 }, "port 70000"},
		"role not normal/standby": {func(e *Entry) { e.Role = "" }, `role ""`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := ok
			tc.edit(&e)
			_, err := RenderSettings([]Entry{e})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestPositionsCountPerRoleInStatOrder(t *testing.T) {
	entries := []Entry{
		{Name: "S1", Role: RoleStandby}, {Name: "N1", Role: RoleNormal},
		{Name: "S2", Role: RoleStandby}, {Name: "N2", Role: RoleNormal},
	}
	want := map[string]int{"N1": 1, "N2": 2, "S1": 1, "S2": 2}
	if diff := cmp.Diff(want, positions(entries)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var order []string
	for _, e := range inStatOrder(entries) {
		order = append(order, e.Name)
	}
	if diff := cmp.Diff([]string{"N1", "N2", "S1", "S2"}, order); diff != "" {
		t.Errorf("stat order (-want +got):\n%s", diff)
	}
}
