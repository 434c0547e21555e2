package planner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
)

func TestPlanFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "web.plan")
	p := samplePlan()
	if err := WritePlanFile(path, p); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := p.Redacted()
	if diff := cmp.Diff(&want, got, compareAddrs); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	// Types survive: an int64 is not read back as a float, a list as []any.
	if _, ok := got.Variables["port"].Raw.(int64); !ok {
		t.Errorf("port read back as %T", got.Variables["port"].Raw)
	}
	if same, why := Equivalent(p, got); !same {
		t.Errorf("the saved plan is not equivalent to the original: %s", why)
	}
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("plan file mode %v, want 0600", mode)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// A change's unit and held-back mark survive the plan file.
func TestPlanFileKeepsUnitAndHeldBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sg.plan")
	p := &Plan{FormatVersion: FormatVersion, Changes: []Change{
		{Addr: addrs.Member("web", "web3"), Unit: addrs.ServerGroup("web"), Action: Update, Reason: "held back: no room", HeldBack: true},
	}}
	if err := WritePlanFile(path, p); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := got.Changes[0]
	if c.Unit.String() != "server_group.web" || !c.HeldBack {
		t.Errorf("read back unit %q, held back %t", c.Unit, c.HeldBack)
	}
	if add, change, destroy, held := got.AppliedCounts(); add+change+destroy != 0 || held != 1 {
		t.Errorf("applied counts %d/%d/%d, %d held back", add, change, destroy, held)
	}
}

// A script kept in the cluster's charset is not UTF-8; its bytes survive the plan file exactly,
// so a saved plan of a Japanese Windows cluster is not reported stale right after it was made.
func TestPlanFileKeepsScriptBytesThatAreNotUTF8(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sjis.plan")
	// "最高プライオリティサーバで起動中です" in Shift_JIS (a hook of seed 001's start.bat), with CRLF.
	sjis := "ARMBCAST /MSG \"\x8d\xc5\x8d\x82\x83v\x83\x89\x83C\x83I\x83\x8a\x83e\x83B\x83T\x81[\x83o\x82\xc5\x8bN\x93\xae\x92\x86\x82\xc5\x82\xb7\" /A\r\n"
	text := TextDiff{Path: "scripts/iis/iis/start.bat", Before: "rem old\r\n", After: sjis, Charset: "SJIS"}
	drift := TextDiff{Path: "scripts/iis/iis/start.bat", Before: sjis + "\xff", After: sjis, Charset: "SJIS"}
	p := &Plan{FormatVersion: FormatVersion, Changes: []Change{{
		Addr: addrs.Group("iis"), Action: Update, Texts: []TextDiff{text},
		Drift: []NodeDrift{{Node: "cluster.web.node.sv2", Summary: "start.bat differs", Texts: []TextDiff{drift}}},
	}}}
	if err := WritePlanFile(path, p); err != nil {
		t.Fatal(err)
	}
	got, err := ReadPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if same, why := Equivalent(p, got); !same {
		t.Fatalf("the saved plan is not equivalent to the one made: %s", why)
	}
	if got.Changes[0].Texts[0].After != sjis || got.Changes[0].Drift[0].Texts[0].Before != sjis+"\xff" {
		t.Errorf("script bytes changed in the plan file: %q", got.Changes[0].Texts[0].After)
	}
	// The charset the views decode the bytes from for display travels with them.
	if got.Changes[0].Texts[0].Charset != "SJIS" || got.Changes[0].Drift[0].Texts[0].Charset != "SJIS" {
		t.Errorf("charset lost in the plan file: %q, %q", got.Changes[0].Texts[0].Charset, got.Changes[0].Drift[0].Texts[0].Charset)
	}
}

// An unknown text encoding in a plan file is refused, not read as text.
func TestPlanFileRefusesAnUnknownTextEncoding(t *testing.T) {
	_, err := textFromWire(wireText{Path: "a.bat", Encoding: "rot13"})
	if err == nil || !strings.Contains(err.Error(), `unknown encoding "rot13"`) {
		t.Errorf("got %v", err)
	}
}

func TestPlanFileNeverHoldsSecrets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "web.plan")
	if err := WritePlanFile(path, samplePlan()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{secret, `"old"`} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("the plan file holds the sensitive value %s:\n%s", s, data)
		}
	}
	if !bytes.Contains(data, []byte(`"comment"`)) {
		t.Error("the plan file lost a non-sensitive attribute (the test would pass vacuously)")
	}
}

func TestPlanFileOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "web.plan")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WritePlanFile(path, samplePlan()); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPlanFile(path); err != nil {
		t.Fatal(err)
	}
}

func TestReadPlanFileRejects(t *testing.T) {
	valid, err := encodePlanFile(samplePlan())
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		data    string
		wantErr string
	}{
		"tampered": {
			strings.Replace(string(valid), `"b"`, `"evil"`, 1),
			"corrupted or was edited",
		},
		"truncated": {string(valid[:len(valid)/2]), "not a cluster plan file"},
		"future version": {
			strings.Replace(string(valid), `"cluster_plan_file": 1`, `"cluster_plan_file": 2`, 1),
			"plan file version 2 is not supported",
		},
		"no version":  {`{"plan": {}, "checksum": "x"}`, `no "cluster_plan_file" version`},
		"not json":    {"terraform plan\n", "not a cluster plan file"},
		"no plan":     {`{"cluster_plan_file": 1}`, "holds no plan"},
		"format":      {withPlan(t, `{"format_version":"0"}`), `format version "0"`},
		"action":      {withPlan(t, `{"format_version":"1","changes":[{"address":"group.x","action":"explode"}]}`), `unknown action "explode"`},
		"address":     {withPlan(t, `{"format_version":"1","changes":[{"address":"nowhere","action":"create"}]}`), `"nowhere" is not an address`},
		"value type":  {withPlan(t, `{"format_version":"1","variables":{"v":{"type":"float","value":1.5}}}`), `unknown value type "float"`},
		"value shape": {withPlan(t, `{"format_version":"1","variables":{"v":{"type":"int","value":"x"}}}`), "variable v: int value"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.plan")
			if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := ReadPlanFile(path)
			if err == nil {
				t.Fatalf("ReadPlanFile accepted the file, want an error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestReadPlanFileToleratesReformatting(t *testing.T) {
	valid, err := encodePlanFile(samplePlan())
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, valid); err != nil {
		t.Fatal(err)
	}
	if _, err := decodePlanFile(compact.Bytes()); err != nil {
		t.Errorf("a re-indented plan file is refused: %v", err)
	}
}

func TestReadPlanFileMissing(t *testing.T) {
	_, err := ReadPlanFile(filepath.Join(t.TempDir(), "absent.plan"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", err)
	}
}

func TestWritePlanFileRefusesUnsupportedValues(t *testing.T) {
	p := samplePlan()
	p.Variables["bad"] = Value{Raw: 1.5}
	err := WritePlanFile(filepath.Join(t.TempDir(), "p.plan"), p)
	if err == nil || !strings.Contains(err.Error(), "variable bad: unsupported value type float64") {
		t.Errorf("err = %v", err)
	}
}

// withPlan wraps a raw plan body in a valid envelope with the right checksum.
func withPlan(t *testing.T, body string) string {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(body)); err != nil {
		t.Fatal(err)
	}
	return `{"cluster_plan_file": 1, "plan": ` + body + `, "checksum": "` + checksum(compact.Bytes()) + `"}`
}

func BenchmarkPlanFileRoundTrip(b *testing.B) {
	p := samplePlan()
	for i := range 500 {
		c := p.Changes[1]
		c.Addr = addrs.Cluster(fmt.Sprintf("c%04d", i))
		p.Changes = append(p.Changes, c)
	}
	path := filepath.Join(b.TempDir(), "big.plan")
	for b.Loop() {
		if err := WritePlanFile(path, p); err != nil {
			b.Fatal(err)
		}
		if _, err := ReadPlanFile(path); err != nil {
			b.Fatal(err)
		}
	}
}

// A plan file written before the configuration's files and flags were recorded still reads.
func TestReadPlanFileWithoutConfigFiles(t *testing.T) {
	body := `{"format_version":"1","created_at":"2026-11-22T10:00:00Z","config_dir":"web","config_fingerprint":"ab",` +
		`"variables":{},"targets":null,"observed":{},"changes":null,"diagnostics":null,"errored":false}`
	file := fmt.Sprintf(`{"cluster_plan_file": 1, "plan": %s, "checksum": %q}`, body, checksum([]byte(body)))
	path := filepath.Join(t.TempDir(), "old.plan")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.ConfigDir != "web" || p.ConfigFiles != nil || p.ConfigDirArg != "" || p.Flags != nil {
		t.Errorf("read %q %v %q %v; want the directory as recorded and nothing else", p.ConfigDir, p.ConfigFiles, p.ConfigDirArg, p.Flags)
	}
}
