package config

import (
	"path"
	"regexp"
	"strings"
	"time"
)

// DefaultSyncTimeout is how long apply waits for sync_check_command to report a member's sync
// finished when sync_timeout is not set.
const DefaultSyncTimeout = 30 * time.Minute

// siteCommand is one of a server group's site-declared commands, by attribute.
type siteCommand struct {
	attr string
	argv []string
}

// siteCommands lists the group's site-declared commands, declared or not, in schema order.
func (sg *ServerGroup) siteCommands() []siteCommand {
	return []siteCommand{
		{"detach_command", sg.DetachCommand}, {"attach_command", sg.AttachCommand},
		{"in_balancer_command", sg.InBalancerCommand},
		{"sync_command", sg.SyncCommand}, {"sync_check_command", sg.SyncCheckCommand},
	}
}

// siteCommandExample is what each command could look like, for the fix hints.
var siteCommandExample = map[string]string{
	"detach_command":      `["/usr/local/bin/lbctl", "detach", "{node}"]`,
	"attach_command":      `["/usr/local/bin/lbctl", "attach", "{node}"]`,
	"in_balancer_command": `["/usr/local/bin/lbctl", "status", "{node}"]`,
	"sync_command":        `["/usr/local/sbin/wsmgr-sync", "{node}"]`,
	"sync_check_command":  `["/usr/local/sbin/wsmgr-sync-state", "{node}"]`,
}

func (l *loader) validateServerGroup(sg *ServerGroup) {
	seen := map[*Node]*Member{}
	for _, m := range sg.Members {
		if m.Node == nil {
			continue
		}
		rng := l.where(m, "node", m.DeclRange)
		if m.Node == sg.Management {
			l.errorf(rng, "Management node listed as a member",
				"%s is the management server of %s; it cannot also be a member. Remove the member, or choose another management node.",
				m.Node.Addr, sg.Addr)
			continue
		}
		if prev, dup := seen[m.Node]; dup {
			l.errorf(rng, "Node listed twice in server group",
				"%s is already the node of %s. List each node once.", m.Node.Addr, prev.Addr)
			continue
		}
		seen[m.Node] = m
	}
	for _, c := range sg.siteCommands() {
		if c.argv != nil && (len(c.argv) == 0 || c.argv[0] == "") {
			l.errorf(l.where(sg, c.attr, sg.DeclRange), "Empty command",
				"%s of %s names no program. Write the program and its arguments, e.g. %s, or remove the argument.",
				c.attr, sg.Addr, siteCommandExample[c.attr])
		}
	}
	l.validateSyncCommands(sg)
	l.validateBalancerCommands(sg)
	l.validateSystemDir(sg)
	l.validateServerGroupWindows(sg)
}

// validateSystemDir keeps system_dir out of settings_dir: the tool creates its run lock
// (.cluster-lock-<group>) in system_dir, and inside WSMGR's config directory it would be synced
// to the members by WSMGR, hashed as drift, and written where only WSMGR writes (seed 004).
func (l *loader) validateSystemDir(sg *ServerGroup) {
	if sg.SystemDir == "" || sg.SettingsDir == "" {
		return
	}
	system, settings := comparablePath(sg.SystemDir), comparablePath(sg.SettingsDir)
	if system != settings && !strings.HasPrefix(system, strings.TrimSuffix(settings, "/")+"/") {
		return
	}
	l.errorf(l.where(sg, "system_dir", sg.DeclRange), "system_dir inside settings_dir",
		"system_dir %q of %s is settings_dir %q or lies inside it. The tool creates its run lock in system_dir, and WSMGR's "+
			"config directory is WSMGR's alone: it syncs it to the members and the tool reads it as drift (seed 004). "+
			"Set system_dir to a directory outside settings_dir on the system drive, e.g. \"/var/tmp\" or \"C:\\Windows\\Temp\".",
		sg.SystemDir, sg.Addr, sg.SettingsDir)
}

// windowsPath matches a path written for Windows: a drive letter or a backslash.
var windowsPath = regexp.MustCompile(`^[A-Za-z]:|\\`)

// comparablePath is p cleaned, with a Windows path's separators as slashes and its letters in
// lower case (Windows compares paths case-insensitively).
func comparablePath(p string) string {
	if windowsPath.MatchString(p) {
		p = strings.ToLower(strings.ReplaceAll(p, `\`, "/"))
	}
	return path.Clean(p)
}

// validateSyncCommands requires the two commands through which the tool has WSMGR sync a
// member and reads the sync monitor: WSMGR documents no command line for either (seed 004
// drives both from the management server's admin tool), so the site declares them. The tool
// never copies the config directory itself (seed 004: 「configディレクトリの手動によるコピーは
// 行わないでください」).
func (l *loader) validateSyncCommands(sg *ServerGroup) {
	for _, c := range []struct{ attr, what string }{
		{"sync_command", "has WSMGR for Web sync one member from the management server (the admin tool's sync, seed 004)"},
		{"sync_check_command", "reports one member's state in WSMGR's sync monitor (同期モニタ): exit 0 sync finished, " +
			"1 still syncing, 2 error or never synced, 3 disabled or not in the server group"},
	} {
		if l.isSet(sg, c.attr) {
			continue
		}
		l.errorf(sg.DeclRange.Ptr(), "Missing "+c.attr,
			"%s needs %s: the site's command that %s. WSMGR for Web documents no command line for it and the tool never "+
				"copies the config directory itself (seed 004), so the site declares it, e.g. %s = %s. See docs/servergroup.md.",
			sg.Addr, c.attr, c.what, c.attr, siteCommandExample[c.attr])
	}
}

// validateBalancerCommands: the balancer commands go together. Without in_balancer_command
// the tool could not see whom an earlier run left detached, and a plan would never settle.
func (l *loader) validateBalancerCommands(sg *ServerGroup) {
	var set, unset []string
	for _, attr := range []string{"detach_command", "attach_command", "in_balancer_command"} {
		if l.isSet(sg, attr) {
			set = append(set, attr)
		} else {
			unset = append(unset, attr)
		}
	}
	if len(set) == 0 || len(unset) == 0 {
		return
	}
	rng := l.where(sg, set[0], sg.DeclRange)
	examples := make([]string, len(unset))
	for i, a := range unset {
		examples[i] = a + " = " + siteCommandExample[a]
	}
	l.errorf(rng, "Incomplete load-balancer commands",
		"%s declares %s but not %s. The load-balancer commands go together: detach before a sync, attach after it, and "+
			"in_balancer_command (exit 0 in the balancer, 1 out of it) so that plan sees whom an earlier run left detached. "+
			"Declare %s, or remove all three to leave the balancer alone.",
		sg.Addr, strings.Join(set, " and "), strings.Join(unset, " and "), strings.Join(examples, ", "))
}
