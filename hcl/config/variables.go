package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// EnvVarPrefix prefixes the environment variables that set input variables: CLUSTER_VAR_hosts.
const EnvVarPrefix = "CLUSTER_VAR_"

// varDecl is a variable block and the value assigned to it so far.
type varDecl struct {
	v           *Variable
	block       *hcl.Block
	defaults    *typeexpr.Defaults // optional(...) attribute defaults of the type
	validations []validation

	value  cty.Value  // NilVal until a source sets it
	source string     // where the value came from, for diagnostics
	rng    *hcl.Range // the value's source range, when it came from a file
	bad    bool       // a source gave an unusable value (reported): do not also call it missing
}

type validation struct {
	condition, message hcl.Expression
	rng                hcl.Range
}

func (l *loader) decodeVariableDecls() {
	for _, b := range l.blocks["variable"] {
		name := b.Labels[0]
		if !l.validName(b, "variable") {
			continue
		}
		d := &varDecl{
			v:     &Variable{Name: name, Type: cty.DynamicPseudoType, DeclRange: b.DefRange},
			block: b,
		}
		if !l.declare(l.at(addrs.Variable(name)), d.v, b) {
			continue
		}
		content, diags := b.Body.Content(variableSchema)
		l.diags = append(l.diags, diags...)
		if a, ok := content.Attributes["type"]; ok {
			ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
			l.diags = append(l.diags, diags...)
			if !diags.HasErrors() {
				d.v.Type, d.defaults = ty, defaults
			}
		}
		r := l.reader(d.v, content)
		r.str("description", &d.v.Description)
		r.boolean("sensitive", &d.v.Sensitive)
		if a, ok := content.Attributes["default"]; ok {
			// A default is a constant: it may not refer to variables or call file functions.
			val, diags := a.Expr.Value(nil)
			l.diags = append(l.diags, diags...)
			d.bad = diags.HasErrors()
			if !d.bad && !val.IsNull() {
				d.set(val, "its default", a.Expr.Range().Ptr())
			}
		}
		for _, vb := range content.Blocks {
			vc, diags := vb.Body.Content(validationSchema)
			l.diags = append(l.diags, diags...)
			if diags.HasErrors() {
				continue
			}
			d.validations = append(d.validations, validation{
				condition: vc.Attributes["condition"].Expr,
				message:   vc.Attributes["error_message"].Expr,
				rng:       vb.DefRange,
			})
		}
		l.varDecls = append(l.varDecls, d)
		l.varByName[name] = d
	}
}

func (d *varDecl) set(val cty.Value, source string, rng *hcl.Range) {
	d.value, d.source, d.rng = val, source, rng
}

// assignVariables applies every value source over the defaults, lowest precedence first.
func (l *loader) assignVariables(parser *hclparse.Parser, autoVarFiles []string, opts LoadOptions) {
	for _, kv := range opts.Environ {
		name, raw, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, EnvVarPrefix) {
			continue
		}
		name = strings.TrimPrefix(name, EnvVarPrefix)
		// Unrelated environment variables may share the prefix: ignore undeclared ones.
		if d, ok := l.varByName[name]; ok {
			l.assignRaw(d, raw, "the environment variable "+EnvVarPrefix+name)
		}
	}
	for _, path := range autoVarFiles {
		l.assignFile(parser, path)
	}
	for _, path := range opts.VarFiles {
		l.assignFile(parser, path)
	}
	for _, kv := range opts.Vars {
		name, raw, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			l.errorf(nil, "Invalid --var option",
				"The option --var %q is not of the form name=value. Write for example --var region=tokyo.", kv)
			continue
		}
		d, ok := l.varByName[name]
		if !ok {
			l.errorf(nil, "Value for undeclared variable",
				"A value was given for var.%s with --var, but no variable %q is declared%s. Declare it with a variable block or remove the option.",
				name, name, l.suggestVariable(name))
			continue
		}
		l.assignRaw(d, raw, "the --var option")
	}
	for _, d := range l.varDecls {
		l.finishVariable(d)
	}
}

// assignRaw sets a variable from a command-line or environment string: taken literally for a
// string (or untyped) variable, parsed as an HCL expression for any other type.
func (l *loader) assignRaw(d *varDecl, raw, source string) {
	if d.v.Type == cty.String || d.v.Type == cty.DynamicPseudoType {
		d.set(cty.StringVal(raw), source, nil)
		return
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), "<value for var."+d.v.Name+">", hcl.InitialPos)
	if !diags.HasErrors() {
		var val cty.Value
		val, diags = expr.Value(nil)
		if !diags.HasErrors() {
			d.set(val, source, nil)
			return
		}
	}
	d.bad = true
	l.errorf(nil, "Invalid value for variable",
		"The value of var.%s from %s is not a valid HCL expression for a %s: %s. Write it as in a .vars.hcl file, e.g. [\"a\", \"b\"] or { key = \"value\" }.",
		d.v.Name, source, typeexpr.TypeString(d.v.Type), diags.Error())
}

// assignFile sets variables from a .vars.hcl file: name = value attributes only.
func (l *loader) assignFile(parser *hclparse.Parser, path string) {
	f, diags := parser.ParseHCLFile(path)
	l.diags = append(l.diags, diags...)
	if f == nil || diags.HasErrors() {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	for name, a := range attrs {
		d, ok := l.varByName[name]
		if !ok {
			l.warnf(a.NameRange.Ptr(), "Value for undeclared variable",
				"%s sets %q, but no variable %q is declared%s. Declare it with a variable block or remove the line.",
				path, name, name, l.suggestVariable(name))
			continue
		}
		val, diags := a.Expr.Value(nil)
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			d.bad = true
			continue
		}
		d.set(val, path, a.Expr.Range().Ptr())
	}
}

// finishVariable converts the assigned value to the declared type and stores the Variable.
func (l *loader) finishVariable(d *varDecl) {
	if d.value == cty.NilVal {
		if d.bad {
			return
		}
		if l.allowUnknown {
			d.v.Value = cty.UnknownVal(d.v.Type)
			l.cfg.Variables[d.v.Name] = d.v
			l.unknownVars = append(l.unknownVars, d.v)
			return
		}
		l.errorf(d.block.DefRange.Ptr(), "Missing required variable",
			"var.%s has no default and no value was given. Set it with --var %s=..., in a .vars.hcl file or with the environment variable %s%s.",
			d.v.Name, d.v.Name, EnvVarPrefix, d.v.Name)
		return
	}
	val := d.value
	if d.defaults != nil {
		val = d.defaults.Apply(val)
	}
	cv, err := convert.Convert(val, d.v.Type)
	if err != nil {
		subject := d.rng
		if subject == nil {
			subject = d.block.DefRange.Ptr()
		}
		l.errorf(subject, "Invalid value for variable",
			"The value of var.%s from %s is not valid: %s. It must be %s.",
			d.v.Name, d.source, err, typeexpr.TypeString(d.v.Type))
		return
	}
	d.v.Value = cv
	l.cfg.Variables[d.v.Name] = d.v
	if d.v.Sensitive {
		l.addSecrets(cv)
	}
}

// validateVariables evaluates every validation block of every variable that has a value.
func (l *loader) validateVariables() {
	for _, d := range l.varDecls {
		if d.v.Value == cty.NilVal {
			continue
		}
		if !d.v.Value.IsKnown() {
			for _, vd := range d.validations {
				l.waitFor(nil, vd.rng, "a validation rule of "+addrs.Variable(d.v.Name).String())
			}
			continue
		}
		ctx := &hcl.EvalContext{
			Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{d.v.Name: d.v.Value})},
			Functions: l.functions(),
		}
		for _, vd := range d.validations {
			l.checkValidation(d, vd, ctx)
		}
	}
}

func (l *loader) checkValidation(d *varDecl, vd validation, ctx *hcl.EvalContext) {
	for _, tr := range vd.condition.Variables() {
		if tr.RootName() != "var" || len(tr) < 2 || attrName(tr[1]) != d.v.Name {
			l.errorf(tr.SourceRange().Ptr(), "Invalid validation condition",
				"A validation condition of var.%s may only refer to var.%s itself.", d.v.Name, d.v.Name)
			return
		}
	}
	ok, diags := vd.condition.Value(ctx)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return
	}
	ok, err := convert.Convert(ok, cty.Bool)
	if err != nil || ok.IsNull() {
		l.errorf(vd.condition.Range().Ptr(), "Invalid validation condition",
			"The condition of var.%s must be true or false. Write a comparison such as length(var.%s) > 0.", d.v.Name, d.v.Name)
		return
	}
	if ok.True() {
		return
	}
	msg := "The value does not satisfy the validation rule."
	if m, diags := vd.message.Value(ctx); !diags.HasErrors() && m.Type() == cty.String && !m.IsNull() {
		msg = m.AsString()
	}
	subject := d.rng
	if subject == nil {
		subject = vd.condition.Range().Ptr()
	}
	l.errorf(subject, "Invalid value for variable",
		"%s\n\nThe value of var.%s from %s failed the validation rule at %s. Give a value that satisfies it.",
		msg, d.v.Name, d.source, vd.rng)
}

func (l *loader) suggestVariable(name string) string {
	names := make([]string, 0, len(l.varDecls))
	for _, d := range l.varDecls {
		names = append(names, d.v.Name)
	}
	if s := suggest(name, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

func attrName(t hcl.Traverser) string {
	switch s := t.(type) {
	case hcl.TraverseAttr:
		return s.Name
	case hcl.TraverseIndex:
		if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
			return s.Key.AsString()
		}
	}
	return ""
}
