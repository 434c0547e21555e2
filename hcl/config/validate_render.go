package config

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/charset"
)

// validateRendering reports, located, what would stop the cluster provider from rendering c's
// configuration directory (clp.conf and the scripts beside it): plan refuses such a cluster
// before reaching any node, so validate must refuse it first. The script rules are in
// validate_scripts.go.
func (l *loader) validateRendering(c *Cluster) {
	if _, err := charset.Encode(c.Charset, ""); err != nil {
		l.errorf(l.where(c, "charset", c.DeclRange), "Unsupported charset",
			"%s has charset %q, which the tool cannot write. Use one of \"EUC-JP\", \"SJIS\" (or \"Shift_JIS\"), \"ASCII\", \"GB2312\" or \"UTF-8\".",
			c.Addr, c.Charset)
	}
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			l.validateResourceRendering(c, g, r)
		}
	}
	l.validateDirectoryNames(c)
	l.validateVendorFiles(c)
}

func (l *loader) validateResourceRendering(c *Cluster, g *Group, r *Resource) {
	switch r.Kind {
	case ResRegSync, ResService:
		if c.Platform != Windows {
			what := map[ResourceKind]string{ResRegSync: "synchronises a Windows registry key", ResService: "starts and stops a Windows service"}[r.Kind]
			hint := map[ResourceKind]string{ResRegSync: "keep the settings on the shared disk", ResService: "start the service from an exec resource's script"}[r.Kind]
			l.errorf(r.DeclRange.Ptr(), "Resource kind of another platform",
				"A %s resource %s, but %s is a %s cluster. Remove %s (on Linux, %s), or set platform = \"windows\" on the cluster.",
				r.Kind, what, c.Addr, c.Platform, r.Addr, hint)
		}
		if r.Kind == ResRegSync && r.RegistryKeys != nil && len(r.RegistryKeys) == 0 {
			l.errorf(l.where(r, "keys", r.DeclRange), "Empty list",
				"The regsync resource %s lists no registry key. List the keys to synchronise, e.g. [\"HKLM\\\\SOFTWARE\\\\NEC\\\\ExpressMail\"].", r.Addr)
		}
	case ResMD:
		var missing []string
		for _, n := range g.Policy {
			if n.MirrorConnect == "" && !l.isUnknown(n, "mirror_connect") {
				missing = append(missing, n.Addr.String())
			}
		}
		if len(missing) > 0 {
			l.errorf(r.DeclRange.Ptr(), "Missing mirror_connect",
				"%s is a mirror disk, so every node of the policy of %s mirrors it over its mirror LAN, but %s %s no mirror_connect. Add mirror_connect = \"<address on the mirror LAN>\" to %s.",
				r.Addr, g.Addr, strings.Join(missing, " and "), map[bool]string{true: "has", false: "have"}[len(missing) == 1],
				map[bool]string{true: "that node", false: "each of them"}[len(missing) == 1])
		}
	}
}

// windowsReservedNames are the device names Windows refuses as a file or directory name,
// whatever the case.
var windowsReservedNames = map[string]bool{
	"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true,
}

// WindowsReservedName reports whether name is a device name that cannot be a directory name on
// Windows (CON, NUL, COM1, ...), in any case.
func WindowsReservedName(name string) bool { return windowsReservedNames[strings.ToUpper(name)] }

// validateDirectoryNames reports names that cannot be the directory of a script: groups and
// their exec resources (scripts/<group>/<resource>/) and genw monitors
// (scripts/monitor.s/<monitor>/). Names are identifiers, so only Windows can refuse one: a
// device name, or two script directories whose paths differ only in case (one on NTFS).
func (l *loader) validateDirectoryNames(c *Cluster) {
	if c.Platform != Windows {
		return
	}
	reserved := func(what, name, addr string, decl hcl.Range) bool {
		if WindowsReservedName(name) {
			l.errorf(decl.Ptr(), "Name unusable as a directory",
				"The scripts of %s are kept in a directory named after it, and Windows reserves the name %q for a device. Rename the %s.", addr, name, what)
			return true
		}
		return false
	}
	dirs := map[string]string{} // folded script directory -> the address that uses it
	folded := func(dir, addr string, decl hcl.Range) {
		key := strings.ToLower(dir)
		if prev, dup := dirs[key]; dup {
			l.errorf(decl.Ptr(), "Name unusable as a directory",
				"The scripts of %s and %s go to %s, one directory on Windows, whose names differ only in case. Rename one of them.", prev, addr, dir)
			return
		}
		dirs[key] = addr
	}
	for _, g := range c.Groups {
		if reserved("group", g.Name, g.Addr.String(), g.DeclRange) {
			continue
		}
		for _, r := range g.Resources {
			if r.Kind == ResExec && !reserved("resource", r.Name, r.Addr.String(), r.DeclRange) {
				folded(ExecScriptDir(g.Name, r.Name), r.Addr.String(), r.DeclRange)
			}
		}
	}
	for _, m := range c.AllMonitors() {
		if m.Kind == MonGeneric && !reserved("monitor", m.Name, m.Addr.String(), m.DeclRange) {
			folded(MonitorScriptDir(m.Name), m.Addr.String(), m.DeclRange)
		}
	}
}

// validateVendorFiles reports a vendor file at the path of a script the tool writes.
func (l *loader) validateVendorFiles(c *Cluster) {
	if len(c.VendorFiles) == 0 {
		return
	}
	owners := map[string]string{}
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if r.Kind == ResExec {
				start, stop := ExecScriptPaths(g.Name, r.Name, c.Platform)
				owners[start], owners[stop] = r.Addr.String(), r.Addr.String()
			}
		}
	}
	for _, m := range c.AllMonitors() {
		if m.Kind == MonGeneric {
			owners[MonitorScriptPath(m.Name, c.Platform)] = m.Addr.String()
		}
	}
	for _, path := range sortedKeys(c.VendorFiles) {
		if owner, ok := owners[path]; ok {
			l.errorf(l.where(c, "vendor_files", c.DeclRange), "Vendor file replaces a script",
				"vendor_files of %s holds %s, the script file of %s, which the tool writes from its script. Remove %s from vendor_files.",
				c.Addr, path, owner, path)
		}
	}
}
