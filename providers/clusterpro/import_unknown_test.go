package clusterpro

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/hcl/generate"
	"github.com/clusterctl/cluster/providers/clusterpro/scripts"
)

// An import from a bare clp.conf writes no script it has not seen: each is unknown_content, and
// the provider refuses to plan the cluster (its real scripts would be replaced) except for a
// rollback, which writes a backup. Placeholders are written only when asked for.
func TestImportMarksMissingScriptsUnknown(t *testing.T) {
	raw, err := os.ReadFile("clpconf/testdata/reference/linux-md-exec-current.clp.conf")
	if err != nil {
		t.Fatal(err)
	}
	missing := []string{"scripts/failover1/exec1/start.sh", "scripts/failover1/exec1/stop.sh", "scripts/monitor.s/genw/genw.sh"}
	src := Source{Conf: raw, Files: map[string][]byte{}, Where: "clp.conf"}

	im, c := importLoad(t, src)
	if diff := cmp.Diff(missing, im.Unknown); diff != "" {
		t.Errorf("Unknown (-want +got):\n%s", diff)
	}
	if len(im.Placeholders) != 0 {
		t.Errorf("placeholders written without being asked for: %v", im.Placeholders)
	}
	for _, p := range missing {
		if _, ok := im.Files[p]; ok {
			t.Errorf("%s written, though the import never saw it", p)
		}
	}
	if diffs, err := Differences(c, src); err != nil || len(diffs) > 0 {
		t.Errorf("Differences = %v, %v; want none (the unknown scripts are neither rendered nor in the source)", diffs, err)
	}
	cfg := &config.Config{Clusters: map[string]*config.Cluster{c.Name: c}}
	_, err = Provider{}.Units(cfg)
	if err == nil {
		t.Fatal("the provider plans a cluster whose scripts are not known")
	}
	for _, p := range missing {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("the refusal does not name %s: %v", p, err)
		}
	}
	if _, err := (Provider{RollbackTo: "latest"}).Units(cfg); err != nil {
		t.Errorf("rollback refused for unknown scripts it does not write: %v", err)
	}

	placeholders, err := Import(src, "", generate.Options{}, WritePlaceholders)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(missing, placeholders.Placeholders); diff != "" {
		t.Errorf("Placeholders (-want +got):\n%s", diff)
	}
	if got := string(placeholders.Files["scripts/failover1/exec1/start.sh"]); got != scripts.EmptyScript(config.Linux) {
		t.Errorf("placeholder start.sh = %q", got)
	}
}
