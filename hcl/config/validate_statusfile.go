package config

import "github.com/clusterctl/cluster/transport"

// validateStatusFiles checks each status service definition: 1 to 7 logical files, names
// xodstsopn -n accepts, an A and a B file per logical file on distinct drive paths, no path used
// twice on one node, and one status_file block per definition file of a node.
func (l *loader) validateStatusFiles() {
	type owner struct {
		sf   *StatusFile
		lf   *LogicalFile
		side string
	}
	paths := map[*Node]map[string]owner{}
	defs := map[*Node]map[transport.NodePath]*StatusFile{}
	for _, name := range sortedKeys(l.cfg.StatusFiles) {
		s := l.cfg.StatusFiles[name]
		if n := len(s.Logicals); (n == 0 && !l.usesOldShape(s)) || n > maxLogicalFiles {
			l.errorf(s.DeclRange.Ptr(), "Invalid number of logical files",
				"%s has %s. A status service definition names 1 to %d logical files (seed 003: A and B files, up to 7 each): declare that many logical_file blocks.",
				s.Addr, countNoun(n, "logical file"), maxLogicalFiles)
		}
		if paths[s.Node] == nil {
			paths[s.Node] = map[string]owner{}
		}
		for _, lf := range s.Logicals {
			if !LogicalFileNameUsable(lf.Name) {
				l.errorf(lf.DeclRange.Ptr(), "Invalid logical file name",
					"%q in %s is not a logical file name xodstsopn -n accepts: an identifier of 1 to %d bytes. Use a letter followed by letters and digits, e.g. \"sts1\".",
					lf.Name, s.Addr, maxLogicalNameBytes)
			}
			for _, side := range []struct{ attr, path string }{{"a_file", lf.AFile}, {"b_file", lf.BFile}} {
				if side.path == "" {
					continue // missing, already reported
				}
				rng := l.where(lf, side.attr, lf.DeclRange)
				if !StatusFilePathUsable(side.path) {
					l.errorf(rng, "Status file path not usable",
						"%q (%s of logical file %s in %s) is not a drive path without blanks. Status files are on NTFS and named from the drive letter, e.g. \"D:\\\\HiOBJ\\\\sts\\\\%sa\" (in HCL each backslash is written twice).",
						side.path, side.attr, lf.Name, s.Addr, lf.Name)
					continue
				}
				key := normalNTFS(side.path)
				if prev, dup := paths[s.Node][key]; dup {
					l.errorf(rng, "Status file path used twice",
						"%s is the %s of logical file %s in %s and again the %s of logical file %s in %s. Each A and B file needs its own path on the node.",
						side.path, prev.side, prev.lf.Name, prev.sf.Addr, side.attr, lf.Name, s.Addr)
					continue
				}
				paths[s.Node][key] = owner{s, lf, side.attr}
			}
		}
		l.validateStatusFileSite(s)
		l.validateStatusFileOnWindows(s)
		if s.Node == nil {
			continue
		}
		def, _ := StatusFileDefinition(s)
		if defs[s.Node] == nil {
			defs[s.Node] = map[transport.NodePath]*StatusFile{}
		}
		if prev, dup := defs[s.Node][def]; dup {
			l.errorf(l.where(s, "definition_file", s.DeclRange), "Definition file used twice",
				"%s and %s both use the definition file %s on %s. One status_file block describes one status service definition: merge their logical_file blocks into one block, or give each its own definition_file.",
				prev.Addr, s.Addr, def, s.Node.Addr)
			continue
		}
		defs[s.Node][def] = s
	}
}

// validateStatusFileSite checks what the site declares for the parts no public source shows:
// init_command (xodstsinit's options are unknown) and definition_content (the definition's
// syntax, manual 7.3, is unknown), checked only in what needs no syntax.
func (l *loader) validateStatusFileSite(s *StatusFile) {
	if s.InitCommand != nil {
		if p := StatusFileInitCommandProblem(s.InitCommand); p != "" {
			l.errorf(l.where(s, "init_command", s.DeclRange), "Unusable init_command",
				"init_command of %s %s. Write your xodstsinit command line as the manual gives it, one argument per element, "+
					"with {file} for the physical file (and {logical}, {side} if it needs them), e.g. init_command = %s. See docs/statusfile.md.",
				s.Addr, p, InitCommandExample)
		}
	}
	if !l.isSet(s, "definition_content") {
		return
	}
	for _, p := range CheckDefinitionText(s.DefinitionContent, s.Logicals) {
		if len(p.Missing) > 0 {
			l.errorf(l.where(s, "definition_content", s.DeclRange), "Definition does not name a status file",
				"definition_content of %s does not name %s of logical file %s (compared case-insensitively, as NTFS names). "+
					"The tool writes the content as it is, and the object server opens only the files its definition names: "+
					"add the logical file to the content, or fix a_file/b_file.",
				s.Addr, joinAnd(p.Missing), p.Logical)
			continue
		}
		l.errorf(l.where(s, "definition_content", s.DeclRange), "Definition order differs",
			"definition_content of %s names logical file %s before %s, but the logical_file blocks declare %s first. "+
				"At a normal start the first logical file of the definition becomes current (seed 003): list the logical_file blocks "+
				"in the definition's order, or reorder the content.",
			s.Addr, p.After, p.Logical, p.Logical)
	}
}

func joinAnd(s []string) string {
	if len(s) == 2 {
		return s[0] + " and " + s[1]
	}
	return s[0]
}

// normalNTFS is the key two spellings of one NTFS path share: NTFS names are case-insensitive.
func normalNTFS(p string) string {
	b := []byte(p)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// usesOldShape reports whether s was written in the earlier shape, already reported.
func (l *loader) usesOldShape(s *StatusFile) bool {
	for _, a := range oldStatusFileAttrs {
		if l.isSet(s, a) {
			return true
		}
	}
	return false
}
