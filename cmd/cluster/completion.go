package main

import (
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/clusterctl/cluster/hcl/config"
)

// registerTargetCompletion makes shell completion complete --target with the addresses of the
// configuration the command line names (DIR, default the working directory), loaded with the
// --var and --var-file values already typed.
func registerTargetCompletion(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Flags().Lookup("target") != nil {
			_ = c.RegisterFlagCompletionFunc("target", completeTargets)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func completeTargets(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	dir := configDir(args)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, cobra.ShellCompDirectiveNoFileComp // a saved plan fixed its targets
	}
	opts := config.LoadOptions{Environ: os.Environ()}
	opts.Vars, _ = cmd.Flags().GetStringArray("var")
	opts.VarFiles, _ = cmd.Flags().GetStringArray("var-file")
	loaded, _ := config.Load(dir, opts)
	if loaded == nil || loaded.Config == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, a := range configObjects(loaded.Config) {
		if s := a.String(); strings.HasPrefix(s, toComplete) {
			out = append(out, s)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
