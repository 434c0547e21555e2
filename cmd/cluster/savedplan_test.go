package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// writeConfig writes files into a new directory under root and returns its path.
func writeConfig(t *testing.T, root, name string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for n, content := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// chdir changes the working directory for the rest of the test.
func chdir(t *testing.T, dir string) {
	t.Helper()
	old, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(old) })
}

// A saved plan finds its configuration by what it recorded, from any working directory, also in
// a checkout moved elsewhere; a changed file is named.
func TestSavedConfigDir(t *testing.T) {
	files := map[string]string{"cluster.hcl": "# web\n", "nodes.hcl": "# nodes\n", "site.auto.vars.hcl": "x = 1\n"}
	tmp := t.TempDir()
	job1 := filepath.Join(tmp, "job1")
	web := writeConfig(t, job1, "web", files)
	chdir(t, job1)
	saved := &planner.Plan{}
	if err := recordPlanSource(saved, "web"); err != nil {
		t.Fatal(err)
	}
	if saved.ConfigDir != web || saved.ConfigDirArg != "web" {
		t.Fatalf("recorded %q (given %q), want %q (given web)", saved.ConfigDir, saved.ConfigDirArg, web)
	}
	if _, ok := saved.ConfigFiles["site.auto.vars.hcl"]; ok || len(saved.ConfigFiles) != 2 {
		t.Fatalf("recorded files %v, want cluster.hcl and nodes.hcl only (variable files may hold secrets)", saved.ConfigFiles)
	}

	elsewhere := writeConfig(t, tmp, "elsewhere", map[string]string{"other.hcl": "# unrelated\n"})
	chdir(t, elsewhere)
	if got, err := savedConfigDir(saved, false); err != nil || got != web {
		t.Errorf("from an unrelated directory: %q, %v; want %q", got, err, web)
	}

	// --chdir names the configuration: a copy there is taken first, the original still existing.
	named := writeConfig(t, tmp, "named", files)
	chdir(t, named)
	if got, err := savedConfigDir(saved, true); err != nil || got != named {
		t.Errorf("with --chdir %s: %q, %v; want it", named, got, err)
	}

	// --chdir is the only candidate: a changed copy there is stale, though the recorded
	// directory still matches.
	edited := writeConfig(t, tmp, "edited", map[string]string{"cluster.hcl": "# web, edited\n", "nodes.hcl": "# nodes\n"})
	chdir(t, edited)
	_, err := savedConfigDir(saved, true)
	if err == nil || !strings.Contains(err.Error(), "cluster.hcl changed since the plan") || !strings.Contains(err.Error(), edited) ||
		!strings.Contains(err.Error(), "stale") {
		t.Errorf("with --chdir %s holding an edited copy: %v; want a stale plan error naming it and cluster.hcl", edited, err)
	}
	chdir(t, elsewhere)
	if _, err := savedConfigDir(saved, true); err == nil || !strings.Contains(err.Error(), elsewhere) {
		t.Errorf("with --chdir naming an unrelated directory: %v; want an error naming it, not the recorded %s", err, web)
	}

	// CI: a second job applies in another checkout; the first one is gone.
	job2 := filepath.Join(tmp, "job2")
	web2 := writeConfig(t, job2, "web", files)
	if err := os.RemoveAll(job1); err != nil {
		t.Fatal(err)
	}
	for _, wd := range []string{job2, web2} {
		chdir(t, wd)
		if got, err := savedConfigDir(saved, false); err != nil || got != web2 {
			t.Errorf("from %s: %q, %v; want %q", wd, got, err, web2)
		}
	}
	chdir(t, elsewhere)
	_, err = savedConfigDir(saved, false)
	if err == nil || !strings.Contains(err.Error(), "--chdir") {
		t.Errorf("from an unrelated directory with the configuration gone: %v, want an error naming --chdir", err)
	}

	// A changed file is named.
	chdir(t, job2)
	if err := os.WriteFile(filepath.Join(web2, "cluster.hcl"), []byte("# web, edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(web2, "extra.hcl"), []byte("\n"), 0o644)
	os.Remove(filepath.Join(web2, "nodes.hcl"))
	_, err = savedConfigDir(saved, false)
	want := "cluster.hcl changed since the plan, extra.hcl was added since the plan, nodes.hcl was removed since the plan"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "stale") {
		t.Errorf("after edits: %v, want a stale plan error naming %q", err, want)
	}
}

// A plan file written before the files were recorded still applies from its recorded directory.
func TestSavedConfigDirOlderPlanFile(t *testing.T) {
	got, err := savedConfigDir(&planner.Plan{ConfigDir: "."}, false)
	if err != nil || got != "." {
		t.Errorf("got %q, %v; want the recorded directory", got, err)
	}
}

// The flags that shaped a plan are recorded and used again by its apply; given to apply with a
// saved plan they are refused, and so are values of variables the plan holds.
func TestSavedPlanFlags(t *testing.T) {
	plan := newPlanCmd(&globals{})
	if err := plan.ParseFlags([]string{"--resync", "sv1", "--resync", "sv2", "--allow-group-moves", "--assume-running", "--target", "cluster.web"}); err != nil {
		t.Fatal(err)
	}
	recorded := recordPlanFlags(plan.Flags())
	if diff := cmp.Diff([]string{"--resync=sv1", "--resync=sv2", "--allow-group-moves=true", "--assume-running=true"}, recorded); diff != "" {
		t.Errorf("recorded flags (-want +got):\n%s", diff)
	}
	saved := &planner.Plan{Flags: recorded, Variables: map[string]planner.Value{
		"port": planner.Int(22), "password": planner.Sensitive(planner.String("x")),
	}}

	apply := newApplyCmd(&globals{})
	if err := useSavedPlanFlags(apply.Flags(), config.LoadOptions{}, saved); err != nil {
		t.Fatal(err)
	}
	if got, _ := apply.Flags().GetStringArray("resync"); !cmp.Equal(got, []string{"sv1", "sv2"}) {
		t.Errorf("apply's --resync %v, want the plan's", got)
	}
	if got, _ := apply.Flags().GetBool("allow-group-moves"); !got {
		t.Error("apply's --allow-group-moves is not the plan's")
	}
	// A plan made with --assume-running suspends a cluster whose run state was unknown; its
	// apply must do what was shown, not refuse for want of the flag.
	if got, _ := apply.Flags().GetBool("assume-running"); !got {
		t.Error("apply's --assume-running is not the plan's")
	}

	varFile := filepath.Join(t.TempDir(), "x.vars.hcl")
	os.WriteFile(varFile, []byte("password = \"y\"\nport = 23\n"), 0o600)
	secretFile := filepath.Join(t.TempDir(), "secret.vars.hcl")
	os.WriteFile(secretFile, []byte("password = \"y\"\n"), 0o600)
	for _, tc := range []struct {
		args    []string
		load    config.LoadOptions
		wantErr string
	}{
		{args: []string{"--target", "cluster.web"}, wantErr: "--target cannot be used when applying a saved plan"},
		{args: []string{"--max-parallel-members", "2"}, wantErr: "--max-parallel-members cannot be used"},
		{args: []string{"--assume-running"}, wantErr: "--assume-running cannot be used"},
		{load: config.LoadOptions{Vars: []string{"port=23"}}, wantErr: `--var port sets variable "port", which cannot be set when applying a saved plan`},
		{load: config.LoadOptions{VarFiles: []string{varFile}}, wantErr: `sets variable "port"`},
		{load: config.LoadOptions{Vars: []string{"password=y"}, VarFiles: []string{secretFile}}},
		{args: []string{"--lock-timeout", "1m", "--auto-approve", "--json", "--parallelism", "3"}},
	} {
		apply := newApplyCmd(&globals{})
		if err := apply.ParseFlags(tc.args); err != nil {
			t.Fatal(err)
		}
		err := useSavedPlanFlags(apply.Flags(), tc.load, &planner.Plan{Variables: saved.Variables})
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%v %v: %v, want no error", tc.args, tc.load, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%v %v: %v, want an error containing %q", tc.args, tc.load, err, tc.wantErr)
		}
	}
}

// apply PLANFILE --target is refused before anything is loaded or reached.
func TestApplySavedPlanWithTargetIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.plan")
	if err := planner.WritePlanFile(path, &planner.Plan{ConfigDir: "/nonexistent"}); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runRoot(t, nil, "apply", path, "--target", "cluster.web")
	if code != 1 || !strings.Contains(errOut, "--target cannot be used when applying a saved plan") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 refusing --target", code, errOut)
	}
}
