package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// loader carries the state of one Load: the model being built, the raw blocks, and the side
// tables (attribute ranges, declared objects) that diagnostics need.
type loader struct {
	dir   string
	cfg   *Config
	ctx   *hcl.EvalContext
	diags hcl.Diagnostics

	// Top-level blocks by type, in declaration order (files in lexical order).
	blocks map[string][]*hcl.Block

	varDecls   []*varDecl
	varByName  map[string]*varDecl
	locals     map[string]cty.Value
	localNames map[string]bool // every declared local, evaluated or not
	fns        map[string]function.Function

	topSSH     SSH
	clusterSSH map[*Cluster]SSH

	objects  map[string]object      // every declared object, by address string
	ranges   map[rangeKey]hcl.Range // expression range of each decoded attribute
	deferred []func()               // reference resolutions, run once every object is declared
	order    map[any]int            // declaration index of objects whose defaults follow it
	// policyRanges holds where each resolved policy entry was written, in Policy order.
	policyRanges map[*Group][]hcl.Range
	// emptyLists marks reference-list arguments written as [].
	emptyLists map[rangeKey]bool
	// blockRanges holds the header range of blocks the model keeps by value (script services
	// and hooks), keyed as their attribute ranges are.
	blockRanges map[any]hcl.Range

	// allowUnknown: a variable without a value is unknown (LoadOptions.UnknownVariables).
	// unknownVars are those variables, in declaration order; waiting the checks skipped
	// for want of their values; unknownAttrs the arguments whose values were not known.
	allowUnknown bool
	unknownVars  []*Variable
	waiting      []waitingCheck
	unknownAttrs map[rangeKey]bool

	// The block instance being decoded: its for_each/count key (`["hr"]`, `[0]`, or "") and
	// the module instance it belongs to (module.branch["osaka"], "" at the root), with the ssh
	// settings that module's own ssh block gives its machines.
	key       string
	modPrefix string
	modCall   *hcl.Range // the module block that created the current module instance
	modSSH    SSH
	parser    *hclparse.Parser
	// modFiles are the sources of every module file loaded, for the fingerprint.
	modFiles []string
	// outputs of the current module instance, by name, once evaluated.
	outputs map[string]*Output
}

// object is a declared object in the address registry.
type object struct {
	addr addrs.Address
	ptr  any
	decl hcl.Range // the block header, for "declared at" and did-you-mean
}

type rangeKey struct {
	obj  any
	attr string
}

func newLoader(dir string) *loader {
	return &loader{
		dir: dir,
		cfg: &Config{
			Dir:          dir,
			Variables:    map[string]*Variable{},
			Clusters:     map[string]*Cluster{},
			Nodes:        map[string]*Node{},
			Groups:       map[string]*Group{},
			Scripts:      map[string]*Script{},
			ServerScans:  map[string]*ServerScan{},
			ScanServers:  map[string]*ScanServer{},
			StatusFiles:  map[string]*StatusFile{},
			ServerGroups: map[string]*ServerGroup{},
		},
		blocks:       map[string][]*hcl.Block{},
		varByName:    map[string]*varDecl{},
		locals:       map[string]cty.Value{},
		localNames:   map[string]bool{},
		clusterSSH:   map[*Cluster]SSH{},
		objects:      map[string]object{},
		ranges:       map[rangeKey]hcl.Range{},
		order:        map[any]int{},
		policyRanges: map[*Group][]hcl.Range{},
		emptyLists:   map[rangeKey]bool{},
		blockRanges:  map[any]hcl.Range{},
		unknownAttrs: map[rangeKey]bool{},
	}
}

// splitTopLevel checks every file against the top-level schema and groups the blocks by type.
func (l *loader) splitTopLevel(files []*hcl.File) {
	for _, f := range files {
		content, d := f.Body.Content(topSchema)
		l.diags = append(l.diags, d...)
		for _, b := range content.Blocks {
			l.blocks[b.Type] = append(l.blocks[b.Type], b)
		}
	}
}

// declare registers an object under its address; a second object with the same address is a
// "Duplicate name" error pointing at the second block's name and reports false.
func (l *loader) declare(addr addrs.Address, ptr any, b *hcl.Block) bool {
	if prev, ok := l.objects[addr.String()]; ok {
		l.diags = append(l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Duplicate name",
			Detail: fmt.Sprintf("%s was already declared at %s. Every object needs a unique name: rename or remove one of them.",
				addr, prev.decl.String()),
			Subject: nameRange(b).Ptr(),
		})
		return false
	}
	l.objects[addr.String()] = object{addr: addr, ptr: ptr, decl: b.DefRange}
	return true
}

// where returns the range of obj's attribute, or fallback when it was not written.
func (l *loader) where(obj any, attr string, fallback hcl.Range) *hcl.Range {
	if r, ok := l.ranges[rangeKey{obj, attr}]; ok {
		return &r
	}
	return fallback.Ptr()
}

// isSet reports whether obj's attribute was written in the source.
func (l *loader) isSet(obj any, attr string) bool {
	_, ok := l.ranges[rangeKey{obj, attr}]
	return ok
}

func (l *loader) errorf(subject *hcl.Range, summary, format string, args ...any) {
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  subject,
	})
}

func (l *loader) warnf(subject *hcl.Range, summary, format string, args ...any) {
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  subject,
	})
}

// nameRange is the range of a block's last label (its name), or its type when it has none.
func nameRange(b *hcl.Block) hcl.Range {
	if n := len(b.LabelRanges); n > 0 {
		return b.LabelRanges[n-1]
	}
	return b.TypeRange
}
