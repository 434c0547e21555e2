package statusfile

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

const testDef = "/opt/HiOBJ/conf/sts.def"

func testNode() *config.Node {
	return &config.Node{Addr: addrs.Node("objsv"), Name: "objsv", Endpoint: config.Endpoint{Address: "10.0.0.30", Port: 22}}
}

func statusFile(n *config.Node, name string, pairs ...int) *config.StatusFile {
	sf := &config.StatusFile{Addr: addrs.StatusFile(name), Name: name, Node: n, InstallDir: "/opt/HiOBJ", DefinitionFile: testDef}
	for _, i := range pairs {
		sf.AFiles = append(sf.AFiles, pair(i).A)
		sf.BFiles = append(sf.BFiles, pair(i).B)
	}
	return sf
}

// nodeSays builds the observation of one definition file: its content ("" = absent), the
// staged copy ("" = absent) and the xodstsls lines.
func nodeSays(def, staged string, listing ...string) planner.Observation {
	read := func(s string) transport.Result {
		if s == "" {
			return transport.Result{ExitCode: absent}
		}
		return transport.Result{Stdout: []byte(s)}
	}
	list := transport.Result{Stdout: []byte(strings.Join(listing, "\n"))}
	return planner.Observation{Results: map[addrs.Address][]transport.Result{
		addrs.Node("objsv"): {read(def), read(staged), list, {}},
	}}
}

type planSummary struct {
	Changes []string // "action addr"
	Steps   []string // every operation, in order
	Errors  []string
}

func summarizePlan(up planner.UnitPlan) planSummary {
	s := planSummary{Changes: []string{}, Steps: []string{}}
	for _, c := range up.Changes {
		s.Changes = append(s.Changes, string(c.Action)+" "+c.Addr.String())
		for _, op := range c.Operations {
			step := op.Step
			if op.Command != "" {
				step = op.Command
			}
			s.Steps = append(s.Steps, step)
		}
	}
	for _, d := range up.Diagnostics {
		if d.Severity == planner.SeverityError {
			s.Errors = append(s.Errors, d.Addr+": "+d.Summary)
		}
	}
	return s
}

const def12 = "logical sts1\npair /a/f1 /b/f1\npair /a/f2 /b/f2\n"

func TestPlan(t *testing.T) {
	n := testNode()
	bin := "/opt/HiOBJ/bin/"
	tests := map[string]struct {
		files []*config.StatusFile
		obs   planner.Observation
		want  planSummary
	}{
		"create on an empty node: staged, then the definition": {
			files: []*config.StatusFile{statusFile(n, "sts1", 1, 2)},
			obs:   nodeSays("", ""),
			want: planSummary{
				Changes: []string{"create status_file.sts1"},
				Steps: []string{
					"write the staged definition /opt/HiOBJ/conf/sts.def.staged (names the new pairs for the commands; /opt/HiOBJ/conf/sts.def is left alone until they succeed)",
					bin + "xodstsinit -d /opt/HiOBJ/conf/sts.def.staged -l sts1 -a /a/f1 -b /b/f1",
					bin + "xodstsopn -d /opt/HiOBJ/conf/sts.def.staged -l sts1 -a /a/f1",
					bin + "xodstsinit -d /opt/HiOBJ/conf/sts.def.staged -l sts1 -a /a/f2 -b /b/f2",
					bin + "xodstsopn -d /opt/HiOBJ/conf/sts.def.staged -l sts1 -a /a/f2",
					"replace the definition file /opt/HiOBJ/conf/sts.def atomically, now that every operation succeeded",
					"rm -f /opt/HiOBJ/conf/sts.def.staged",
				},
			},
		},
		"in line: no changes": {
			files: []*config.StatusFile{statusFile(n, "sts1", 1, 2)},
			obs:   nodeSays(def12, "", "sts1 /a/f1 /b/f1 current", "sts1 /a/f2 /b/f2 spare"),
			want:  planSummary{Changes: []string{}, Steps: []string{}},
		},
		"remove the current pair: the definition is rewritten last": {
			files: []*config.StatusFile{statusFile(n, "sts1", 2)},
			obs:   nodeSays(def12, "", "sts1 /a/f1 /b/f1 current", "sts1 /a/f2 /b/f2 spare"),
			want: planSummary{
				Changes: []string{"update status_file.sts1"},
				Steps: []string{
					bin + "xodstsswp -d /opt/HiOBJ/conf/sts.def -l sts1",
					bin + "xodstscls -d /opt/HiOBJ/conf/sts.def -l sts1 -a /a/f1",
					bin + "xodstsrm -d /opt/HiOBJ/conf/sts.def -l sts1 -a /a/f1",
					"replace the definition file /opt/HiOBJ/conf/sts.def atomically, now that every operation succeeded",
				},
			},
		},
		"interrupted apply: listed from the staged copy, finished": {
			files: []*config.StatusFile{statusFile(n, "sts1", 1, 2)},
			obs: nodeSays("logical sts1\npair /a/f1 /b/f1\n", def12,
				"sts1 /a/f1 /b/f1 current", "sts1 /a/f2 /b/f2 reserved"),
			want: planSummary{
				Changes: []string{"update status_file.sts1"},
				Steps: []string{
					bin + "xodstsopn -d /opt/HiOBJ/conf/sts.def.staged -l sts1 -a /a/f2",
					"replace the definition file /opt/HiOBJ/conf/sts.def atomically, now that every operation succeeded",
					"rm -f /opt/HiOBJ/conf/sts.def.staged",
				},
			},
		},
		"undeclared logical file in use: refused": {
			files: []*config.StatusFile{statusFile(n, "sts2", 3)},
			obs: nodeSays(def12+"logical sts2\npair /a/f3 /b/f3\n", "",
				"sts1 /a/f1 /b/f1 current", "sts1 /a/f2 /b/f2 spare", "sts2 /a/f3 /b/f3 current"),
			want: planSummary{Changes: []string{}, Steps: []string{},
				Errors: []string{"status_file.sts1: Cannot remove a logical file that is in use"}},
		},
		"file moved to another logical file: refused": {
			files: []*config.StatusFile{statusFile(n, "sts0", 2), statusFile(n, "sts1", 1)},
			obs:   nodeSays(def12, "", "sts1 /a/f1 /b/f1 current", "sts1 /a/f2 /b/f2 spare"),
			want: planSummary{Changes: []string{}, Steps: []string{},
				Errors: []string{"status_file.sts0: Status file moves between logical files", "status_file.sts0: Status file moves between logical files"}},
		},
		"unreadable definition": {
			files: []*config.StatusFile{statusFile(n, "sts1", 1)},
			obs:   nodeSays("pair /a/f1 /b/f1\n", ""),
			want:  planSummary{Changes: []string{}, Steps: []string{}, Errors: []string{"status_file.sts1: Unreadable status service"}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			u := newUnit(n, tc.files)
			if d := cmp.Diff(tc.want, summarizePlan(u.Plan(tc.obs))); d != "" {
				t.Errorf("plan (-want +got):\n%s", d)
			}
		})
	}
}

func TestPlanShowsBlockedPairAndItsRepair(t *testing.T) {
	n := testNode()
	u := newUnit(n, []*config.StatusFile{statusFile(n, "sts1", 1, 2)})
	up := u.Plan(nodeSays(def12, "", "sts1 /a/f1 /b/f1 blocked", "sts1 /a/f2 /b/f2 current"))
	if len(up.Changes) != 1 || len(up.Changes[0].Drift) != 1 {
		t.Fatalf("changes = %+v, want one change with the blocked pair as drift", up.Changes)
	}
	want := planner.NodeDrift{Node: "node.objsv",
		Summary: "pair /a/f1 /b/f1 of sts1 is blocked (the server shut it out after an I/O error)",
		Details: []string{"repair blocked pair /a/f1 /b/f1: re-initialise it (A, then B)", "open pair /a/f1 /b/f1 as spare"}}
	if d := cmp.Diff(want, up.Changes[0].Drift[0]); d != "" {
		t.Errorf("drift (-want +got):\n%s", d)
	}
}

func TestPlanUnreachableNode(t *testing.T) {
	n := testNode()
	u := newUnit(n, []*config.StatusFile{statusFile(n, "sts1", 1)})
	up := u.Plan(planner.Observation{Errors: map[addrs.Address]error{n.Addr: errors.New("connection refused")}})
	if got := summarizePlan(up).Errors; len(got) != 1 || got[0] != "node.objsv: Node unreachable" {
		t.Errorf("errors = %v", got)
	}
}

func TestObserveIsOneBatchPerDefinitionFile(t *testing.T) {
	n := testNode()
	other := statusFile(n, "sts9", 5)
	other.DefinitionFile = "/etc/other.def"
	u := newUnit(n, []*config.StatusFile{statusFile(n, "sts1", 1), other})
	if got := len(u.ObserveCommands(n.Addr)); got != 2*obsPerService {
		t.Errorf("%d observe commands, want %d", got, 2*obsPerService)
	}
	if !u.Owns(addrs.StatusFile("sts9")) || u.Owns(addrs.StatusFile("nope")) {
		t.Error("Owns does not cover exactly the node's status files")
	}
}
