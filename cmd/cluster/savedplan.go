package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
)

// A saved plan applies from any working directory: plan --out records the configuration's
// absolute directory, the directory as it was given, and a hash of each configuration file
// (never their content: a file may hold a sensitive variable's default). apply finds the
// configuration by those hashes; see docs/saved-plans.md.

// recordPlanSource records in p where its configuration is and what its files hold, for plan
// --out. dir is the configuration directory as given on the command line.
func recordPlanSource(p *planner.Plan, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	files, err := config.FileHashes(abs)
	if err != nil {
		return err
	}
	p.ConfigDir, p.ConfigDirArg, p.ConfigFiles = abs, dir, files
	return nil
}

// savedConfigDir returns the directory holding the configuration saved was made from. With
// --chdir (chdir), it is the working directory --chdir named, or none. Without, it is the first
// of these whose configuration files are exactly the recorded ones: the recorded absolute
// directory, the directory as given to plan taken from the working directory (a checkout moved
// elsewhere), and the working directory. When none matches, the plan is stale (naming the files
// that differ) or its configuration is not found.
func savedConfigDir(saved *planner.Plan, chdir bool) (string, error) {
	if len(saved.ConfigFiles) == 0 { // a plan file saved before files were recorded
		return saved.ConfigDir, nil
	}
	if chdir {
		return chdirConfigDir(saved)
	}
	candidates := []string{saved.ConfigDir}
	if saved.ConfigDirArg != "" && !filepath.IsAbs(saved.ConfigDirArg) {
		candidates = append(candidates, saved.ConfigDirArg)
	}
	candidates = append(candidates, ".")
	type mismatch struct {
		dir     string
		changes []string
	}
	var nearest *mismatch
	seen := map[string]bool{}
	for _, c := range candidates {
		abs, err := filepath.Abs(c)
		if err != nil || seen[abs] {
			continue
		}
		seen[abs] = true
		files, err := config.FileHashes(abs)
		if err != nil || len(files) == 0 {
			continue
		}
		changes := fileChanges(saved.ConfigFiles, files)
		if len(changes) == 0 {
			return abs, nil
		}
		// The recorded directory is the plan's configuration, changed; another one is taken
		// for a changed copy of it when it shares a file name with it.
		if nearest == nil && (abs == saved.ConfigDir || sharesName(saved.ConfigFiles, files)) {
			nearest = &mismatch{abs, changes}
		}
	}
	if nearest != nil {
		return "", &stalePlanError{why: fmt.Sprintf("the configuration changed since this plan was made: in %s, %s",
			nearest.dir, strings.Join(nearest.changes, ", "))}
	}
	wd, _ := os.Getwd()
	return "", fmt.Errorf("cannot find the configuration this plan was made from: %s no longer holds it, and the working directory %s "+
		"does not either: run apply in the checkout's configuration directory (or where plan ran), or name it with --chdir", saved.ConfigDir, wd)
}

// chdirConfigDir returns the working directory that --chdir named when its configuration files
// are exactly those saved recorded: what the user named is never silently replaced by the
// recorded directory, so a difference there makes the plan stale.
func chdirConfigDir(saved *planner.Plan) (string, error) {
	abs, err := filepath.Abs(".")
	if err != nil {
		return "", err
	}
	files, err := config.FileHashes(abs)
	if err != nil {
		return "", fmt.Errorf("cannot read the configuration in %s, named by --chdir: %w", abs, err)
	}
	if changes := fileChanges(saved.ConfigFiles, files); len(changes) > 0 {
		return "", &stalePlanError{why: fmt.Sprintf("the configuration in %s, named by --chdir, is not the one this plan was made from: %s",
			abs, strings.Join(changes, ", "))}
	}
	return abs, nil
}

// fileChanges names what differs between the recorded configuration files and those found.
func fileChanges(recorded, found map[string]string) []string {
	var out []string
	for name, sum := range recorded {
		switch got, ok := found[name]; {
		case !ok:
			out = append(out, name+" was removed since the plan")
		case got != sum:
			out = append(out, name+" changed since the plan")
		}
	}
	for name := range found {
		if _, ok := recorded[name]; !ok {
			out = append(out, name+" was added since the plan")
		}
	}
	sort.Strings(out)
	return out
}

func sharesName(recorded, found map[string]string) bool {
	for name := range found {
		if _, ok := recorded[name]; ok {
			return true
		}
	}
	return false
}

// recordedFlags are the plan-shaping flags a saved plan records and its apply uses again.
// --target is recorded as the plan's targets, and variables as its values.
var recordedFlags = []string{"resync", "max-parallel-members", "allow-group-moves", "assume-running"}

// planShapingFlags cannot be given to apply with a saved plan: the plan already fixed them.
var planShapingFlags = append([]string{"target", "var", "var-file"}, recordedFlags...)

// recordPlanFlags returns the recorded flags plan was given, as "--name=value".
func recordPlanFlags(fs *pflag.FlagSet) []string {
	var out []string
	for _, name := range recordedFlags {
		f := fs.Lookup(name)
		if f == nil || !f.Changed {
			continue
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				out = append(out, "--"+name+"="+v)
			}
			continue
		}
		out = append(out, "--"+name+"="+f.Value.String())
	}
	return out
}

// useSavedPlanFlags sets the flags saved recorded, after refusing the plan-shaping flags the
// command line gave: as in Terraform, a saved plan is applied as it was made. Only sensitive
// variables, whose values a plan file never holds, may be given again (their values must be
// the ones the plan was made with: the fingerprint check tells).
func useSavedPlanFlags(fs *pflag.FlagSet, load config.LoadOptions, saved *planner.Plan) error {
	for _, name := range planShapingFlags {
		f := fs.Lookup(name)
		if f == nil || !f.Changed || name == "var" || name == "var-file" {
			continue
		}
		return fmt.Errorf("--%s cannot be used when applying a saved plan: the plan was made with its own %s. "+
			"Run \"cluster plan --%s ... --out FILE\" and apply that file, or apply the configuration directory instead", name, flagNoun(name), name)
	}
	names, err := variablesSetBy(load)
	if err != nil {
		return err
	}
	for _, n := range names {
		if v, ok := saved.Variables[n.name]; !ok || !v.Sensitive {
			return fmt.Errorf("%s sets variable %q, which cannot be set when applying a saved plan: the plan holds the value it was made with. "+
				"Only sensitive variables, whose values a plan file never holds, may be given again", n.flag, n.name)
		}
	}
	for _, rec := range saved.Flags {
		name, value, _ := strings.Cut(strings.TrimPrefix(rec, "--"), "=")
		if !contains(recordedFlags, name) {
			return fmt.Errorf("the saved plan records the flag %s, which this version of cluster does not know: run cluster plan again", rec)
		}
		if err := fs.Set(name, value); err != nil {
			return fmt.Errorf("the saved plan's flag %s: %w", rec, err)
		}
	}
	return nil
}

func flagNoun(name string) string {
	if name == "target" {
		return "targets"
	}
	return "--" + name + " setting"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type variableSetting struct{ flag, name string }

// variablesSetBy lists the variables --var and --var-file set, with the flag that sets each.
func variablesSetBy(load config.LoadOptions) ([]variableSetting, error) {
	var out []variableSetting
	for _, v := range load.Vars {
		name, _, _ := strings.Cut(v, "=")
		out = append(out, variableSetting{"--var " + name, strings.TrimSpace(name)})
	}
	for _, path := range load.VarFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--var-file: %w", err)
		}
		f, diags := hclparse.NewParser().ParseHCL(data, path)
		if diags.HasErrors() {
			return nil, fmt.Errorf("--var-file %s: %w", path, errors.New(diags.Error()))
		}
		attrs, diags := f.Body.JustAttributes()
		if diags.HasErrors() {
			return nil, fmt.Errorf("--var-file %s: %w", path, errors.New(diags.Error()))
		}
		names := make([]string, 0, len(attrs))
		for n := range attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, variableSetting{"--var-file " + path, n})
		}
	}
	return out, nil
}

// chdirGiven reports whether --chdir named the working directory.
func chdirGiven(cmd *cobra.Command) bool {
	f := cmd.Flag("chdir")
	return f != nil && f.Changed
}
