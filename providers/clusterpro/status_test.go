package clusterpro

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
	"github.com/clusterctl/cluster/transport"
)

const corpusDir = "../../testdata/vendor-output/clusterpro"

func readCorpus(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// statusSummary is what a test compares of a parsed clpstat output.
type statusSummary struct {
	State, Cluster string
	Servers        []string // "*name Status [comment] paths=N"
	Groups         []string // "name Status current=X resources=N"
	Monitors       []string // "name Status"
}

func summarizeStatus(st Status) statusSummary {
	s := statusSummary{State: st.State, Cluster: st.Cluster}
	for _, sv := range st.Servers {
		mark := ""
		if sv.Local {
			mark = "*"
		}
		s.Servers = append(s.Servers, strings.TrimSpace(mark+sv.Name+" "+sv.Status+" "+sv.Comment)+" paths="+itoa(len(sv.Paths)))
	}
	for _, g := range st.Groups {
		s.Groups = append(s.Groups, g.Name+" "+g.Status+" current="+g.Current+" resources="+itoa(len(g.Resources)))
	}
	for _, m := range st.Monitors {
		s.Monitors = append(s.Monitors, strings.TrimSpace(m.Name+" "+m.Status+" "+m.Comment))
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// Every clpstat sample of the corpus is read: state from the local server line, comments apart
// from states, heartbeats and network partition lines under servers, resources under groups,
// "current : None" as no server. A test fails when a corpus file has no case here.
func TestVendorCorpusClpstat(t *testing.T) {
	cases := map[string]statusSummary{
		"clpstat-x50-linux-running-comments.txt": {State: "running", Cluster: "cluster",
			Servers:  []string{"*server1 Online Primary server paths=2", "server2 Online Secondary server paths=2"},
			Groups:   []string{"failover1 Online current=server1 resources=2"},
			Monitors: []string{"mdnw1 Normal", "mdw1 Normal", "userw1 Normal User mode monitor"}},
		"clpstat-sss-linux-cut-group-name.txt": {State: "running", Cluster: "mariadb-sss-0",
			Servers:  []string{"*mariadb-sss-0 Online paths=1"},
			Groups:   []string{"container-recove Online current=mariadb-sss-0 resources=1"},
			Monitors: []string{"mysqlw Normal"}},
		"clpstat-sss-linux-postgres.txt": {State: "running", Cluster: "postgres-sss-0",
			Servers:  []string{"*postgres-sss-0 Online paths=1"},
			Groups:   []string{"container-recove Online current=postgres-sss-0 resources=1"},
			Monitors: []string{"psqlw Normal"}},
		"clpstat-sss-linux-single-server.txt": {State: "running", Cluster: "sss4mariadb01",
			Servers:  []string{"*sss4mariadb01 Online paths=1"},
			Groups:   []string{"failover Online current=sss4mariadb01 resources=1"},
			Monitors: []string{"mysqlw Normal"}},
		"clpstat-linux-stopped-current-none.txt": {State: "stopped", Cluster: "cluster-x600",
			Servers:  []string{"*116rhel94 Offline paths=2", "117rhel94 Offline paths=2"},
			Groups:   []string{"failover1 Offline current= resources=1", "failover2 Offline current= resources=1"},
			Monitors: []string{"userw Offline"}},
		"clpstat-s-linux-running-trailing-spaces.txt": {State: "running", Cluster: "cluster-x600",
			Servers:  []string{"*116rhel94 Online paths=2", "117rhel94 Online paths=2"},
			Groups:   []string{"failover1 Online current=116rhel94 resources=1", "failover2 Online current=116rhel94 resources=1"},
			Monitors: []string{"userw Normal"}},
		"clpstat-long-windows-running.txt": {State: "running", Cluster: "cluster",
			Servers:  []string{"*ws2022-01 Online paths=1", "ws2022-02 Online paths=1"},
			Groups:   []string{"failover Online current=ws2022-01 resources=2"},
			Monitors: []string{"mdw1 Normal", "userw Normal"}},
		"clpstat-linux-running-mirror.txt": {State: "running", Cluster: "cluster-vagrant",
			Servers:  []string{"*server1 Online paths=1", "server2 Online paths=1"},
			Groups:   []string{"failover1 Online current=server1 resources=2"},
			Monitors: []string{"fipw1 Normal", "mdnw1 Normal", "mdw1 Normal", "userw Normal"}},
		"clpstat-x51-linux-running-tomcat.txt": {State: "running", Cluster: "TomcatCluster",
			Servers:  []string{"*server1 Online paths=1", "server2 Online paths=1"},
			Groups:   []string{"failover Online current=server1 resources=2"},
			Monitors: []string{"fipw1 Normal", "mdnw1 Normal", "mdw1 Normal", "userw Normal"}},
	}
	files, err := filepath.Glob(filepath.Join(corpusDir, "clpstat*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no clpstat corpus: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			want, ok := cases[name]
			if !ok {
				t.Fatalf("corpus file %s has no expected reading in this test", name)
			}
			st, err := ParseStatus(transport.Result{Stdout: readCorpus(t, name)})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, summarizeStatus(st)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The heartbeat and network partition lines of a real server are its paths, with their states
// and comments; a group's resources are its own.
func TestClpstatSubLines(t *testing.T) {
	st, err := ParseStatus(transport.Result{Stdout: readCorpus(t, "clpstat-x50-linux-running-comments.txt")})
	if err != nil {
		t.Fatal(err)
	}
	want := []StatusLine{{"lankhb1", "Normal", "Kernel Mode LAN Heartbeat"}, {"httpnp1", "Normal", "http resolution"}}
	if diff := cmp.Diff(want, st.Servers[1].Paths); diff != "" {
		t.Errorf("server2 paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]StatusLine{{"exec-mariadb1", "Online", ""}, {"md1", "Online", ""}}, st.Groups[0].Resources); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
}

// A name cut to 16 characters is matched back to the configuration by unambiguous prefix; two
// configured names sharing the cut are an error naming both.
func TestMatchCutNames(t *testing.T) {
	out := readCorpus(t, "clpstat-sss-linux-cut-group-name.txt")
	st, _ := ParseStatus(transport.Result{Stdout: out})
	if err := st.MatchNames(StatusNames{Servers: []string{"mariadb-sss-0"}, Groups: []string{"container-recovery"}, Monitors: []string{"mysqlw"}}); err != nil {
		t.Fatal(err)
	}
	if st.Groups[0].Name != "container-recovery" {
		t.Errorf("group = %q, want container-recovery", st.Groups[0].Name)
	}
	st, _ = ParseStatus(transport.Result{Stdout: out})
	err := st.MatchNames(StatusNames{Groups: []string{"container-recovery", "container-recovered"}})
	var amb *AmbiguousNameError
	if !errors.As(err, &amb) || !strings.Contains(err.Error(), "container-recovery, container-recovered") {
		t.Errorf("err = %v, want the ambiguity named", err)
	}
	// A 16-character name that is itself configured is that name, unless a longer configured
	// name has it as its first 16 characters: then clpstat may mean either.
	st, _ = ParseStatus(transport.Result{Stdout: out})
	if err := st.MatchNames(StatusNames{Groups: []string{"container-recove"}}); err != nil || st.Groups[0].Name != "container-recove" {
		t.Errorf("exact name: %v, %q", err, st.Groups[0].Name)
	}
	st, _ = ParseStatus(transport.Result{Stdout: out})
	err = st.MatchNames(StatusNames{Groups: []string{"container-recove", "container-recovery"}})
	if !errors.As(err, &amb) || !strings.Contains(err.Error(), "container-recove, container-recovery") {
		t.Errorf("exact name that a longer name extends: err = %v, want the ambiguity named", err)
	}
}

func TestParseStatusFailures(t *testing.T) {
	for _, tt := range []struct {
		r    transport.Result
		want string
	}{
		{transport.Result{ExitCode: 127}, "not installed"},
		{transport.Result{ExitCode: 1, Stderr: []byte("clpstat: the cluster configuration is not installed\n")}, "status 1: clpstat: the cluster configuration is not installed"},
		{transport.Result{ExitCode: 1}, "status 1: no output"},
		{transport.Result{Stdout: []byte("garbage\n")}, "no cluster status"},
	} {
		if _, err := ParseStatus(tt.r); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.r, err, tt.want)
		}
	}
}

// One reading of clpstat gives plan both the state and the groups online. The state is the
// local server's; a state clpstat does not show readably is unknown, never stopped; the tool's
// suspension record makes it suspended whatever clpstat shows.
func TestReadStat(t *testing.T) {
	running := string(readCorpus(t, "clpstat-x50-linux-running-comments.txt"))
	stopped := string(readCorpus(t, "clpstat-linux-stopped-current-none.txt"))
	const marked = true
	for name, tt := range map[string]struct {
		out    string
		marked bool
		code   int
		run    runState
		online map[string]string
	}{
		"running":           {out: running, run: stateRunning, online: map[string]string{"failover1": "server1"}},
		"stopped":           {out: stopped, run: stateStopped, online: map[string]string{}},
		"recorded suspend":  {out: running, marked: marked, run: stateSuspended, online: map[string]string{"failover1": "server1"}},
		"exit 1, no output": {code: 1, run: stateUnknown, online: map[string]string{}},
		"exit 1, recorded":  {code: 1, marked: marked, run: stateSuspended, online: map[string]string{}},
		"other local state": {out: strings.Replace(running, "*server1 .........: Online ", "*server1 .........: Caution", 1), run: stateUnknown, online: map[string]string{"failover1": "server1"}},
		"no local server":   {out: strings.Replace(running, "*server1", " server1", 1), run: stateUnknown, online: map[string]string{"failover1": "server1"}},
		"a group named current": {out: " Cluster : c\n <server>\n  *sv1 ...: Online\n <group>\n  current ...: Online\n   current : sv1\n",
			run: stateRunning, online: map[string]string{"current": "sv1"}},
	} {
		run, online, _ := readStat(clpstatReading{res: transport.Result{Stdout: []byte(tt.out), ExitCode: tt.code}, marked: tt.marked}, StatusNames{})
		if run != tt.run || !maps.Equal(online, tt.online) {
			t.Errorf("%s: readStat = %s, %v; want %s, %v", name, run, online, tt.run, tt.online)
		}
	}
}

// A cut name that could be two of the configuration's groups is reported, not guessed: the error
// names both groups. The run state is still the local "*" line's, which needs no name.
func TestReadStatAmbiguousCutName(t *testing.T) {
	out := readCorpus(t, "clpstat-sss-linux-cut-group-name.txt")
	run, online, err := readStat(clpstatReading{res: transport.Result{Stdout: out}}, StatusNames{Groups: []string{"container-recovery", "container-recovered"}})
	var amb *AmbiguousNameError
	if run != stateRunning || online["container-recovery"] != "" || online["container-recovered"] != "" || !errors.As(err, &amb) {
		t.Errorf("readStat = %s, %v, %v; want running, neither group placed, an ambiguity", run, online, err)
	}
	run, online, err = readStat(clpstatReading{res: transport.Result{Stdout: out}}, StatusNames{Groups: []string{"container-recovery"}})
	if err != nil || run != stateRunning || online["container-recovery"] != "mariadb-sss-0" {
		t.Errorf("readStat = %s, %v, %v; want running with container-recovery online", run, online, err)
	}
}

// The clpstat reading comes from two ops of one call: the Stat says whether the suspension
// record is there and whether clpstat is installed (a missing clpstat is "not installed" in
// every dialect, whatever its run answered), the run says the rest.
func TestReadClpstat(t *testing.T) {
	l := layout{install: `C:\Program Files\CLUSTERPRO`, windows: true}
	ops := l.statOps()
	st, ok := ops[0].(transport.Stat)
	if !ok || len(st.Paths) != 2 || st.Paths[0] != l.suspendMark() || st.Paths[1] != `C:\Program Files\CLUSTERPRO\bin\clpstat.exe` {
		t.Fatalf("statOps[0] = %#v; want a Stat of the record and of clpstat.exe", ops[0])
	}
	if c, ok := ops[1].(transport.Command); !ok || c.PosixOnly() || c.Display() != `'C:\Program Files\CLUSTERPRO\bin\clpstat.exe'` {
		t.Fatalf("statOps[1] = %#v; want clpstat.exe as a plain program", ops[1])
	}
	ran := transport.Outcome{Result: transport.Result{Stdout: []byte("out"), ExitCode: 9009}}
	for _, c := range []struct {
		name              string
		marked, installed bool
		wantExit          int
	}{
		{"installed, no record", false, true, 9009},
		{"installed, record", true, true, 9009},
		{"not installed", false, false, 127},
	} {
		got, err := readClpstat(transport.Outcome{Stats: []transport.FileInfo{{Exists: c.marked}, {Path: st.Paths[1], Exists: c.installed}}}, ran)
		if err != nil || got.marked != c.marked || got.res.ExitCode != c.wantExit {
			t.Errorf("%s: %+v, %v; want marked %v, exit %d", c.name, got, err, c.marked, c.wantExit)
		}
	}
	if _, err := readClpstat(transport.Outcome{Result: transport.Result{ExitCode: 1, Stderr: []byte("denied")}, Op: st}, ran); err == nil {
		t.Error("a failed Stat read as a clpstat reading")
	}
}

// cluster status matches clpstat's cut names against the configuration installed on the node,
// as plan does, not against the desired one: here the desired configuration adds a group whose
// first 16 characters are those of the installed one, which would make clpstat's cut name
// ambiguous (or name the wrong group) until the change is applied.
func TestParseStatusOfMatchesInstalledNames(t *testing.T) {
	out := readCorpus(t, "clpstat-sss-linux-cut-group-name.txt")
	desired := &config.Cluster{Name: "c", Groups: []*config.Group{{Name: "container-recovery"}, {Name: "container-recovered"}}}
	installed := clpconf.New("ASCII", clpconf.Style{})
	installed.AddServer(clpconf.Server{Name: "mariadb-sss-0"})
	installed.AddGroup(clpconf.Group{Name: "container-recovery"})
	conf, err := clpconf.Encode(installed)
	if err != nil {
		t.Fatal(err)
	}
	ran := transport.Outcome{Result: transport.Result{Stdout: out}}
	stat := transport.Outcome{Stats: []transport.FileInfo{{}, {Exists: true}}}
	st, err := ParseStatusOf([]transport.Outcome{stat, ran, {Tree: map[string][]byte{confEntry: conf}}}, desired)
	if err != nil || st.Groups[0].Name != "container-recovery" {
		t.Errorf("with the installed clp.conf: group %q, err %v; want container-recovery, no error", st.Groups[0].Name, err)
	}
	// No clp.conf on the node: the desired names are all there is, and the ambiguity is said.
	_, err = ParseStatusOf([]transport.Outcome{stat, ran, {}}, desired)
	var amb *AmbiguousNameError
	if !errors.As(err, &amb) {
		t.Errorf("without a clp.conf: err = %v, want the ambiguity against the desired names", err)
	}
}
