package config

import (
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/transport"
)

// decodeSSH decodes an ssh block; owner keys its recorded argument ranges.
func (l *loader) decodeSSH(b *hcl.Block, owner any) SSH {
	var s SSH
	content, diags := b.Body.Content(sshSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(owner, content)
	r.str("user", &s.User)
	r.strs("identity_files", &s.IdentityFiles)
	r.str("passphrase_env", &s.PassphraseEnv)
	r.boolPtr("agent", &s.Agent)
	r.str("known_hosts_file", &s.KnownHostsFile)
	r.str("jump_host", &s.JumpHost)
	r.duration("connect_timeout", &s.ConnectTimeout)
	r.duration("command_timeout", &s.CommandTimeout)
	r.boolPtr("ssh_config", &s.UseSSHConfig)
	r.boolPtr("become", &s.Become)
	r.str("become_user", &s.BecomeUser)
	if r.isSensitive("become_password") {
		r.str("become_password", &s.BecomePassword)
	}
	r.oneOf("shell", &s.Shell, transport.ShellPosix, transport.ShellCmd, transport.ShellPowerShell)
	if r.integer("code_page", &s.CodePage, 1, 65535) && !slices.Contains(transport.CodePages, s.CodePage) {
		r.l.errorf(r.attrs["code_page"].Expr.Range().Ptr(), "Unsupported code page",
			"code_page must be one of 437 (OEM United States), 932 (Japanese Shift-JIS), 936 (Simplified Chinese GBK) or 65001 (UTF-8), not %d: the console code page of the Windows node (chcp prints it).", s.CodePage)
		s.CodePage = 0
	}
	return s
}

// singleSSH decodes the one ssh block among blocks (nil-safe), reporting any second one.
func (l *loader) singleSSH(blocks []*hcl.Block, owner any) SSH {
	var s SSH
	for i, b := range blocks {
		if i > 0 {
			l.errorf(b.TypeRange.Ptr(), "Duplicate ssh block",
				"Only one ssh block is allowed here; the first is at %s. Merge the two blocks.", blocks[0].DefRange)
			continue
		}
		s = l.decodeSSH(b, sshOwner{owner})
	}
	return s
}

// sshOwner keys the ranges of an ssh block's arguments apart from its parent's own arguments
// (a node has both user and ssh.user).
type sshOwner struct{ parent any }

// sshOver returns s with every unset field taken from base: s is the inner (winning) block.
func sshOver(s, base SSH) SSH {
	if s.User == "" {
		s.User = base.User
	}
	if s.IdentityFiles == nil {
		s.IdentityFiles = base.IdentityFiles
	}
	if s.PassphraseEnv == "" {
		s.PassphraseEnv = base.PassphraseEnv
	}
	if s.Agent == nil {
		s.Agent = base.Agent
	}
	if s.KnownHostsFile == "" {
		s.KnownHostsFile = base.KnownHostsFile
	}
	if s.JumpHost == "" {
		s.JumpHost = base.JumpHost
	}
	if s.ConnectTimeout == 0 {
		s.ConnectTimeout = base.ConnectTimeout
	}
	if s.CommandTimeout == 0 {
		s.CommandTimeout = base.CommandTimeout
	}
	if s.UseSSHConfig == nil {
		s.UseSSHConfig = base.UseSSHConfig
	}
	if s.Become == nil {
		s.Become = base.Become
	}
	if s.BecomeUser == "" {
		s.BecomeUser = base.BecomeUser
	}
	if s.BecomePassword == "" {
		s.BecomePassword = base.BecomePassword
	}
	if s.Shell == "" {
		s.Shell = base.Shell
	}
	if s.CodePage == 0 {
		s.CodePage = base.CodePage
	}
	return s
}

// byType groups a body's blocks by type, keeping declaration order.
func byType(blocks hcl.Blocks) map[string][]*hcl.Block {
	m := map[string][]*hcl.Block{}
	for _, b := range blocks {
		m[b.Type] = append(m[b.Type], b)
	}
	return m
}
