package clusterpro

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

func TestStartTypes(t *testing.T) {
	out := `@service W3SVC
[SC] QueryServiceConfig SUCCESS

SERVICE_NAME: W3SVC
        TYPE               : 20  WIN32_SHARE_PROCESS
        START_TYPE         : 2   AUTO_START
@service MSFTPSVC
        START_TYPE         : 3   DEMAND_START
@service nginx
enabled
@service php-fpm
disabled
@service ghost
Failed to get unit file state for ghost.service: No such file or directory
@service Gone
[SC] OpenService FAILED 1060:
`
	want := map[string]serviceStart{
		"W3SVC": {startAutomatic, "2   AUTO_START"}, "MSFTPSVC": {startManual, "3   DEMAND_START"},
		"nginx": {startAutomatic, "enabled"}, "php-fpm": {startManual, "disabled"},
		"ghost": {startNotFound, "Failed to get unit file state for ghost.service: No such file or directory"},
		"Gone":  {startNotFound, "[SC] OpenService FAILED 1060:"},
	}
	if diff := cmp.Diff(want, startTypes([]byte(out)), cmp.AllowUnexported(serviceStart{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A service the cluster starts that starts at boot on a node of its group's policy is warned
// of, naming the node, the service and the fix; a manual one is not.
func TestServiceStartingAtBootIsWarned(t *testing.T) {
	u := mustUnit(t, testCluster("nginx", "php-fpm"))
	sv2 := u.c.Nodes[1].Addr
	res := transport.Result{Stdout: []byte("@service nginx\nenabled\n@service php-fpm\ndisabled\n")}
	diags := u.serviceDiagnostics(sv2, res)
	if len(diags) != 1 || diags[0].Summary != "Managed service starts at boot" || diags[0].Addr != sv2.String() ||
		!strings.Contains(diags[0].Detail, "nginx") || !strings.Contains(diags[0].Detail, "systemctl disable nginx") ||
		!strings.Contains(diags[0].Detail, "1.1.4") {
		t.Errorf("diagnostics = %+v", diags)
	}
	// The command asks exactly for the services of the groups that may run on the node.
	got := u.servicesCommand(managedServices(u.c, sv2)).Display()
	if !strings.HasSuffix(got, " sh nginx php-fpm") {
		t.Errorf("services command = %s", got)
	}
}

// Every answer of the service managers in the corpus is classified: each systemctl is-enabled
// state of systemctl(1) (generated, alias, linked, transient are not "not found"), a SysV
// redirect, and sc qc's start types.
func TestVendorCorpusServices(t *testing.T) {
	want := map[string]string{
		"systemctl-is-enabled-enabled.txt": startAutomatic, "systemctl-is-enabled-enabled-runtime.txt": startAutomatic,
		"systemctl-is-enabled-generated.txt": startAutomatic,
		"systemctl-is-enabled-disabled.txt":  startManual, "systemctl-is-enabled-static.txt": startManual,
		"systemctl-is-enabled-indirect.txt": startManual, "systemctl-is-enabled-linked.txt": startManual,
		"systemctl-is-enabled-linked-runtime.txt": startManual, "systemctl-is-enabled-transient.txt": startManual,
		"systemctl-is-enabled-masked.txt": startBlocked, "systemctl-is-enabled-masked-runtime.txt": startBlocked,
		"systemctl-is-enabled-alias.txt": startUnclear, "systemctl-is-enabled-bad.txt": startUnclear,
		"systemctl-is-enabled-not-found.txt":     startNotFound,
		"systemctl-is-enabled-sysv-redirect.txt": startAutomatic,
		"sc-qc-demand-start.txt":                 startManual, "sc-qc-auto-start.txt": startAutomatic,
		"sc-qc-auto-start-delayed.txt": startAutomatic,
	}
	files, err := filepath.Glob("../../testdata/vendor-output/services/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no services corpus: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		class, ok := want[name]
		if !ok {
			t.Errorf("corpus file %s has no expected class in this test", name)
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got := startTypes(append([]byte("@service svc\n"), b...))["svc"]
		if got.class != class {
			t.Errorf("%s: class %q (%q), want %q", name, got.class, got.said, class)
		}
	}
}
