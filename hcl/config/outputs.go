package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Output is a value a configuration shows (cluster output): an output block at the root.
type Output struct {
	Name        string
	Description string
	Value       cty.Value
	Sensitive   bool
	DeclRange   hcl.Range
}

// decodeOutputs evaluates the output blocks of the current module instance.
func (l *loader) decodeOutputs() {
	for _, b := range l.blocks["output"] {
		name := b.Labels[0]
		if !l.validName(b, "output") {
			continue
		}
		if prev, dup := l.outputs[name]; dup {
			l.errorf(nameRange(b).Ptr(), "Duplicate name",
				"output.%s was already declared at %s. Every output needs a unique name.", name, prev.DeclRange)
			continue
		}
		content, diags := b.Body.Content(outputSchema)
		l.diags = append(l.diags, diags...)
		o := &Output{Name: name, DeclRange: b.DefRange, Value: cty.DynamicVal}
		r := l.reader(o, content)
		r.str("description", &o.Description)
		r.boolean("sensitive", &o.Sensitive)
		if a, ok := content.Attributes["value"]; ok && l.checkScope(a.Expr) {
			v, diags := a.Expr.Value(l.ctx)
			l.diags = append(l.diags, diags...)
			if !diags.HasErrors() {
				if v.ContainsMarked() {
					if !o.Sensitive {
						l.errorf(a.Expr.Range().Ptr(), "Output refers to sensitive values",
							"The value of output.%s is derived from a sensitive variable. Mark the output sensitive = true to show it only as (sensitive).", name)
					}
					v = l.unmarkSensitive(v)
				}
				o.Value = v
			}
		}
		if l.outputs == nil {
			l.outputs = map[string]*Output{}
		}
		l.outputs[name] = o
	}
	if l.modPrefix == "" {
		l.cfg.Outputs = l.outputs
		l.cfg.evalCtx = l.ctx
	}
}
