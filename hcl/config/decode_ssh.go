package config

import (
	"github.com/hashicorp/hcl/v2"
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
