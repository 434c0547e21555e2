package main

import (
	"bytes"
	"github.com/google/go-cmp/cmp"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// runRoot runs the whole command tree as main does, with stdin, and returns what it wrote
// and the exit status main would return.
func runRoot(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Setenv("NO_COLOR", "1")
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	if stdin != nil {
		root.SetIn(stdin)
	}
	root.SetArgs(singleDashArgs(root, args))
	code = exitCode(root.Execute(), root)
	return out.String(), errOut.String(), code
}

func TestIsTerminal(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	if fi, _ := devNull.Stat(); fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is not a character device here", os.DevNull)
	}
	if isTerminal(devNull) {
		t.Errorf("%s is a character device, not a terminal", os.DevNull)
	}
	if isTerminal(strings.NewReader("yes\n")) || isTerminal(&bytes.Buffer{}) {
		t.Error("a reader or buffer is not a terminal")
	}
}

// An apply that would need approval without a terminal fails before it loads anything or
// reaches any node: the configuration here points at nodes that do not exist.
func TestApplyWithoutTerminalFailsAtOnce(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	for name, stdin := range map[string]io.Reader{"/dev/null": devNull, "pipe": strings.NewReader("yes\n")} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			out, errOut, code := runRoot(t, stdin, "apply", "--connect-timeout", "30s", "../../testdata/valid/services")
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(errOut, "--auto-approve") || !strings.Contains(errOut, "not a terminal") {
				t.Errorf("stderr does not say to pass --auto-approve:\n%s", errOut)
			}
			if out != "" {
				t.Errorf("stdout: %q, want nothing (no plan, no prompt)", out)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v: it reached for the nodes", d)
			}
		})
	}
}

func TestNoColorEnvironment(t *testing.T) {
	// The value a run sees, through the root command's pre-run: --no-color is bound to it.
	seen := func() bool {
		root := newRootCmd()
		root.SetArgs([]string{"version"})
		root.SetOut(io.Discard)
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		return root.PersistentFlags().Lookup("no-color").Value.String() == "true"
	}
	for _, c := range []struct {
		set   bool
		value string
		want  bool
	}{{false, "", false}, {true, "", false}, {true, "1", true}, {true, "false", true}} {
		if c.set {
			t.Setenv("NO_COLOR", c.value)
		} else {
			t.Setenv("NO_COLOR", "")
			os.Unsetenv("NO_COLOR")
		}
		if got := seen(); got != c.want {
			t.Errorf("NO_COLOR set=%v %q: colour disabled = %v, want %v", c.set, c.value, got, c.want)
		}
	}
}

func TestMistypedCommandsAndFlagsGetSuggestions(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"plna"}, "Did you mean this?\n\tplan"},
		{[]string{"apply", "--auto-aprove"}, "unknown flag: --auto-aprove\n\nDid you mean this?\n\t--auto-approve"},
		{[]string{"plan", "--targt", "group.x"}, "Did you mean this?\n\t--target"},
		{[]string{"plan", "--no-colr"}, "Did you mean this?\n\t--no-color"},
		{[]string{"lab", "upp"}, "unknown command \"upp\" for \"cluster lab\"\n\nDid you mean this?\n\tup"},
	}
	for _, c := range cases {
		out, errOut, code := runRoot(t, nil, c.args...)
		if code != 1 || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant exit 1 and %q on stderr", c.args, code, out, errOut, c.want)
		}
	}
}

// Every command reports its errors on stderr, and nothing on stdout.
func TestErrorsGoToStderr(t *testing.T) {
	missing := t.TempDir() + "/missing"
	for _, args := range [][]string{
		{"validate", missing},
		{"plan", missing},
		{"apply", "--auto-approve", missing},
		{"show", missing},
		{"fmt", missing},
		{"plan", "--target", "no-such-address", "../../testdata/valid/services"},
		{"version", "extra"},
	} {
		out, errOut, code := runRoot(t, nil, args...)
		if code == 0 || out != "" || !strings.HasPrefix(errOut, "Error:") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want the error on stderr only", args, code, out, errOut)
		}
	}
}

// A plan's errors and warnings go to stderr; the plan itself stays on stdout.
func TestPlanDiagnosticsGoToStderr(t *testing.T) {
	p := &planner.Plan{
		Errored: true,
		Changes: []planner.Change{{Addr: addrs.Group("iis"), Action: planner.Create}},
		Diagnostics: []planner.Diagnostic{
			{Severity: planner.SeverityError, Summary: "Node unreachable", Addr: "cluster.web.node.sv4", Detail: "dial tcp: refused"},
			{Severity: planner.SeverityWarning, Summary: "Single scan server"},
		},
	}
	var out, errOut bytes.Buffer
	root := newRootCmd()
	root.SetOut(&out)
	root.SetErr(&errOut)
	if err := planView(root, &globals{noColor: true}, false).Plan(p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Node unreachable") || !strings.Contains(out.String(), "group.iis") ||
		!strings.Contains(out.String(), "Planning failed.") {
		t.Errorf("stdout:\n%s", out.String())
	}
	want := "\nError: Node unreachable\n\n  on cluster.web.node.sv4:\n  dial tcp: refused\n\nWarning: Single scan server\n"
	if errOut.String() != want {
		t.Errorf("stderr:\n%q\nwant\n%q", errOut.String(), want)
	}
	if len(p.Diagnostics) != 2 {
		t.Error("rendering changed the plan")
	}

	// JSON keeps them in the document.
	out.Reset()
	errOut.Reset()
	if err := planView(root, &globals{noColor: true}, true).Plan(p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Node unreachable") || errOut.Len() != 0 {
		t.Errorf("--json: stdout %s\nstderr %s", out.String(), errOut.String())
	}
}

func loadFull(t *testing.T) *config.Config {
	t.Helper()
	loaded, diags := config.Load("../../testdata/valid/linux-full", config.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return loaded.Config
}

func mustParse(t *testing.T, s string) addrs.Address {
	t.Helper()
	a, err := addrs.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestUnknownTargets(t *testing.T) {
	c := newTargetChecker(loadFull(t))
	noChanges := &planner.Plan{}
	cases := []struct {
		target      string
		plan        *planner.Plan
		wantErr     string // "" when the target is fine
		beforeFails bool
	}{
		{"cluster.db", noChanges, "", false},
		{"group.orders.fip.fip1", noChanges, "", false},
		{"cluster.db.node.sv1", noChanges, "", false},
		{"script.orders", noChanges, "", false},
		{"group.ordres", noChanges, "--target group.ordres: no such object in the configuration; did you mean group.orders?", true},
		{"cluster.dbb.node.sv1", noChanges, "--target cluster.dbb.node.sv1: no such object in the configuration; did you mean cluster.db.node.sv1?", true},
		{"group.orders.fip.fip2", noChanges, "--target group.orders.fip.fip2: no such object in the configuration; did you mean group.orders.fip.fip1?", false},
		{"server_group.web", noChanges, "--target server_group.web: no such object in the configuration", true},
		// A resource removed from the configuration is planned for deletion: it may be targeted.
		{"group.orders.fip.old", &planner.Plan{Changes: []planner.Change{{Addr: addrs.Resource("orders", "fip", "old"), Action: planner.Delete}}}, "", false},
		// An errored plan is not judged: its own errors fail the run.
		{"group.orders.fip.fip2", &planner.Plan{Errored: true}, "", false},
	}
	for _, tc := range cases {
		targets := []addrs.Address{mustParse(t, tc.target)}
		err := c.beforePlan(targets)
		if tc.beforeFails {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("%s before planning: %v, want %q", tc.target, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s before planning: %v", tc.target, err)
			continue
		}
		err = c.afterPlan(targets, tc.plan)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.target, err)
		case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr):
			t.Errorf("%s: %v, want %q", tc.target, err, tc.wantErr)
		}
	}
}

func TestVersion(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/clusterctl/cluster", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "eee16a94104f5e892c52095f2a8eb6c913bd8b7d"},
			{Key: "vcs.time", Value: "2026-12-01T02:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	var b bytes.Buffer
	if err := writeVersion(&b, bi); err != nil {
		t.Fatal(err)
	}
	want := "cluster v1.4.0\nmodule:  github.com/clusterctl/cluster\n" +
		"commit:  eee16a94104f5e892c52095f2a8eb6c913bd8b7d (modified), 2026-12-01T02:00:00Z\n" +
		"go:      go1.26.8 " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}

	// Without VCS information it says so; -ldflags values fill in.
	b.Reset()
	writeVersion(&b, &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/clusterctl/cluster", Version: "(devel)"}})
	if !strings.Contains(b.String(), "cluster (devel)\n") || !strings.Contains(b.String(), "commit:  unknown") {
		t.Errorf("no VCS information:\n%s", b.String())
	}
	defer func(v, c string) { version, commit = v, c }(version, commit)
	version, commit = "v9.9.9", "0123456789abcdef"
	b.Reset()
	writeVersion(&b, &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/clusterctl/cluster", Version: "(devel)"}})
	if !strings.HasPrefix(b.String(), "cluster v9.9.9\n") || !strings.Contains(b.String(), "commit:  0123456789abcdef\n") {
		t.Errorf("-ldflags values:\n%s", b.String())
	}

	// The command itself prints the running binary's Go version.
	out, errOut, code := runRoot(t, nil, "version")
	if code != 0 || !strings.Contains(out, runtime.Version()) || !strings.HasPrefix(out, "cluster ") || errOut != "" {
		t.Errorf("cluster version: exit %d\n%s\n%s", code, out, errOut)
	}
}

// Every command that reaches the nodes connects the same way; only plan and apply take the
// flags that shape a rollout.
func TestCommandsTakeTheFlagsTheyUse(t *testing.T) {
	root := newRootCmd()
	connection := []string{"var-file", "parallelism", "accept-new-host-keys", "connect-timeout"}
	rollout := []string{"resync", "max-parallel-members", "allow-group-moves"}
	for _, c := range []struct {
		sub          string
		has, hasNone []string
	}{
		{"plan", append(append([]string{"target", "assume-running"}, connection...), rollout...), nil},
		{"apply", append(append([]string{"target", "assume-running"}, connection...), rollout...), nil},
		{"rollback", append([]string{"target", "assume-running"}, connection...), rollout},
		{"backups", connection, append([]string{"target", "assume-running"}, rollout...)},
		{"force-unlock", connection, append([]string{"target", "assume-running"}, rollout...)},
		{"status", connection, append([]string{"target", "assume-running"}, rollout...)},
	} {
		cmd, _, err := root.Find([]string{c.sub})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range c.has {
			if cmd.Flags().Lookup(name) == nil {
				t.Errorf("%s has no --%s", c.sub, name)
			}
		}
		for _, name := range c.hasNone {
			if cmd.Flags().Lookup(name) != nil {
				t.Errorf("%s takes --%s, which does nothing for it", c.sub, name)
			}
		}
	}
}

// Every command's --help has an Examples section, hidden commands aside.
func TestEveryCommandHasExamples(t *testing.T) {
	root := newRootCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		var out bytes.Buffer
		c.SetOut(&out)
		if err := c.Help(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "\nExamples:\n") {
			t.Errorf("%s --help has no Examples section", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if used := len(commandExamples); used == 0 {
		t.Fatal("no examples")
	}
}

// lab up --help explains what the lab is and how to use it.
func TestLabUpHelpExplainsTheLab(t *testing.T) {
	out, _, code := runRoot(t, nil, "lab", "up", "--help")
	for _, want := range []string{"simulated cluster nodes", "lab.vars.hcl", "--var-file", "docs/lab.md"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("lab up --help (exit %d) lacks %q:\n%s", code, want, out)
		}
	}
}

// rollback </dev/null fails at once, saying to pass --auto-approve (not to save a plan, which
// rollback has not).
func TestRollbackWithoutTerminalSuggestsAutoApprove(t *testing.T) {
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	_, errOut, code := runRoot(t, devNull, "rollback", "--connect-timeout", "30s", "../../testdata/valid/services")
	if code != 1 || !strings.Contains(errOut, "rollback needs approval") || !strings.Contains(errOut, "--auto-approve") ||
		strings.Contains(errOut, "plan --out") {
		t.Errorf("rollback </dev/null: exit %d, stderr:\n%s\nwant exit 1 suggesting --auto-approve", code, errOut)
	}
}

// `lab up --windows NAMES --code-page N` reaches the lab's options; without --windows the lab
// keeps its previous choice (nil), with --windows=” it has none.
func TestLabWindowsFlags(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		windows  []string
		codePage int
	}{
		{args: nil, windows: nil},
		{args: []string{"--windows", "sv1,sv2", "--code-page", "65001"}, windows: []string{"sv1", "sv2"}, codePage: 65001},
		{args: []string{"--windows", "*"}, windows: []string{"*"}},
		{args: []string{"--windows="}, windows: []string{}},
	} {
		f := &labFlags{}
		up := newLabUpCmd(f)
		if err := up.ParseFlags(tc.args); err != nil {
			t.Fatal(err)
		}
		got := f.options()
		if !cmp.Equal(got.Windows, tc.windows) || (got.Windows == nil) != (tc.windows == nil) || got.CodePage != tc.codePage {
			t.Errorf("%v: windows %#v code page %d, want %#v %d", tc.args, got.Windows, got.CodePage, tc.windows, tc.codePage)
		}
	}
}
