package config

import (
	"sort"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// Platform defaults of a cluster (docs/language.md).
const (
	DefaultLinuxInstallDir   = "/opt/nec/clusterpro"
	DefaultWindowsInstallDir = `C:\Program Files\EXPRESSCLUSTER`
	DefaultLinuxCharset      = "EUC-JP"
	DefaultWindowsCharset    = "ASCII"
	DefaultSSHPort           = 22
)

// DefaultInstallDir is where the vendor installs on platform p (Linux when unset).
func DefaultInstallDir(p Platform) string {
	if p == Windows {
		return DefaultWindowsInstallDir
	}
	return DefaultLinuxInstallDir
}

// DefaultCharset is the charset of a cluster on platform p (Linux when unset) that sets none.
func DefaultCharset(p Platform) string {
	if p == Windows {
		return DefaultWindowsCharset
	}
	return DefaultLinuxCharset
}

// DefaultCodePage is the console code page of a cmd or powershell node in a cluster of the
// given charset that sets no code_page: a Japanese Windows (SJIS) prints in 932, a Chinese one
// (GB2312) in 936, an English one (ASCII) in 437; anything else is taken as UTF-8 (65001).
func DefaultCodePage(charset string) int {
	switch strings.ToUpper(charset) {
	case "SJIS", "SHIFT_JIS":
		return 932
	case "GB2312":
		return 936
	case "ASCII":
		return 437
	}
	return 65001
}

// PlatformShell is the shell of a node on platform p that no ssh block sets: a Windows server
// is reached through Microsoft's OpenSSH as it ships, with cmd.exe (docs/windows.md); anything
// else through a POSIX sh.
func PlatformShell(p Platform) string {
	if p == Windows {
		return transport.ShellCmd
	}
	return transport.ShellPosix
}

// windowsShell reports a node reached through Microsoft's OpenSSH without a POSIX shell.
func windowsShell(s SSH) bool { return transport.WindowsShell(s.Shell) }

// finish fills defaults and derived fields once every reference is resolved: priorities by
// declaration order, merged SSH settings, and the ordered lists providers iterate.
func (l *loader) finish() {
	for _, c := range l.cfg.Clusters {
		l.finishCluster(c)
	}
	for _, n := range l.cfg.Nodes {
		// Port stays 0 when unset, so ~/.ssh/config's Port can apply; the transport falls back to 22.
		n.Endpoint.SSH = sshOver(n.Endpoint.SSH, l.topSSH)
	}
	l.defaultNodeShells()
	for _, g := range l.cfg.Groups {
		for _, m := range g.Monitors {
			m.Cluster = g.Cluster
		}
	}
	for _, s := range l.cfg.ServerScans {
		l.finishServerScan(s)
	}
}

func (l *loader) finishCluster(c *Cluster) {
	if c.Platform == "" {
		c.Platform = Linux
	}
	if c.InstallDir == "" {
		c.InstallDir = DefaultInstallDir(c.Platform)
	}
	if c.Charset == "" {
		c.Charset = DefaultCharset(c.Platform)
	}
	base := sshOver(l.clusterSSH[c], l.topSSH)
	for _, n := range c.Nodes {
		n.Endpoint.SSH = sshOver(n.Endpoint.SSH, base)
		if n.Endpoint.SSH.Shell == "" {
			n.Endpoint.SSH.Shell = PlatformShell(c.Platform)
		}
		if windowsShell(n.Endpoint.SSH) && n.Endpoint.SSH.CodePage == 0 {
			n.Endpoint.SSH.CodePage = DefaultCodePage(c.Charset)
		}
		if !l.isSet(n, "priority") {
			n.Priority = l.order[n]
		}
	}
	for _, h := range c.Heartbeats {
		if !l.isSet(h, "priority") {
			h.Priority = l.order[h]
		}
	}
	// Stable: equal priorities (an error reported by validation) keep declaration order.
	sort.SliceStable(c.Nodes, func(i, j int) bool { return c.Nodes[i].Priority < c.Nodes[j].Priority })
	sort.SliceStable(c.Heartbeats, func(i, j int) bool { return c.Heartbeats[i].Priority < c.Heartbeats[j].Priority })
	sort.Slice(c.Groups, func(i, j int) bool { return c.Groups[i].Name < c.Groups[j].Name })
}

// finishServerScan orders the servers as vkhoststat lists them: normal servers first, then
// standby, each by order (default: declaration order among the servers of that role).
func (l *loader) finishServerScan(s *ServerScan) {
	sort.SliceStable(s.Servers, func(i, j int) bool { return l.order[s.Servers[i]] < l.order[s.Servers[j]] })
	next := map[string]int{}
	for _, srv := range s.Servers {
		next[srv.Role]++
		if !l.isSet(srv, "order") {
			srv.Order = next[srv.Role]
		}
	}
	rank := func(srv *ScanServer) int {
		if srv.Role == "standby" {
			return 1
		}
		return 0
	}
	sort.SliceStable(s.Servers, func(i, j int) bool {
		a, b := s.Servers[i], s.Servers[j]
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return a.Order < b.Order
	})
}
