package simulate

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
)

// A service is what a user expects to stay up: a failover group, a Server-Scan host, a status
// file or a server group.

// available reports whether service a is available in snap and, when not, why.
func available(snap Snapshot, a addrs.Address) (bool, string) {
	for _, g := range snap.Groups {
		if g.Group == a {
			return g.Available, "no node of its policy (" + strings.Join(g.Policy, ", ") + ") is up"
		}
	}
	for _, h := range snap.ScanHosts {
		if h.ServerScan == a {
			if h.HostDown {
				return h.Available, "the Server-Scan host is down"
			}
			return h.Available, "no scan server is connected"
		}
	}
	for _, f := range snap.StatusFiles {
		if f.StatusFile == a {
			if f.NodeDown {
				return f.Available, "its node is down"
			}
			return f.Available, "no current logical file is left"
		}
	}
	for _, g := range snap.ServerGroups {
		if g.ServerGroup == a {
			return g.Available, "no server is left in the load balancer"
		}
	}
	return false, "not found"
}

// downServices lists the services of snap that are not available.
func downServices(snap Snapshot) []addrs.Address {
	var out []addrs.Address
	for _, g := range snap.Groups {
		if !g.Available {
			out = append(out, g.Group)
		}
	}
	for _, h := range snap.ScanHosts {
		if !h.Available {
			out = append(out, h.ServerScan)
		}
	}
	for _, f := range snap.StatusFiles {
		if !f.Available {
			out = append(out, f.StatusFile)
		}
	}
	for _, g := range snap.ServerGroups {
		if !g.Available {
			out = append(out, g.ServerGroup)
		}
	}
	return out
}

// resolveService finds the service --expect-available names: a failover group, a Server-Scan
// host, a status file or a server group.
func resolveService(cfg *config.Config, name string) (addrs.Address, error) {
	if strings.Contains(name, ".") {
		a, err := addrs.Parse(name)
		if err != nil {
			return addrs.Address{}, err
		}
		ok := false
		switch a.Kind {
		case addrs.KindGroup:
			ok = cfg.Groups[config.MapKey(a)] != nil
		case addrs.KindServerScan:
			ok = cfg.ServerScans[config.MapKey(a)] != nil
		case addrs.KindStatusFile:
			ok = cfg.StatusFiles[config.MapKey(a)] != nil
		case addrs.KindServerGroup:
			ok = cfg.ServerGroups[config.MapKey(a)] != nil
		default:
			return addrs.Address{}, fmt.Errorf("%s is not a service: give a group, server_scan, status_file or server_group", a)
		}
		if !ok {
			return addrs.Address{}, fmt.Errorf("%s is not declared in the configuration", a)
		}
		return a, nil
	}
	var found []addrs.Address
	if g := cfg.Groups[name]; g != nil {
		found = append(found, g.Addr)
	}
	if h := cfg.ServerScans[name]; h != nil {
		found = append(found, h.Addr)
	}
	if f := cfg.StatusFiles[name]; f != nil {
		found = append(found, f.Addr)
	}
	if g := cfg.ServerGroups[name]; g != nil {
		found = append(found, g.Addr)
	}
	switch len(found) {
	case 0:
		return addrs.Address{}, fmt.Errorf("%q names no failover group, Server-Scan host, status file or server group of the configuration", name)
	case 1:
		return found[0], nil
	}
	var as []string
	for _, a := range found {
		as = append(as, a.String())
	}
	return addrs.Address{}, fmt.Errorf("%q is ambiguous: it names %s; give the address", name, strings.Join(as, ", "))
}
