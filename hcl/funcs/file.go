package funcs

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// MakeFileFunc returns file(path): the content of a UTF-8 text file, path relative to baseDir.
func MakeFileFunc(baseDir string) function.Function {
	return function.New(&function.Spec{
		Description: "Reads a UTF-8 text file relative to the configuration directory.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			src, err := readText(baseDir, args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(src), nil
		},
	})
}

// MakeTemplateFileFunc returns templatefile(path, vars): the file parsed as an HCL template and
// rendered with vars (an object or map) and the functions inner returns.
func MakeTemplateFileFunc(baseDir string, inner func() map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Description: "Renders a template file relative to the configuration directory.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path, vars := args[0].AsString(), args[1]
			if !vars.Type().IsObjectType() && !vars.Type().IsMapType() {
				return cty.NilVal, function.NewArgErrorf(1, "vars must be an object or a map, not %s", vars.Type().FriendlyName())
			}
			if !vars.IsWhollyKnown() {
				return cty.UnknownVal(cty.String), nil
			}
			src, err := readText(baseDir, path)
			if err != nil {
				return cty.NilVal, err
			}
			return renderTemplate(path, src, vars, inner())
		},
	})
}

func renderTemplate(path, src string, vars cty.Value, fns map[string]function.Function) (cty.Value, error) {
	expr, diags := hclsyntax.ParseTemplate([]byte(src), path, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("template %s: %w", path, diags)
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: fns}
	if !vars.IsNull() {
		for it := vars.ElementIterator(); it.Next(); {
			k, v := it.Element()
			ctx.Variables[k.AsString()] = v
		}
	}
	// Every variable the template uses must be given: a typo would otherwise render "".
	for _, tr := range expr.Variables() {
		if _, ok := ctx.Variables[tr.RootName()]; !ok {
			return cty.NilVal, fmt.Errorf("template %s line %d: vars has no %q", path, tr.SourceRange().Start.Line, tr.RootName())
		}
	}
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("template %s: %w", path, diags)
	}
	// A template that is a single interpolation yields the raw value ("${port}" is a number).
	str, err := convert.Convert(val, cty.String)
	if err != nil || str.IsNull() {
		return cty.NilVal, fmt.Errorf("template %s did not render a string", path)
	}
	return str, nil
}

// maxFileSize bounds what file and templatefile read: configuration files are small, and a
// path such as /dev/zero must fail rather than exhaust memory.
const maxFileSize = 16 << 20

func readText(baseDir, path string) (string, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("reading file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return "", fmt.Errorf("reading file: %w", err)
	}
	if len(b) > maxFileSize {
		return "", fmt.Errorf("%s is larger than %d MiB", path, maxFileSize>>20)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%s is not valid UTF-8", path)
	}
	return string(b), nil
}
