package clusterpro

import (
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/transport"
)

func TestParseStatusOfTheLabEmulation(t *testing.T) {
	golden, err := os.ReadFile("../../lab/emulate/testdata/clpstat.golden")
	if err != nil {
		t.Fatal(err)
	}
	_, running, _ := strings.Cut(string(golden), "# sv1 stopped, sv2 and sv3 running\n")
	st, err := ParseStatus(transport.Result{Stdout: []byte(running)})
	if err != nil {
		t.Fatal(err)
	}
	if st.State != "running" || st.Cluster != "web" {
		t.Errorf("header: %+v", st)
	}
	if len(st.Servers) != 3 || st.Servers[0].Name != "sv1" || st.Servers[0].Status != "Offline" || !st.Servers[1].Local || st.Servers[1].Name != "sv2" {
		t.Errorf("servers: %+v", st.Servers)
	}
	if len(st.Groups) != 3 || st.Groups[0] != (GroupStatus{Name: "web", Status: "Online", Current: "sv2"}) {
		t.Errorf("groups: %+v", st.Groups)
	}
	if len(st.Monitors) != 2 || st.Monitors[1] != (MonitorStatus{Name: "genw1", Status: "Normal"}) {
		t.Errorf("monitors: %+v", st.Monitors)
	}
}

// A real server also lists heartbeats under each server and resources under each group, at a
// deeper indentation; a group may even be called "current".
func TestParseStatusOfARealServer(t *testing.T) {
	out := ` ========================  CLUSTER STATUS  ===========================
  Cluster : cluster
  <server>
   *server1 .........: Online
      lankhb1        : Normal
    server2 .........: Suspended
      lankhb1        : Normal
  <group>
    current .........: Online
      current        : server2
      fip1           : Online
    failoverB .......: Offline
      fip2           : Offline
  <monitor>
    fipw1            : Error
    userw            : Normal
 =====================================================================
`
	st, err := ParseStatus(transport.Result{Stdout: []byte(out)})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Servers) != 2 || st.Servers[1] != (ServerStatus{Name: "server2", Status: "Suspended"}) {
		t.Errorf("servers: %+v", st.Servers)
	}
	want := []GroupStatus{{Name: "current", Status: "Online", Current: "server2"}, {Name: "failoverB", Status: "Offline"}}
	if len(st.Groups) != 2 || st.Groups[0] != want[0] || st.Groups[1] != want[1] {
		t.Errorf("groups: %+v", st.Groups)
	}
	if st.Monitors[0] != (MonitorStatus{Name: "fipw1", Status: "Error"}) {
		t.Errorf("monitors: %+v", st.Monitors)
	}
}

func TestParseStatusFailures(t *testing.T) {
	for _, tt := range []struct {
		r    transport.Result
		want string
	}{
		{transport.Result{ExitCode: 127}, "not installed"},
		{transport.Result{ExitCode: 1, Stderr: []byte("clpstat: the cluster configuration is not installed\n")}, "status 1: clpstat: the cluster configuration is not installed"},
		{transport.Result{Stdout: []byte("garbage\n")}, "no cluster status"},
	} {
		if _, err := ParseStatus(tt.r); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.r, err, tt.want)
		}
	}
}

// One reading of clpstat gives plan both the state and the groups online: the header's Status
// line first, else the local server's line; no groups unless the output is a cluster status.
func TestReadStat(t *testing.T) {
	for name, tt := range map[string]struct {
		out    string
		code   int
		run    runState
		online map[string]string
	}{
		"header": {out: " Cluster : c\n Status : Suspended\n <server>\n  *sv1 ...: Online\n <group>\n  g1 ...: Online\n   current : sv1\n",
			run: stateSuspended, online: map[string]string{"g1": "sv1"}},
		"local server": {out: " Cluster : c\n <server>\n  sv1 ...: Online\n  *sv2 ...: Offline\n",
			run: stateStopped, online: map[string]string{}},
		"a group named status": {out: " Cluster : c\n <group>\n  status ...: Online\n   current : sv1\n",
			run: stateUnknown, online: map[string]string{"status": "sv1"}},
		"no cluster status": {out: " Status : Running\n <group>\n  g1 ...: Online\n   current : sv1\n",
			run: stateRunning, online: map[string]string{}},
		"failed": {out: " Cluster : c\n Status : Running\n", code: 1, run: stateUnknown, online: map[string]string{}},
	} {
		run, online := readStat(transport.Result{Stdout: []byte(tt.out), ExitCode: tt.code})
		if run != tt.run || !maps.Equal(online, tt.online) {
			t.Errorf("%s: readStat = %s, %v; want %s, %v", name, run, online, tt.run, tt.online)
		}
	}
}
