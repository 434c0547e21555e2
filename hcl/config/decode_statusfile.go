package config

import (
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/hashicorp/hcl/v2"
)

// oldStatusFileAttrs are the arguments of the earlier status_file shape, in which one block was
// a "logical file" of up to 7 A/B pairs. The schema still accepts them so that their use gets a
// diagnostic that says how to rewrite the block, instead of "Unsupported argument".
var oldStatusFileAttrs = []string{"a_files", "b_files", "initial_current", "record_size", "records"}

// decodeStatusFile reads one status service definition and its logical_file blocks, in order.
func (l *loader) decodeStatusFile(b *hcl.Block) {
	name := b.Labels[0]
	if !l.validName(b, "status_file") {
		return
	}
	s := &StatusFile{Addr: addrs.StatusFile(name), Name: name, DeclRange: b.DefRange}
	if !l.declare(s.Addr, s, b) {
		return
	}
	l.cfg.StatusFiles[name] = s
	content, diags := b.Body.Content(statusFileSchema)
	l.diags = append(l.diags, diags...)
	l.oldStatusFileShape(s, content)
	r := l.reader(s, content)
	r.str("definition_file", &s.DefinitionFile)
	r.str("install_dir", &s.InstallDir)
	r.strs("init_command", &s.InitCommand)
	r.str("definition_content", &s.DefinitionContent)
	l.nodeRef(content, "node", func(n *Node) { s.Node = n })
	seen := map[string]*LogicalFile{}
	for _, lb := range content.Blocks {
		lf := &LogicalFile{Name: lb.Labels[0], DeclRange: lb.DefRange}
		if prev, dup := seen[lf.Name]; dup {
			l.errorf(nameRange(lb).Ptr(), "Duplicate logical file",
				"%s already has a logical file %q, declared at %s. Each logical file of a status service definition needs its own name.",
				s.Addr, lf.Name, prev.DeclRange)
			continue
		}
		seen[lf.Name] = lf
		lc, diags := lb.Body.Content(logicalFileSchema)
		l.diags = append(l.diags, diags...)
		lr := l.reader(lf, lc)
		lr.str("a_file", &lf.AFile)
		lr.str("b_file", &lf.BFile)
		s.Logicals = append(s.Logicals, lf)
	}
}

// oldStatusFileShape reports the arguments of the earlier shape, with the rewrite.
func (l *loader) oldStatusFileShape(s *StatusFile, content *hcl.BodyContent) {
	var used []string
	var first *hcl.Range
	for _, a := range oldStatusFileAttrs {
		if attr, ok := content.Attributes[a]; ok {
			used = append(used, a)
			if first == nil || attr.Range.Start.Byte < first.Start.Byte {
				first = attr.Range.Ptr()
			}
		}
	}
	if len(used) == 0 {
		return
	}
	l.errorf(first, "Old status_file shape",
		"%s uses %s, from the earlier shape in which a status_file was one \"logical file\" of up to 7 A/B pairs. "+
			"In Groupmax Object Server a logical file is one A file and one B file with its own name, and a status service "+
			"definition names up to 7 of them (seed 003). Write one status_file block per definition file and one "+
			"logical_file block per logical file, in the order the definition lists them (the first is current after a "+
			"normal start, so initial_current is gone):\n\n"+
			"  status_file %q {\n    node = node.NAME\n    logical_file \"sts1\" {\n      a_file = \"D:\\\\HiOBJ\\\\sts\\\\sts1a\"\n"+
			"      b_file = \"E:\\\\HiOBJ\\\\sts\\\\sts1b\"\n    }\n  }\n\n"+
			"record_size and records are gone too: no public manual documents the xodstsinit options that would set them (docs/statusfile.md).",
		s.Addr, strings.Join(used, ", "), s.Name)
}
