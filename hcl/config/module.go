package config

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// Modules, as in Terraform: module "NAME" { source = "./dir" ... } decodes the configuration
// files of a local directory (relative to the calling file) once per instance of the call, with
// the call's other arguments as the values of the module's variables. Everything the module
// declares is addressed under the call's instance (module.branch["osaka"].cluster.web) and its
// references stay inside it; the caller sees only its outputs, as module.NAME.OUTPUT.

// maxModuleDepth bounds nesting, so that a module calling itself is an error, not a hang.
const maxModuleDepth = 16

var moduleMetaSchema = &hcl.BodySchema{Attributes: attrs("source", "for_each", "count", "depends_on", "providers")}

// moduleState is what the loader holds per module instance; it is swapped while a module
// instance is decoded.
type moduleState struct {
	dir        string
	blocks     map[string][]*hcl.Block
	varDecls   []*varDecl
	varByName  map[string]*varDecl
	locals     map[string]cty.Value
	localNames map[string]bool
	fns        map[string]function.Function
	ctx        *hcl.EvalContext
	variables  map[string]*Variable
	modPrefix  string
	modCall    *hcl.Range
	modSSH     SSH
	outputs    map[string]*Output
}

func (l *loader) saveModule() moduleState {
	return moduleState{l.dir, l.blocks, l.varDecls, l.varByName, l.locals, l.localNames, l.fns, l.ctx,
		l.cfg.Variables, l.modPrefix, l.modCall, l.modSSH, l.outputs}
}

func (l *loader) restoreModule(s moduleState) {
	l.dir, l.blocks, l.varDecls, l.varByName, l.locals, l.localNames, l.fns, l.ctx = s.dir, s.blocks, s.varDecls, s.varByName, s.locals, s.localNames, s.fns, s.ctx
	l.cfg.Variables, l.modPrefix, l.modCall, l.modSSH, l.outputs = s.variables, s.modPrefix, s.modCall, s.modSSH, s.outputs
}

// decodeModuleCalls decodes every module call of the current module instance, then puts their
// outputs in scope as module.NAME (an object; a map by key with for_each; a list with count).
func (l *loader) decodeModuleCalls() {
	values := map[string]cty.Value{}
	for _, b := range l.blocks["module"] {
		name := b.Labels[0]
		if !l.validName(b, "module") {
			continue
		}
		call := addrs.Module(l.modPrefix, name)
		if prev, ok := l.objects[call.String()]; ok {
			l.errorf(nameRange(b).Ptr(), "Duplicate name",
				"%s was already declared at %s. Every object needs a unique name: rename or remove one of them.", call, prev.decl)
			continue
		}
		l.objects[call.String()] = object{addr: call, ptr: b, decl: b.DefRange}
		meta, _, _ := b.Body.PartialContent(repetitionSchema)
		_, counted := meta.Attributes["count"]
		byKey := map[string]cty.Value{}
		var byIndex []cty.Value
		single := cty.EmptyObjectVal
		l.expand(b, func(inst *hcl.Block) {
			out := l.decodeModuleInstance(inst, name)
			switch k, each := l.ctx.Variables["each"]; {
			case l.key == "":
				single = out
			case each:
				byKey[k.GetAttr("key").AsString()] = out
			default:
				byIndex = append(byIndex, out)
			}
		})
		_, forEach := meta.Attributes["for_each"]
		switch {
		case forEach:
			values[name] = cty.ObjectVal(byKey) // by key, as module.NAME["key"]
		case counted:
			values[name] = cty.TupleVal(byIndex) // by index, as module.NAME[0]
		default:
			values[name] = single
		}
	}
	if len(values) > 0 {
		vars := map[string]cty.Value{}
		for k, v := range l.ctx.Variables {
			vars[k] = v
		}
		vars["module"] = cty.ObjectVal(values)
		l.ctx = &hcl.EvalContext{Variables: vars, Functions: l.ctx.Functions}
	}
}

// decodeModuleInstance decodes one instance of a module call and returns its outputs as an
// object value.
func (l *loader) decodeModuleInstance(b *hcl.Block, name string) cty.Value {
	content, rest, diags := b.Body.PartialContent(moduleMetaSchema)
	l.diags = append(l.diags, diags...)
	src, ok := content.Attributes["source"]
	if !ok {
		l.errorf(b.DefRange.Ptr(), "Missing required argument",
			"A module call needs source, the directory of the module relative to this file, e.g. source = \"./modules/branch\".")
		return cty.EmptyObjectVal
	}
	for _, meta := range []string{"depends_on", "providers"} {
		if a, ok := content.Attributes[meta]; ok {
			l.errorf(a.NameRange.Ptr(), "Unsupported argument",
				"A module call of this language takes no %s: there are no providers to pass, and objects have no apply order across modules.", meta)
		}
	}
	v, d := src.Expr.Value(nil)
	if d.HasErrors() || v.Type() != cty.String || v.IsNull() {
		l.errorf(src.Expr.Range().Ptr(), "Invalid module source",
			"source must be a literal string naming a local directory, such as \"./modules/branch\".")
		return cty.EmptyObjectVal
	}
	source := v.AsString()
	if !strings.HasPrefix(source, "./") && !strings.HasPrefix(source, "../") {
		l.errorf(src.Expr.Range().Ptr(), "Invalid module source",
			"%q is not a local directory: only local module sources (\"./dir\" or \"../dir\", relative to the calling file) are supported, so that a configuration never downloads code.", source)
		return cty.EmptyObjectVal
	}
	dir := filepath.Join(filepath.Dir(b.DefRange.Filename), filepath.FromSlash(source))
	inst := addrs.Module(l.modPrefix, name+l.key)
	if depth := strings.Count(inst.String(), "module."); depth > maxModuleDepth {
		l.errorf(src.Expr.Range().Ptr(), "Module nesting too deep",
			"%s is nested %d modules deep; a module probably calls itself. Break the cycle.", inst, depth)
		return cty.EmptyObjectVal
	}
	configFiles, _, err := listFiles(dir)
	if err == nil && len(configFiles) == 0 {
		err = fmt.Errorf("it holds no *.hcl configuration files")
	}
	if err != nil {
		l.errorf(src.Expr.Range().Ptr(), "Cannot read module",
			"The module directory %s of %s cannot be read: %s. Check source.", dir, inst, err)
		return cty.EmptyObjectVal
	}
	var files []*hcl.File
	for _, path := range configFiles {
		f, d := l.parser.ParseHCLFile(path)
		l.diags = append(l.diags, d...)
		if f == nil || d.HasErrors() {
			return cty.EmptyObjectVal
		}
		files = append(files, f)
		l.modFiles = append(l.modFiles, path)
	}
	inputs, d := rest.JustAttributes()
	l.diags = append(l.diags, d...)
	parentCtx := l.ctx
	callRange := b.DefRange

	saved := l.saveModule()
	defer l.restoreModule(saved)
	from := len(l.diags)
	l.dir, l.blocks, l.varDecls, l.varByName = dir, map[string][]*hcl.Block{}, nil, map[string]*varDecl{}
	l.locals, l.localNames, l.fns = map[string]cty.Value{}, map[string]bool{}, nil
	l.cfg.Variables, l.modPrefix, l.modCall, l.outputs = map[string]*Variable{}, inst.String(), &callRange, map[string]*Output{}
	outerKey := l.key
	l.key = ""
	defer func() { l.key = outerKey }()
	l.splitTopLevel(files)
	l.decodeVariableDecls()
	l.assignInputs(inputs, parentCtx, inst, callRange)
	l.validateVariables()
	if !l.diags[from:].HasErrors() {
		l.evalLocals()
		l.buildEvalContext()
		l.decodeBlocks()
	}
	l.annotateModule(from)
	out := map[string]cty.Value{}
	for n, o := range l.outputs {
		out[n] = o.Value
		if o.Sensitive {
			out[n] = o.Value.Mark(sensitiveMark)
		}
	}
	return cty.ObjectVal(out)
}

// assignInputs sets the module's variables from the call's arguments, evaluated in the caller.
func (l *loader) assignInputs(inputs hcl.Attributes, parentCtx *hcl.EvalContext, inst addrs.Address, call hcl.Range) {
	for _, name := range sortedKeys(inputs) {
		a := inputs[name]
		if moduleMetaSchema.Attributes[0].Name == name || name == "for_each" || name == "count" || name == "depends_on" || name == "providers" {
			continue // meta-arguments, read by the call itself
		}
		d, ok := l.varByName[name]
		if !ok {
			l.errorf(a.NameRange.Ptr(), "Unsupported argument",
				"The module %s declares no variable %q%s. Declare it in the module with a variable block, or remove the argument.",
				l.dir, name, l.suggestVariable(name))
			continue
		}
		saved := l.ctx
		l.ctx = parentCtx
		v, diags := a.Expr.Value(parentCtx)
		l.ctx = saved
		l.diags = append(l.diags, diags...)
		if diags.HasErrors() {
			d.bad = true
			continue
		}
		if v.ContainsMarked() {
			d.v.Sensitive = true // a value derived from a sensitive variable stays sensitive
			v = l.unmarkSensitive(v)
		}
		d.set(v, "the call of "+inst.String(), a.Expr.Range().Ptr())
	}
	for _, d := range l.varDecls {
		if d.value == cty.NilVal && !d.bad {
			l.errorf(call.Ptr(), "Missing required argument",
				"%s needs a value for its variable %q, which has no default. Add %s = ... to the module block.", inst, d.v.Name, d.v.Name)
			d.bad = true
		}
		l.finishVariable(d)
	}
}

// annotateModule names the module instance and its call in the diagnostics from index from on,
// so that an error in a module file says which call it comes from.
func (l *loader) annotateModule(from int) {
	if l.modCall == nil {
		return
	}
	note := fmt.Sprintf(" (In %s, called at %s.)", l.modPrefix, l.modCall)
	for _, d := range l.diags[from:] {
		if !strings.Contains(d.Detail, "(In module.") {
			d.Detail += note
		}
	}
}
