package config

import (
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

// isSensitive reports whether the argument name, when written, is derived from a sensitive
// variable; otherwise it reports a located error. A password written as a literal or taken from
// a plain variable would be printed by plan, validate and every error that quotes the source.
func (r attrReader) isSensitive(name string) bool {
	a, ok := r.attrs[name]
	if !ok {
		return false
	}
	v, diags := a.Expr.Value(r.l.ctx)
	if diags.HasErrors() {
		return true // r.str reports them
	}
	if v.IsNull() {
		return false
	}
	if !v.HasMark(sensitiveMark) {
		r.l.errorf(a.Expr.Range().Ptr(), "Password not sensitive",
			"%s must come from a variable declared with sensitive = true (e.g. %s = var.sudo_password), so that it never appears in output, plan files or errors; a literal or a plain variable is refused.", name, name)
		return false
	}
	return true
}

// userName is what become_user accepts: a POSIX user name, or sudo's "#uid".
var userName = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_.-]*[$]?|#[0-9]+)$`)

// validateBecome checks the effective become settings of every node: a user name sudo can take,
// and no become on a Windows node, where there is no sudo.
func (l *loader) validateBecome() {
	reported := map[hcl.Range]bool{}
	for _, cname := range sortedKeys(l.cfg.Clusters) {
		c := l.cfg.Clusters[cname]
		for _, n := range c.Nodes {
			l.checkBecomeUser(reported, n.Endpoint.SSH, n.DeclRange, n, c)
			l.checkPasswordUsed(reported, n.Endpoint.SSH, n.DeclRange, n, c)
			// A Windows cluster's node says so first: its shell may be only the platform's default.
			if c.Platform != Windows {
				l.checkBecomeShell(reported, n.Name, n.Endpoint.SSH, n.DeclRange, n, c)
				continue
			}
			if !becomes(n.Endpoint.SSH) {
				continue
			}
			rng := l.becomeRange(n.DeclRange, n, c)
			if reported[*rng] {
				continue
			}
			reported[*rng] = true
			l.errorf(rng, "become on a Windows node",
				"Node %q of cluster %q (platform \"windows\") has become = true, but Windows has no sudo: connect with the key of an administrator instead (administrators_authorized_keys, see docs/windows.md, \"Administrator rights\"). Set become = false in this cluster's ssh block when a wider ssh block turns it on.",
				n.Name, c.Name)
		}
	}
	for _, name := range sortedKeys(l.cfg.Nodes) {
		n := l.cfg.Nodes[name]
		l.checkBecomeUser(reported, n.Endpoint.SSH, n.DeclRange, n)
		l.checkPasswordUsed(reported, n.Endpoint.SSH, n.DeclRange, n)
		l.checkBecomeShell(reported, n.Name, n.Endpoint.SSH, n.DeclRange, n)
	}
}

// checkBecomeShell reports become = true on a node reached through cmd.exe or PowerShell:
// Microsoft's OpenSSH has no sudo. It reports whether it found one.
func (l *loader) checkBecomeShell(reported map[hcl.Range]bool, node string, s SSH, decl hcl.Range, owners ...any) bool {
	if !becomes(s) || !windowsShell(s) {
		return false
	}
	rng := l.becomeRange(decl, owners...)
	if !reported[*rng] {
		reported[*rng] = true
		l.errorf(rng, "become with a Windows shell",
			"Node %q has become = true and shell = %q, but a node reached through Microsoft's OpenSSH has no sudo: connect with the key of an administrator instead (docs/windows.md, \"Administrator rights\"), and set become = false where this node's shell is %q.",
			node, s.Shell, s.Shell)
	}
	return true
}

func becomes(s SSH) bool { return s.Become != nil && *s.Become }

// checkBecomeUser reports a become_user that is not a user name, once per place that sets it.
func (l *loader) checkBecomeUser(reported map[hcl.Range]bool, s SSH, decl hcl.Range, owners ...any) {
	if s.BecomeUser == "" || userName.MatchString(s.BecomeUser) {
		return
	}
	rng := l.sshArgRange("become_user", decl, owners...)
	if reported[*rng] {
		return
	}
	reported[*rng] = true
	l.errorf(rng, "Invalid become_user",
		"become_user must be a user name such as \"root\" or \"postgres\" (or \"#<uid>\"), not %q.", s.BecomeUser)
}

// checkPasswordUsed warns, once per place, about a become_password that a node without become
// never uses: the setting is likely meant to come with become = true.
func (l *loader) checkPasswordUsed(reported map[hcl.Range]bool, s SSH, decl hcl.Range, owners ...any) {
	if s.BecomePassword == "" || becomes(s) {
		return
	}
	rng := l.sshArgRange("become_password", decl, owners...)
	if reported[*rng] {
		return
	}
	reported[*rng] = true
	l.warnf(rng, "become_password without become",
		"become_password has no effect where become is not true: sudo is not used. Set become = true, or remove become_password.")
}

// becomeRange is where the effective become of a node was written.
func (l *loader) becomeRange(decl hcl.Range, owners ...any) *hcl.Range {
	return l.sshArgRange("become", decl, owners...)
}

// sshArgRange finds the ssh block argument attr that applies to a node: in the node's own ssh
// block, then its cluster's (owners, innermost first), then the top-level one.
func (l *loader) sshArgRange(attr string, decl hcl.Range, owners ...any) *hcl.Range {
	for _, o := range append(owners, l.cfg) {
		if r, ok := l.ranges[rangeKey{sshOwner{o}, attr}]; ok {
			return &r
		}
	}
	return decl.Ptr()
}
