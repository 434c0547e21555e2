package statusfile

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

func testNode() *config.Node {
	return &config.Node{Addr: addrs.Node("objsv"), Name: "objsv", Endpoint: config.Endpoint{Address: "10.0.0.30", Port: 22}}
}

// block declares a status_file with logical files "NAME" whose files are D:\sts\NAMEa and
// E:\sts\NAMEb.
func block(names ...string) *config.StatusFile {
	sf := &config.StatusFile{Addr: addrs.StatusFile("objsv"), Name: "objsv", Node: testNode(), InstallDir: "/opt/HiOBJ"}
	for _, n := range names {
		sf.Logicals = append(sf.Logicals, &config.LogicalFile{Name: n, AFile: `D:\sts\` + n + "a", BFile: `E:\sts\` + n + "b"})
	}
	return sf
}

// defText renders a definition naming the logical files, as block names them.
func defText(names ...string) string { return string(DefinitionOf(block(names...)).Render()) }

// observation builds what the node reports: the definition ("" = absent) and one size line per
// declared file ("-" absent).
func observation(def string, sizes ...string) planner.Observation {
	d := transport.Result{Stdout: []byte(def)}
	if def == "" {
		d = transport.Result{ExitCode: absent}
	}
	return planner.Observation{Results: map[addrs.Address][]transport.Outcome{
		addrs.Node("objsv"): {{Result: d}, {Result: transport.Result{Stdout: []byte(strings.Join(sizes, "\n") + "\n")}}},
	}}
}

type planSummary struct {
	Action   planner.Action
	Steps    []string
	Errors   []string
	Warnings []string
}

func summarize(up planner.UnitPlan) planSummary {
	var s planSummary
	for _, c := range up.Changes {
		s.Action = c.Action
		for _, op := range c.Operations {
			s.Steps = append(s.Steps, op.Command+"|"+op.Step[:min(len(op.Step), 30)])
		}
	}
	for _, d := range up.Diagnostics {
		if d.Severity == planner.SeverityError {
			s.Errors = append(s.Errors, d.Summary)
		} else {
			s.Warnings = append(s.Warnings, d.Summary)
		}
	}
	return s
}

const (
	initA1 = `/opt/HiOBJ/bin/xodstsinit -f 'D:\sts\sts1a'|create the A file D:\sts\sts1a`
	initB1 = `/opt/HiOBJ/bin/xodstsinit -f 'E:\sts\sts1b'|create the B file E:\sts\sts1b`
	initA2 = `/opt/HiOBJ/bin/xodstsinit -f 'D:\sts\sts2a'|create the A file D:\sts\sts2a`
	initB2 = `/opt/HiOBJ/bin/xodstsinit -f 'E:\sts\sts2b'|create the B file E:\sts\sts2b`
	write  = `|write the definition file /opt`
)

func TestPlan(t *testing.T) {
	newFiles := "New logical files stay closed until the server opens them"
	tests := map[string]struct {
		declared []string
		obs      planner.Observation
		want     planSummary
	}{
		"a new service: create each logical file's A, then B, then write the definition": {
			[]string{"sts1", "sts2"}, observation("", "-", "-", "-", "-"),
			planSummary{Action: planner.Create, Steps: []string{initA1, initB1, initA2, initB2, write}, Warnings: []string{newFiles}}},
		"nothing to do when the definition and the files are there": {
			[]string{"sts1", "sts2"}, observation(defText("sts1", "sts2"), "4096", "4096", "4096", "4096"),
			planSummary{}},
		"an added logical file is created and defined; the others are left alone": {
			[]string{"sts1", "sts2"}, observation(defText("sts1"), "4096", "4096", "-", "-"),
			planSummary{Action: planner.Update, Steps: []string{initA2, initB2, write}, Warnings: []string{newFiles}}},
		"a new order is only a new definition (the first becomes current at the next normal start)": {
			[]string{"sts2", "sts1"}, observation(defText("sts1", "sts2"), "4096", "4096", "4096", "4096"),
			planSummary{Action: planner.Update, Steps: []string{write}}},
		"a defined logical file without files gets them": {
			[]string{"sts1"}, observation(defText("sts1"), "-", "-"),
			planSummary{Action: planner.Update, Steps: []string{initA1, initB1}, Warnings: []string{newFiles}}},
		"removing a logical file needs its state: refused": {
			[]string{"sts1"}, observation(defText("sts1", "sts2"), "4096", "4096"),
			planSummary{Errors: []string{"Cannot remove a logical file"}}},
		"moving a logical file's files needs its state: refused": {
			[]string{"sts1"}, observation("logical sts1 D:\\old\\a E:\\old\\b\n", "-", "-"),
			planSummary{Errors: []string{"Cannot re-pair a logical file"}}},
		"half a logical file may be a blocked one: refused": {
			[]string{"sts1"}, observation(defText("sts1"), "4096", "-"),
			planSummary{Errors: []string{"Half a logical file"}}},
		"an interrupted apply's half logical file, not yet defined, is completed": {
			[]string{"sts1"}, observation("", "4096", "-"),
			planSummary{Action: planner.Create, Steps: []string{initB1, write}, Warnings: []string{newFiles}}},
		"something else than a file at a path: refused": {
			[]string{"sts1"}, observation("", "notfile", "-"),
			planSummary{Errors: []string{"Status file path is not a file"}}},
		"a definition in another format is never overwritten": {
			[]string{"sts1"}, observation("logical sts1\npair /a /b\n", "4096", "4096"),
			planSummary{Errors: []string{"Unreadable status service definition"}}},
		"a wrong number of size lines is an error": {
			[]string{"sts1"}, observation("", "-"),
			planSummary{Errors: []string{"Unreadable status service definition"}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			u := newUnit(testNode(), []*config.StatusFile{block(tt.declared...)})
			got := summarize(u.Plan(tt.obs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The plan never opens, closes, removes or swaps: each needs a state no command reads.
func TestPlanRunsOnlyXodstsinit(t *testing.T) {
	u := newUnit(testNode(), []*config.StatusFile{block("sts1", "sts2", "sts3")})
	up := u.Plan(observation(defText("sts3"), "-", "-", "-", "-", "-", "-"))
	st, ok := up.State.(*unitState)
	if !ok {
		t.Fatalf("no work planned: %+v", up.Diagnostics)
	}
	for _, s := range st.services {
		for _, step := range s.steps {
			if cmd := step.cmd.Display(); !strings.Contains(cmd, "/bin/xodstsinit -f ") {
				t.Errorf("planned %s", cmd)
			}
		}
	}
}

func TestReorderSaysWhenItTakesEffect(t *testing.T) {
	u := newUnit(testNode(), []*config.StatusFile{block("sts2", "sts1")})
	up := u.Plan(observation(defText("sts1", "sts2"), "1", "1", "1", "1"))
	if len(up.Changes) != 1 || !strings.Contains(up.Changes[0].Reason, "only the order changes") {
		t.Fatalf("changes: %+v", up.Changes)
	}
}

func TestObserveReadsOnlyTheDefinitionAndTheFiles(t *testing.T) {
	u := newUnit(testNode(), []*config.StatusFile{block("sts1")})
	var got []string
	for _, op := range u.ObserveOps(u.node.Addr) {
		got = append(got, op.(transport.Command).String())
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{"/opt/HiOBJ/conf/sts", "/d/sts/sts1a", "/e/sts/sts1b"} {
		if !strings.Contains(joined, want) {
			t.Errorf("observe commands lack %s:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "xodsts") {
		t.Errorf("observe runs a vendor command:\n%s", joined)
	}
}

func TestDefinitionRoundTrip(t *testing.T) {
	d := DefinitionOf(block("sts1", "sts2"))
	got, err := ParseDefinition(d.Render())
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(d) {
		t.Errorf("round trip: %+v, want %+v", got, d)
	}
	for _, bad := range []string{
		"logical sts1 /a /b\n",
		"logical sts1 D:\\a\n",
		"logical sts1 D:\\a E:\\b\nlogical sts1 D:\\c E:\\d\n",
		strings.Repeat("logical x D:\\a E:\\b\n", 1) + defText("a", "b", "c", "d", "e", "f", "g"),
	} {
		if _, err := ParseDefinition([]byte(bad)); err == nil {
			t.Errorf("ParseDefinition(%q) accepted it", bad)
		}
	}
}
