package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Evaluate evaluates one expression against the root module of the configuration, as
// `cluster console` does: variables, locals, module outputs (module.NAME.OUTPUT) and functions
// are in scope. A value derived from a sensitive variable comes back marked: check it with
// IsSensitive before showing it.
func (c *Config) Evaluate(src string) (cty.Value, hcl.Diagnostics) {
	expr, diags := hclsyntax.ParseExpression([]byte(src), "<console>", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	if c.evalCtx == nil {
		return cty.NilVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Nothing to evaluate against",
			Detail: "The configuration was not loaded far enough to evaluate expressions."}}
	}
	return expr.Value(c.evalCtx)
}

// IsSensitive reports whether v holds anything derived from a sensitive variable.
func IsSensitive(v cty.Value) bool { return v.ContainsMarked() }
