package emulate

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/lab/labdir"
)

// TestRegQueryLayout checks the emulated `reg query KEY` against the public sample's layout
// (testdata/vendor-output/registry/reg-query-values.txt): a blank line, the key, the value
// lines, a blank line; and the registry-differs fault adds a value on that node only.
func TestRegQueryLayout(t *testing.T) {
	const key = `HKLM\SOFTWARE\NEC\WEBharmo\OLTP`
	root := t.TempDir()
	t.Setenv(RootEnv, root)
	query := func() string {
		var out, errb bytes.Buffer
		if code := runReg("reg", []string{"query", key}, nil, &out, &errb); code != 0 {
			t.Fatalf("reg query exited %d: %s", code, errb.String())
		}
		return out.String()
	}
	if got, want := query(), "\r\n"+key+"\r\n\r\n"; got != want {
		t.Errorf("without the fault: %q, want %q", got, want)
	}
	if err := labdir.SetFault(root, labdir.RegistryDiffers, key); err != nil {
		t.Fatal(err)
	}
	got := query()
	sample, err := os.ReadFile("../../testdata/vendor-output/registry/reg-query-values.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Same shape as the sample: line 2 the key, line 3 an indented "name    TYPE    data".
	shape := func(s string) []int {
		lines := strings.Split(s, "\r\n")
		return []int{len(lines), len(strings.Split(strings.TrimPrefix(lines[2], "    "), "    "))}
	}
	if a, b := shape(got), shape(string(sample)); a[0] != b[0] || a[1] != b[1] {
		t.Errorf("with the fault the output %q does not have the sample's shape %q", got, sample)
	}
	if !strings.Contains(got, "    "+LabDiffersValue+"    REG_SZ    ") {
		t.Errorf("with the fault: %q lacks the LabDiffers value", got)
	}
	var out, errb bytes.Buffer
	if code := runReg("reg", []string{"add", key}, nil, &out, &errb); code == 0 {
		t.Error("reg add is not emulated, yet it succeeded")
	}
}
