package e2e

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/lab"
	"github.com/clusterctl/cluster/lab/emulate"
	"github.com/clusterctl/cluster/lab/labdir"
)

const stsExample = "groupmax-status-files"

// Where the example's object server is: install_dir D:\HiOBJ, as node paths below the node
// root, and how its plan shows init_command: as cmd.exe receives it on a Windows (cmd) node,
// in POSIX quotes on a POSIX node.
const (
	stsInstall   = "d/HiOBJ"
	stsDef       = stsInstall + "/conf/sts"
	stsInit      = `"D:\HiOBJ\bin\xodstsinit.exe" -f`
	stsInitPosix = `'D:\HiOBJ\bin\xodstsinit.exe' -f`
)

// stsWindowsNode starts objsv as an in-process Windows lab node (lab.StartInProcess): reached
// with shell = "cmd" and code page 932 from the lab.vars.hcl the lab writes, with no POSIX
// shell, files over SFTP (/D:/..., /E:/...), the xodsts* programs as D:\HiOBJ\bin\NAME.exe.
func stsWindowsNode(t *testing.T) (*nodes, *lab.Lab) {
	t.Helper()
	l, err := lab.StartInProcess(lab.Options{Dir: t.TempDir(), Names: []string{"objsv"}, Binary: binary, Windows: []string{"*"}, CodePage: 932})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	n := &nodes{t: t, names: []string{"objsv"}, roots: map[string]string{"objsv": l.Registry().Nodes[0].Root},
		varFile: filepath.Join(l.Dir, lab.VarsFile), home: t.TempDir()}
	if vars, err := os.ReadFile(n.varFile); err != nil || !strings.Contains(string(vars), `shell = "cmd", code_page = 932`) {
		t.Fatalf("%s does not reach objsv with shell = \"cmd\" (%v):\n%s", lab.VarsFile, err, vars)
	}
	return n, l
}

// stsStates reads the emulated object server's states on objsv. Test scaffolding: the product
// has no command that prints them, and the tool never reads this file.
func stsStates(t *testing.T, n *nodes) map[string]string {
	t.Helper()
	b, err := os.ReadFile(n.path("objsv", stsInstall+"/var/sts.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ Logicals map[string]string }
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st.Logicals
}

// startServer is the object server's start on objsv (not a command of the seed).
func startServer(t *testing.T, n *nodes) {
	t.Helper()
	if err := emulate.StartObjectServer(n.roots["objsv"], "/"+stsInstall, io.Discard); err != nil {
		t.Fatal(err)
	}
}

// runXodsts runs an emulated xodsts* command on objsv as the operator would on the node.
func runXodsts(t *testing.T, n *nodes, command string, args ...string) {
	t.Helper()
	main, ok := emulate.Lookup(command)
	if !ok {
		t.Fatalf("no emulation %s", command)
	}
	root := n.roots["objsv"]
	t.Setenv(emulate.RootEnv, root)
	var out strings.Builder
	if code := main(filepath.Join(root, stsInstall, "bin", command+".exe"), args, strings.NewReader(""), &out, &out); code != 0 {
		t.Fatalf("%s %v: exit %d: %s", command, args, code, out.String())
	}
}

// stsInOrder fails unless every fragment appears in text, each after the previous one.
func stsInOrder(t *testing.T, text string, fragments ...string) {
	t.Helper()
	rest := text
	for _, f := range fragments {
		i := strings.Index(rest, f)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", f, text)
		}
		rest = rest[i+len(f):]
	}
}

// dropLogical removes a logical_file block from the example, and its line from the example's
// definition content (sts.def, in the lab's format).
func dropLogical(t *testing.T, conf, name string) {
	t.Helper()
	defPath := filepath.Join(filepath.Dir(conf), "sts.def")
	def, err := os.ReadFile(defPath)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.SplitAfter(string(def), "\n") {
		if !strings.HasPrefix(line, "logical "+name+" ") {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(defPath, []byte(strings.Join(kept, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, `  logical_file "`+name+`" {`)
	if i < 0 {
		t.Fatalf("no logical_file %s in %s", name, conf)
	}
	j := strings.Index(s[i:], "  }\n") + i + len("  }\n")
	if err := os.WriteFile(conf, []byte(s[:i]+s[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Seed 003: the files are created before the server starts, then defined; the server's start
// makes the first defined current. Apply opens nothing: no state exists until the start.
// It runs on both kinds of node: a Windows lab node reached with shell = "cmd", and a POSIX
// node (real sshd), where D:\HiOBJ is /d/HiOBJ below the node root.
func TestStatusFilesCreatedThenCurrentAtStart(t *testing.T) {
	t.Run("windows", func(t *testing.T) {
		n, _ := stsWindowsNode(t)
		createdThenCurrent(t, n, stsInit)
	})
	t.Run("posix", func(t *testing.T) {
		// The harness's hosts say shell = "posix": the POSIX dialect, whatever the default for a
		// status-file node.
		n := startNodes(t, "objsv")
		createdThenCurrent(t, n, stsInitPosix)
	})
}

// createdThenCurrent runs the test on n, whose plan shows init_command as shownInit.
func createdThenCurrent(t *testing.T, n *nodes, shownInit string) {
	ex := copyExample(t, stsExample)
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "first plan")
	stsInOrder(t, plan.stdout, shownInit, `D:\HiOBJ\sts\sts1a`, shownInit, `E:\HiOBJ\sts\sts1b`,
		`D:\HiOBJ\sts\sts3a`, `E:\HiOBJ\sts\sts3b`, "write the definition file")
	for _, verb := range []string{"xodstsopn -", "xodstscls", "xodstsrm", "xodstsswp", "xodstsls"} {
		if strings.Contains(plan.stdout, verb) {
			t.Errorf("the plan runs %s:\n%s", verb, plan.stdout)
		}
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")
	for _, f := range []string{"d/HiOBJ/sts/sts1a", "e/HiOBJ/sts/sts1b", "d/HiOBJ/sts/sts3a", "e/HiOBJ/sts/sts3b"} {
		if fi, err := os.Stat(n.path("objsv", f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s after apply: %v", f, err)
		}
	}
	if st := stsStates(t, n); len(st) != 0 {
		t.Errorf("apply changed the server's states: %v", st)
	}
	want, err := os.ReadFile(filepath.Join(ex, "sts.def"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(n.path("objsv", stsDef)); err != nil || string(got) != string(want) {
		t.Errorf("the definition on the node is not definition_content byte for byte (%v):\n%s", err, got)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after apply")

	startServer(t, n)
	if diff := cmp.Diff(map[string]string{"sts1": "current", "sts2": "spare", "sts3": "spare"}, stsStates(t, n)); diff != "" {
		t.Errorf("after the server's start (-want +got):\n%s", diff)
	}
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the start")
}

// A logical file added to a running server's definition is created and defined; it is opened
// at the next start, where the previous current file stays current.
func TestStatusFileAddedWhileRunningOpensAtTheNextStart(t *testing.T) {
	n, _ := stsWindowsNode(t)
	ex := copyExample(t, stsExample)
	conf := filepath.Join(ex, "statusfiles.hcl")
	orig, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	origDef, err := os.ReadFile(filepath.Join(ex, "sts.def"))
	if err != nil {
		t.Fatal(err)
	}
	dropLogical(t, conf, "sts3")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply two logical files")
	startServer(t, n)
	runXodsts(t, n, "xodstsswp") // by hand, on the node: sts2 becomes current

	if err := os.WriteFile(conf, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ex, "sts.def"), origDef, 0o644); err != nil {
		t.Fatal(err)
	}
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan with sts3")
	stsInOrder(t, plan.stdout, stsInit, `D:\HiOBJ\sts\sts3a`, `E:\HiOBJ\sts\sts3b`, "write the definition file")
	if !strings.Contains(plan.stderr, "New logical files stay closed until the server opens them") {
		t.Errorf("no note that sts3 opens at the next start:\n%s", plan.stderr)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply sts3")
	if st := stsStates(t, n); st["sts3"] != "" {
		t.Errorf("sts3 is %s before the server restarted; the definition is read at the start", st["sts3"])
	}
	if err := emulate.StopObjectServer(n.roots["objsv"], "/"+stsInstall); err != nil {
		t.Fatal(err)
	}
	startServer(t, n)
	if diff := cmp.Diff(map[string]string{"sts1": "spare", "sts2": "current", "sts3": "spare"}, stsStates(t, n)); diff != "" {
		t.Errorf("after the restart (-want +got):\n%s", diff)
	}
}

// Removing a logical file or moving its files needs its state, which nothing prints: a new
// definition content that drops a file the node's definition names is refused, and nothing is
// changed.
func TestStatusFileChangesThatNeedTheStateAreRefused(t *testing.T) {
	n, _ := stsWindowsNode(t)
	ex := copyExample(t, stsExample)
	conf := filepath.Join(ex, "statusfiles.hcl")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")
	startServer(t, n)
	def, err := os.ReadFile(n.path("objsv", stsDef))
	if err != nil {
		t.Fatal(err)
	}

	dropLogical(t, conf, "sts3")
	r := n.run("plan", "--var-file", n.varFile, ex)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "Definition would drop status files") {
		t.Fatalf("plan removing sts3: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = n.run("apply", "--auto-approve", "--var-file", n.varFile, ex)
	if r.code == 0 {
		t.Fatalf("apply removing sts3 succeeded:\n%s", r.stdout)
	}

	edit(t, conf, `"D:\\HiOBJ\\sts\\sts2a"`, `"D:\\HiOBJ\\new\\sts2a"`)
	edit(t, filepath.Join(ex, "sts.def"), `D:\HiOBJ\sts\sts2a`, `D:\HiOBJ\new\sts2a`)
	r = n.run("plan", "--var-file", n.varFile, ex)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "Definition would drop status files") || !strings.Contains(r.stdout+r.stderr, `d:\hiobj\sts\sts2a`) {
		t.Fatalf("plan moving sts2's A file: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if after, _ := os.ReadFile(n.path("objsv", stsDef)); string(after) != string(def) {
		t.Errorf("the definition changed:\n%s", after)
	}
	if diff := cmp.Diff(map[string]string{"sts1": "current", "sts2": "spare", "sts3": "spare"}, stsStates(t, n)); diff != "" {
		t.Errorf("states changed (-want +got):\n%s", diff)
	}
}

// An I/O error stops apply before the definition is written; the re-run creates only what is
// missing and finishes.
func TestStatusFileInterruptedApplyConverges(t *testing.T) {
	n, _ := stsWindowsNode(t)
	ex := copyExample(t, stsExample)
	root := n.roots["objsv"]
	if err := labdir.SetFault(root, labdir.StsIOError, "/e/HiOBJ/sts/sts2b"); err != nil {
		t.Fatal(err)
	}
	r := n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 1, "interrupted apply")
	if !strings.Contains(r.stderr, "I/O error") {
		t.Errorf("apply error does not name the I/O error:\n%s", r.stderr)
	}
	if _, err := os.Stat(n.path("objsv", stsDef)); !os.IsNotExist(err) {
		t.Fatalf("the definition file was written although its files were not all created (%v)", err)
	}
	if err := labdir.ClearFault(root, labdir.StsIOError, "/e/HiOBJ/sts/sts2b"); err != nil {
		t.Fatal(err)
	}
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan after the interruption")
	if strings.Contains(plan.stdout, `-f D:\HiOBJ\sts\sts1a`) || strings.Contains(plan.stdout, `-f D:\HiOBJ\sts\sts2a`) {
		t.Errorf("the re-run creates files that exist:\n%s", plan.stdout)
	}
	stsInOrder(t, plan.stdout, `E:\HiOBJ\sts\sts2b`, `D:\HiOBJ\sts\sts3a`, `E:\HiOBJ\sts\sts3b`, "write the definition file")
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "re-run")
	n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan after the re-run")
}

// Without init_command the tool has no xodstsinit command line (its options are in no public
// source): missing files are a plan error naming the logical file, and apply creates nothing.
func TestStatusFileWithoutInitCommandCreatesNothing(t *testing.T) {
	n, _ := stsWindowsNode(t)
	ex := copyExample(t, stsExample)
	conf := filepath.Join(ex, "statusfiles.hcl")
	edit(t, conf, `init_command = ["D:\\HiOBJ\\bin\\xodstsinit.exe", "-f", "{file}"]`, "")
	r := n.run("plan", "--var-file", n.varFile, ex)
	out := r.stdout + r.stderr
	if r.code == 0 || !strings.Contains(out, "Status files missing") || !strings.Contains(out, "Logical file sts1") ||
		!strings.Contains(out, "init_command") {
		t.Fatalf("plan without init_command: exit %d\n%s", r.code, out)
	}
	if n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).code == 0 {
		t.Error("apply without init_command succeeded")
	}
	for _, f := range []string{"d/HiOBJ/sts/sts1a", "e/HiOBJ/sts/sts1b", stsDef} {
		if _, err := os.Stat(n.path("objsv", f)); !os.IsNotExist(err) {
			t.Errorf("%s exists after a refused apply (%v)", f, err)
		}
	}
	// Files made by hand as the manual says: nothing left to create, and the plan is clean.
	for _, name := range []string{"sts1", "sts2", "sts3"} {
		runXodsts(t, n, "xodstsinit", "-f", `D:\HiOBJ\sts\`+name+"a")
		runXodsts(t, n, "xodstsinit", "-f", `E:\HiOBJ\sts\`+name+"b")
	}
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan with the files made by hand")
	if strings.Contains(plan.stdout, "xodstsinit") {
		t.Errorf("the plan runs xodstsinit:\n%s", plan.stdout)
	}
}

// Without definition_content the tool never writes the definition: it creates the missing files
// and warns that the definition is absent; a definition that lists the files in another order is
// a warning naming the logical file, and it is left as it is.
func TestStatusFileWithoutDefinitionContentLeavesTheDefinitionAlone(t *testing.T) {
	n, _ := stsWindowsNode(t)
	ex := copyExample(t, stsExample)
	conf := filepath.Join(ex, "statusfiles.hcl")
	edit(t, conf, `definition_content = file("sts.def")`, "")
	plan := n.run("plan", "--var-file", n.varFile, ex).must(t, 0, "plan")
	if strings.Contains(plan.stdout, "write the definition file") || !strings.Contains(plan.stderr, "No status service definition") {
		t.Errorf("plan without definition_content:\n%s\n%s", plan.stdout, plan.stderr)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, ex).must(t, 0, "apply")
	defPath := n.path("objsv", stsDef)
	if _, err := os.Stat(defPath); !os.IsNotExist(err) {
		t.Fatalf("apply wrote the definition without definition_content (%v)", err)
	}
	mine := "logical sts2 D:\\HiOBJ\\sts\\sts2a E:\\HiOBJ\\sts\\sts2b\nlogical sts1 D:\\HiOBJ\\sts\\sts1a E:\\HiOBJ\\sts\\sts1b\n" +
		"logical sts3 D:\\HiOBJ\\sts\\sts3a E:\\HiOBJ\\sts\\sts3b\n"
	if err := os.MkdirAll(filepath.Dir(defPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(defPath, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	plan = n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, ex).must(t, 0, "plan with the site's definition")
	if !strings.Contains(plan.stderr, "Definition order differs") || !strings.Contains(plan.stderr, "logical file sts1") {
		t.Errorf("no order warning naming sts1:\n%s", plan.stderr)
	}
	if got, _ := os.ReadFile(defPath); string(got) != mine {
		t.Errorf("the definition changed:\n%s", got)
	}
}
