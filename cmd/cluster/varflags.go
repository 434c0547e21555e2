package main

import (
	"github.com/spf13/pflag"

	"github.com/clusterctl/cluster/hcl/config"
)

// AddVarFlags registers --var and --var-file, the flags of every command that loads a
// configuration (validate, plan, apply). Var files are applied before --var values, each in
// command-line order.
func AddVarFlags(fs *pflag.FlagSet, o *config.LoadOptions) {
	fs.StringArrayVar(&o.Vars, "var", nil, "set a variable: `NAME=VALUE` (repeatable; HCL syntax for non-string types)")
	fs.StringArrayVar(&o.VarFiles, "var-file", nil, "read variable values from `FILE` (repeatable)")
}
