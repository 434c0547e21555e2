package statusfile

import (
	"strconv"
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

// labInit is an init_command in the lab's form (docs/lab.md): the real options are unknown.
var labInit = []string{"/opt/HiOBJ/bin/xodstsinit", "-f", "{file}"}

// block declares a status_file with logical files "NAME" whose files are D:\sts\NAMEa and
// E:\sts\NAMEb, with the lab's init_command and no definition_content.
func block(names ...string) *config.StatusFile {
	sf := &config.StatusFile{Addr: addrs.StatusFile("objsv"), Name: "objsv", Node: testNode(), InstallDir: "/opt/HiOBJ", InitCommand: labInit}
	for _, n := range names {
		sf.Logicals = append(sf.Logicals, &config.LogicalFile{Name: n, AFile: `D:\sts\` + n + "a", BFile: `E:\sts\` + n + "b"})
	}
	return sf
}

// managed is block with definition_content naming the logical files in the lab's format.
func managed(names ...string) *config.StatusFile {
	sf := block(names...)
	sf.DefinitionContent = defText(names...)
	return sf
}

// defText is a definition text naming the logical files, in a format of the test's own: the
// provider reads no syntax.
func defText(names ...string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString("(" + n + ", D:\\STS\\" + strings.ToUpper(n) + "A; e:\\sts\\" + n + "b)\n")
	}
	return b.String()
}

// observation builds what the node reports: the definition ("" = absent) and one answer per
// declared file: its size, "-" absent, "dir" a directory at the path.
func observation(def string, sizes ...string) planner.Observation {
	d := transport.Outcome{Files: []transport.File{{Path: "/opt/HiOBJ/conf/sts"}}}
	if def != "" {
		d.Files[0].Exists, d.Files[0].Data = true, []byte(def)
	}
	var stats []transport.FileInfo
	for _, sz := range sizes {
		switch sz {
		case "-":
			stats = append(stats, transport.FileInfo{})
		case "dir":
			stats = append(stats, transport.FileInfo{Exists: true, Dir: true})
		default:
			n, err := strconv.ParseInt(sz, 10, 64)
			if err != nil {
				panic(sz)
			}
			stats = append(stats, transport.FileInfo{Exists: true, Size: n})
		}
	}
	return planner.Observation{Results: map[addrs.Address][]transport.Outcome{
		addrs.Node("objsv"): {d, {Stats: stats}},
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
	unmanaged := func(sf *config.StatusFile) *config.StatusFile { return sf }
	noInit := func(sf *config.StatusFile) *config.StatusFile { sf.InitCommand = nil; return sf }
	tests := map[string]struct {
		sf   *config.StatusFile
		obs  planner.Observation
		want planSummary
	}{
		"a new service: create each logical file's A, then B, then write the definition": {
			managed("sts1", "sts2"), observation("", "-", "-", "-", "-"),
			planSummary{Action: planner.Create, Steps: []string{initA1, initB1, initA2, initB2, write}, Warnings: []string{newFiles}}},
		"nothing to do when the definition's bytes and the files are there": {
			managed("sts1", "sts2"), observation(defText("sts1", "sts2"), "4096", "4096", "4096", "4096"),
			planSummary{}},
		"an added logical file is created and the new content written": {
			managed("sts1", "sts2"), observation(defText("sts1"), "4096", "4096", "-", "-"),
			planSummary{Action: planner.Update, Steps: []string{initA2, initB2, write}, Warnings: []string{newFiles}}},
		"a byte of difference is a write": {
			managed("sts1"), observation(defText("sts1")+" ", "4096", "4096"),
			planSummary{Action: planner.Update, Steps: []string{write}}},
		"a new order is only a new definition": {
			managed("sts2", "sts1"), observation(defText("sts1", "sts2"), "4096", "4096", "4096", "4096"),
			planSummary{Action: planner.Update, Steps: []string{write}}},
		"a defined logical file without files gets them": {
			managed("sts1"), observation(defText("sts1"), "-", "-"),
			planSummary{Action: planner.Update, Steps: []string{initA1, initB1}, Warnings: []string{newFiles}}},
		"without init_command, missing files are a plan error": {
			noInit(managed("sts1")), observation(defText("sts1"), "-", "-"),
			planSummary{Errors: []string{"Status files missing"}}},
		"without init_command, existing files need nothing": {
			noInit(managed("sts1")), observation(defText("sts1"), "1", "1"),
			planSummary{}},
		"content that drops a file the node's definition names: refused": {
			managed("sts1"), observation(defText("sts1", "sts2"), "4096", "4096"),
			planSummary{Errors: []string{"Definition would drop status files"}}},
		"half a logical file the definition names may be a blocked one: refused": {
			managed("sts1"), observation(defText("sts1"), "4096", "-"),
			planSummary{Errors: []string{"Half a logical file"}}},
		"an interrupted apply's half logical file, not yet defined, is completed": {
			managed("sts1"), observation("", "4096", "-"),
			planSummary{Action: planner.Create, Steps: []string{initB1, write}, Warnings: []string{newFiles}}},
		"something else than a file at a path: refused": {
			managed("sts1"), observation("", "dir", "-"),
			planSummary{Errors: []string{"Status file path is not a file"}}},
		"a wrong number of answers is an error": {
			managed("sts1"), observation("", "-"),
			planSummary{Errors: []string{"Unreadable status files"}}},
		"without definition_content the definition is left alone": {
			unmanaged(block("sts1")), observation(defText("sts1"), "-", "-"),
			planSummary{Action: planner.Update, Steps: []string{initA1, initB1}, Warnings: []string{newFiles}}},
		"without definition_content an absent definition is a warning, never written": {
			unmanaged(block("sts1")), observation("", "1", "1"),
			planSummary{Warnings: []string{"No status service definition"}}},
		"without definition_content a path the definition lacks is a warning": {
			unmanaged(block("sts1", "sts2")), observation(defText("sts1"), "1", "1", "1", "1"),
			planSummary{Warnings: []string{"Definition does not name a status file"}}},
		"without definition_content another order is a warning": {
			unmanaged(block("sts1", "sts2")), observation(defText("sts2", "sts1"), "1", "1", "1", "1"),
			planSummary{Warnings: []string{"Definition order differs"}}},
		"declared content that lacks a path is refused before reading the node": {
			func() *config.StatusFile {
				sf := managed("sts1", "sts2")
				sf.DefinitionContent = defText("sts1")
				return sf
			}(),
			observation(defText("sts1"), "1", "1", "1", "1"),
			planSummary{Errors: []string{"Definition does not name a status file"}}},
		"an init_command without {file} is refused": {
			func() *config.StatusFile { sf := managed("sts1"); sf.InitCommand = []string{"xodstsinit"}; return sf }(),
			observation("", "-", "-"),
			planSummary{Errors: []string{"Unusable init_command"}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			u := newUnit(testNode(), []*config.StatusFile{tt.sf})
			got := summarize(u.Plan(tt.obs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The plan never opens, closes, removes or swaps, and never runs init_command on a file that
// exists: each file it creates was reported absent.
func TestPlanRunsInitCommandOnlyOnAbsentFiles(t *testing.T) {
	u := newUnit(testNode(), []*config.StatusFile{managed("sts1", "sts2", "sts3")})
	// sts1 complete, sts2 absent, sts3 half and not yet defined on the node.
	up := u.Plan(observation("", "1", "1", "-", "-", "1", "-"))
	st, ok := up.State.(*unitState)
	if !ok {
		t.Fatalf("no work planned: %+v", up.Diagnostics)
	}
	var got []string
	for _, s := range st.services {
		for _, step := range s.steps {
			got = append(got, step.cmd.Display())
		}
	}
	want := []string{
		`/opt/HiOBJ/bin/xodstsinit -f 'D:\sts\sts2a'`, `/opt/HiOBJ/bin/xodstsinit -f 'E:\sts\sts2b'`,
		`/opt/HiOBJ/bin/xodstsinit -f 'E:\sts\sts3b'`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

// The placeholders are replaced inside any argument, and each argument stays one argument.
func TestInitCommandPlaceholders(t *testing.T) {
	l := Logical{Name: "sts1", A: `D:\my sts\a'1`, B: `E:\sts\b1`}
	argv := []string{`D:\HiOBJ\bin\xodstsinit.exe`, "--name={logical}-{side}", "{file}", "$(reboot)"}
	for side, want := range map[string]string{
		// A drive-path program is a node path (under the lab's node root); the rest is quoted.
		"A": `"${CLUSTER_NODE_ROOT-}"/d/HiOBJ/bin/xodstsinit.exe --name=sts1-A 'D:\my sts\a'\''1' '$(reboot)'`,
		"B": `"${CLUSTER_NODE_ROOT-}"/d/HiOBJ/bin/xodstsinit.exe --name=sts1-B 'E:\sts\b1' '$(reboot)'`,
	} {
		c := initCommand(argv, l, side)
		if got := c.String(); got != want {
			t.Errorf("side %s: %s\nwant %s", side, got, want)
		}
	}
}

// A definition write carries the whole old and new content as a text diff, and apply writes
// exactly the declared bytes.
func TestDefinitionWriteIsBytes(t *testing.T) {
	sf := managed("sts1")
	sf.DefinitionContent = "* site syntax \r\n" + defText("sts1") + "\x00tail"
	u := newUnit(testNode(), []*config.StatusFile{sf})
	up := u.Plan(observation("old\n", "1", "1"))
	if len(up.Changes) != 1 || len(up.Changes[0].Texts) != 1 {
		t.Fatalf("changes: %+v diags %+v", up.Changes, up.Diagnostics)
	}
	if tx := up.Changes[0].Texts[0]; tx.Before != "old\n" || tx.After != sf.DefinitionContent || tx.Path != "/opt/HiOBJ/conf/sts" {
		t.Errorf("text diff: %+v", tx)
	}
	st := up.State.(*unitState)
	if got := string(st.services[0].final); got != sf.DefinitionContent {
		t.Errorf("apply would write %q", got)
	}
}

// Observe is two typed reads, which every dialect runs: the definition file, then a stat of
// each logical file's A and B path, in declared order. No program runs (no xodsts* command: none
// prints a state), and nothing is a POSIX script.
func TestObserveReadsOnlyTheDefinitionAndTheFiles(t *testing.T) {
	u := newUnit(testNode(), []*config.StatusFile{block("sts1", "sts2")})
	want := []transport.Op{
		transport.ReadFiles{Paths: []transport.NodePath{"/opt/HiOBJ/conf/sts"}},
		transport.Stat{Paths: []transport.NodePath{`D:\sts\sts1a`, `E:\sts\sts1b`, `D:\sts\sts2a`, `E:\sts\sts2b`}},
	}
	if diff := cmp.Diff(want, u.ObserveOps(u.node.Addr)); diff != "" {
		t.Errorf("observe ops (-want +got):\n%s", diff)
	}
}

// The saved-plan fingerprint changes with every byte of the definition and every file's
// presence, kind and size, and with nothing else.
func TestFingerprintFollowsWhatWasRead(t *testing.T) {
	u := newUnit(testNode(), []*config.StatusFile{managed("sts1")})
	fp := func(obs planner.Observation) string { return u.Plan(obs).Observed[u.node.Addr.String()] }
	base := fp(observation(defText("sts1"), "4096", "4096"))
	if base == "" || base != fp(observation(defText("sts1"), "4096", "4096")) {
		t.Fatalf("fingerprint not stable: %q", base)
	}
	for name, obs := range map[string]planner.Observation{
		"a byte of the definition": observation(defText("sts1")+" ", "4096", "4096"),
		"the definition gone":      observation("", "4096", "4096"),
		"a file's size":            observation(defText("sts1"), "4096", "4095"),
		"a file gone":              observation(defText("sts1"), "4096", "-"),
		"a directory at a path":    observation(defText("sts1"), "dir", "4096"),
	} {
		if fp(obs) == base {
			t.Errorf("%s does not change the fingerprint", name)
		}
	}
}

// init_command with an absolute program is one program every dialect starts (a NodePath, not a
// POSIX-only step); a bare name is looked up on PATH, which only a POSIX shell does, and a
// Windows dialect refuses it (validation says so first).
func TestInitCommandRunsInEveryDialectOnlyByAbsolutePath(t *testing.T) {
	l := Logical{Name: "sts1", A: `D:\HiOBJ\sts\sts1a`, B: `E:\HiOBJ\sts\sts1b`}
	for argv0, posixOnly := range map[string]bool{
		`D:\HiOBJ\bin\xodstsinit.exe`: false,
		"/opt/HiOBJ/bin/xodstsinit":   false,
		"xodstsinit":                  true,
	} {
		c := initCommand([]string{argv0, "-f", "{file}"}, l, "A")
		if got := c.PosixOnly(); got != posixOnly {
			t.Errorf("%s: PosixOnly %v, want %v", argv0, got, posixOnly)
		}
		if _, isPath := c.Args[0].(transport.NodePath); isPath == posixOnly {
			t.Errorf("%s: program %T", argv0, c.Args[0])
		}
	}
}

// On a cmd node init_command is shown as cmd.exe receives it: no POSIX quotes.
func TestInitCommandShownForCmdNode(t *testing.T) {
	sf := block("sts1")
	sf.Node.Endpoint.SSH.Shell = transport.ShellCmd
	sf.InitCommand = []string{`D:\HiOBJ\bin\xodstsinit.exe`, "-f", "{file}"}
	u := newUnit(sf.Node, []*config.StatusFile{sf})
	got := summarize(u.Plan(observation("", "-", "-"))).Steps
	want := []string{
		`"D:\HiOBJ\bin\xodstsinit.exe" -f D:\sts\sts1a|create the A file D:\sts\sts1a`,
		`"D:\HiOBJ\bin\xodstsinit.exe" -f E:\sts\sts1b|create the B file E:\sts\sts1b`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
}
