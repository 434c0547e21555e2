package transport_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayersTransportImportsNothingAbove: layers point down. The configuration builds the
// transport's Endpoint; nothing under transport/ (tests aside) may depend on hcl/, or on the
// providers and the planner above it.
func TestLayersTransportImportsNothingAbove(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list listed only %v; want the packages under transport/ and their dependencies", deps)
	}
	for _, d := range deps {
		for _, above := range []string{"/hcl/", "/providers/", "/planner", "/cmd/", "/views", "/status"} {
			if strings.HasPrefix(d, "github.com/clusterctl/cluster/") && strings.Contains(d+"/", above) {
				t.Errorf("a package under transport/ depends on %s", d)
			}
		}
	}
}
