package statusfile

import (
	"testing"

	"github.com/clusterctl/cluster/transport"
)

func TestParseListing(t *testing.T) {
	out := "sts1 /a/1 /b/1 current\nmissing /b/1\n\nmissing /a/m /b/m spare\n"
	pairs, missing, err := ParseListing(transport.Result{Stdout: []byte(out)})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs["sts1"]) != 1 || pairs["sts1"][0].State != Current || !missing["/b/1"] || len(missing) != 1 {
		t.Errorf("pairs %v, missing %v", pairs, missing)
	}
	if p := pairs["missing"]; len(p) != 1 || p[0].A != "/a/m" {
		t.Errorf("logical file called missing: %v", p)
	}
	for name, r := range map[string]transport.Result{
		"unknown state":  {Stdout: []byte("sts1 /a/1 /b/1 opened\n")},
		"short line":     {Stdout: []byte("sts1 /a/1\n")},
		"not installed":  {ExitCode: 127},
		"xodstsls fails": {ExitCode: 1, Stderr: []byte("cannot read")},
	} {
		if _, _, err := ParseListing(r); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
