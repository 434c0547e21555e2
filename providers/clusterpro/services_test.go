package clusterpro

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

// Each service's answer is read from its own outcome: stdout and stderr, whatever the exit
// status (systemctl exits 1 for a disabled unit, sc 1060 for a missing service).
func TestStartOf(t *testing.T) {
	for _, c := range []struct {
		name           string
		stdout, stderr string
		exit           int
		want           serviceStart
	}{
		{"sc auto", "[SC] QueryServiceConfig SUCCESS\n\nSERVICE_NAME: W3SVC\n        TYPE               : 20  WIN32_SHARE_PROCESS\n        START_TYPE         : 2   AUTO_START\n", "", 0, serviceStart{startAutomatic, "2   AUTO_START"}},
		{"sc demand, CRLF", "        START_TYPE         : 3   DEMAND_START\r\n", "", 0, serviceStart{startManual, "3   DEMAND_START"}},
		{"systemctl enabled", "enabled\n", "", 0, serviceStart{startAutomatic, "enabled"}},
		{"systemctl disabled", "disabled\n", "", 1, serviceStart{startManual, "disabled"}},
		{"systemctl missing", "", "Failed to get unit file state for ghost.service: No such file or directory\n", 1, serviceStart{startNotFound, "Failed to get unit file state for ghost.service: No such file or directory"}},
		{"sysv redirect on stderr", "enabled\n", "Synchronizing state of x.service with SysV service script with /lib/systemd/systemd-sysv-install.\nExecuting: /lib/systemd/systemd-sysv-install is-enabled x\n", 0, serviceStart{startAutomatic, "enabled"}},
		{"sc missing", "[SC] OpenService FAILED 1060:\n\nThe specified service does not exist as an installed service.\n", "", 1060, serviceStart{startNotFound, "[SC] OpenService FAILED 1060:"}},
	} {
		got := startOf(transport.Outcome{Result: transport.Result{Stdout: []byte(c.stdout), Stderr: []byte(c.stderr), ExitCode: c.exit}})
		if diff := cmp.Diff(c.want, got, cmp.AllowUnexported(serviceStart{})); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

// A service the cluster starts that starts at boot on a node of its group's policy is warned
// of, naming the node, the service and the fix; a manual one is not.
func TestServiceStartingAtBootIsWarned(t *testing.T) {
	u := mustUnit(t, testCluster("nginx", "php-fpm"))
	sv2 := u.c.Nodes[1].Addr
	obs := u.probes(sv2)
	// One plain program per service, by absolute path: no shell.
	var asked []string
	for _, p := range obs.services {
		asked = append(asked, obs.set.Ops()[indexOfOp(obs.set.Ops(), u.serviceCommand(p.service.name))].(transport.Command).Display())
	}
	want := []string{"/usr/bin/systemctl is-enabled -- nginx", "/usr/bin/systemctl is-enabled -- php-fpm"}
	if diff := cmp.Diff(want, asked); diff != "" {
		t.Errorf("service commands (-want +got):\n%s", diff)
	}
	res := make([]transport.Outcome, len(obs.set.Ops()))
	for _, p := range obs.services {
		i := indexOfOp(obs.set.Ops(), u.serviceCommand(p.service.name))
		res[i].Op = obs.set.Ops()[i]
		res[i].Stdout = []byte(map[string]string{"nginx": "enabled\n", "php-fpm": "disabled\n"}[p.service.name])
	}
	diags := u.serviceDiagnostics(sv2, obs.services, res)
	if len(diags) != 1 || diags[0].Summary != "Managed service starts at boot" || diags[0].Addr != sv2.String() ||
		!strings.Contains(diags[0].Detail, "nginx") || !strings.Contains(diags[0].Detail, "systemctl disable nginx") ||
		!strings.Contains(diags[0].Detail, "1.1.4") {
		t.Errorf("diagnostics = %+v", diags)
	}
	u.l.windows = true
	if got := u.serviceCommand("W3SVC").Display(); got != `'C:\Windows\system32\sc.exe' qc W3SVC` {
		t.Errorf("Windows service command = %s", got)
	}
	if got := registryCommand(`HKLM\SOFTWARE\x`).Display(); got != `'C:\Windows\system32\reg.exe' query 'HKLM\SOFTWARE\x'` {
		t.Errorf("registry command = %s", got)
	}
	for _, c := range []transport.Command{u.serviceCommand("W3SVC"), registryCommand("HKLM"), u.l.stat()} {
		if c.PosixOnly() {
			t.Errorf("%s is POSIX-only", c.Display())
		}
	}
}

// indexOfOp is the position of the command c among ops.
func indexOfOp(ops []transport.Op, c transport.Command) int {
	for i, op := range ops {
		if oc, ok := op.(transport.Command); ok && oc.Display() == c.Display() {
			return i
		}
	}
	return -1
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
		got := startOf(transport.Outcome{Result: transport.Result{Stdout: b}})
		if got.class != class {
			t.Errorf("%s: class %q (%q), want %q", name, got.class, got.said, class)
		}
	}
}
