package config

import (
	"github.com/hashicorp/hcl/v2"

	"net"
	"sort"
)

// validate runs the semantic checks that span blocks. Decoding already reported syntax, types,
// enums and references; these checks see the resolved model and report every problem they find.
func (l *loader) validate() {
	for _, name := range sortedKeys(l.cfg.Clusters) {
		c := l.cfg.Clusters[name]
		l.validateCluster(c)
		l.validateClusterNames(c)
		l.validateRendering(c)
		l.validateVendorRemovals(c)
		l.validateClusterScripts(c)
		l.validateOperatingRules(c)
	}
	l.validateNodeAddresses()
	l.validateBecome()
	l.validateTopLevelCodePages()
	for _, name := range sortedKeys(l.cfg.Groups) {
		l.validateGroup(l.cfg.Groups[name])
		l.validateIdenticalRegistryKeys(l.cfg.Groups[name])
	}
	l.validateFloatingIPs()
	genwOnly := l.genwOnlyScripts()
	for _, name := range sortedKeys(l.cfg.Scripts) {
		s := l.cfg.Scripts[name]
		l.validateScript(s, genwOnly[s])
		l.validateScriptRules(s)
		l.validateWebharmoOLTP(s)
	}
	l.validateStatusFiles()
	l.validateServerScans()
	l.validateScanServerFields()
	for _, name := range sortedKeys(l.cfg.ServerGroups) {
		l.validateServerGroup(l.cfg.ServerGroups[name])
	}
	l.validateText()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkIP reports an argument that must be a literal IP address.
func (l *loader) checkIP(obj any, attr, value string, fallbackDecl hcl.Range) bool {
	if value == "" || net.ParseIP(value) != nil {
		return true
	}
	l.errorf(l.where(obj, attr, fallbackDecl), "Invalid IP address",
		"%s must be an IPv4 or IPv6 address such as \"192.168.0.11\", not %q.", attr, value)
	return false
}
