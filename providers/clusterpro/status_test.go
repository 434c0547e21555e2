package clusterpro

import (
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
