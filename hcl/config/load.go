package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// LoadOptions are the inputs of a load that come from outside the configuration directory.
type LoadOptions struct {
	Vars     []string // "name=value" from --var, in command-line order
	VarFiles []string // --var-file paths, in command-line order
	Environ  []string // os.Environ(): CLUSTER_VAR_<name> sets a variable
	// UnknownVariables lets a variable without a value be unknown instead of an error, as
	// `cluster validate` does (like `terraform validate`): the checks that need its value are
	// skipped and listed in a "Checks waiting for values" warning. plan and apply leave it off.
	UnknownVariables bool
}

// Loaded is the result of Load: the configuration (nil when loading failed before the model
// could be built) and every parsed file, for diagnostic snippets.
type Loaded struct {
	Config *Config
	Files  map[string]*hcl.File
}

const (
	configSuffix   = ".hcl"
	varsSuffix     = ".vars.hcl"
	autoVarsSuffix = ".auto.vars.hcl"
)

// Load reads, evaluates and validates the configuration in dir. The returned Loaded is never nil;
// its Config is set whenever decoding got far enough to build one, even with errors, so callers
// can still render what was understood. Callers must check diags.HasErrors().
func Load(dir string, opts LoadOptions) (*Loaded, hcl.Diagnostics) {
	parser := hclparse.NewParser()
	out := &Loaded{Files: parser.Files()}

	configFiles, autoVarFiles, err := listFiles(dir)
	if err != nil {
		return out, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   fmt.Sprintf("Reading %s failed: %s. Check the path and its permissions.", dir, err),
		}}
	}
	if len(configFiles) == 0 {
		return out, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail:   fmt.Sprintf("The directory %s has no *.hcl configuration files (files ending in .vars.hcl hold variable values only). Run the command in a configuration directory or name one.", dir),
		}}
	}

	var diags hcl.Diagnostics
	var files []*hcl.File
	for _, name := range configFiles {
		f, d := parser.ParseHCLFile(name)
		diags = append(diags, d...)
		if f != nil {
			files = append(files, f)
		}
	}
	if diags.HasErrors() {
		return out, diags
	}

	l := newLoader(dir)
	l.parser = parser
	l.allowUnknown = opts.UnknownVariables
	l.splitTopLevel(files)
	l.decodeVariableDecls()
	l.assignVariables(parser, autoVarFiles, opts)
	l.validateVariables()
	if l.diags.HasErrors() {
		// Locals and blocks would only repeat the variable errors as evaluation failures.
		return out, append(diags, l.diags...)
	}
	l.evalLocals()
	l.buildEvalContext()
	l.decodeBlocks()
	l.resolveReferences()
	l.finish()
	l.validate()
	l.reportWaitingChecks()
	// Variable files count through the values they set, not their bytes: a saved plan's values
	// come back through a different file and must fingerprint the same.
	sources := map[string][]byte{}
	for _, name := range append(configFiles, l.modFiles...) {
		sources[name] = parser.Sources()[name]
	}
	l.cfg.Fingerprint = fingerprint(sources, l.cfg.Variables)
	out.Config = l.cfg
	return out, append(diags, dedupe(l.diags)...)
}

// listFiles returns the configuration files and the auto-loaded variable files of dir, each in
// lexical order, as paths joined to dir (the names diagnostics show).
func listFiles(dir string) (configFiles, autoVarFiles []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, configSuffix) || strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		switch {
		case strings.HasSuffix(name, autoVarsSuffix):
			autoVarFiles = append(autoVarFiles, path)
		case strings.HasSuffix(name, varsSuffix):
			// Only through --var-file.
		default:
			configFiles = append(configFiles, path)
		}
	}
	sort.Strings(configFiles)
	sort.Strings(autoVarFiles)
	return configFiles, autoVarFiles, nil
}

// fingerprint hashes every source file (name and content) and the effective variable values, so
// that a saved plan can refuse to apply against a configuration that has changed since.
func fingerprint(sources map[string][]byte, vars map[string]*Variable) string {
	h := sha256.New()
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(h, "file %q %d\n", filepath.Base(n), len(sources[n]))
		h.Write(sources[n])
	}
	vnames := make([]string, 0, len(vars))
	for n := range vars {
		vnames = append(vnames, n)
	}
	sort.Strings(vnames)
	for _, n := range vnames {
		v := vars[n]
		js, err := ctyjson.Marshal(v.Value, v.Value.Type())
		if err != nil {
			js = []byte(v.Value.GoString())
		}
		fmt.Fprintf(h, "var %q %d\n", n, len(js))
		h.Write(js)
	}
	return hex.EncodeToString(h.Sum(nil))
}
