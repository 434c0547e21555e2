package clusterpro

import (
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
	want := map[string]string{
		"W3SVC": "automatic", "MSFTPSVC": "manual", "nginx": "automatic", "php-fpm": "manual",
		"ghost": "Failed to get unit file state for ghost.service: No such file or directory",
		"Gone":  "[SC] OpenService FAILED 1060:",
	}
	if diff := cmp.Diff(want, startTypes([]byte(out))); diff != "" {
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
