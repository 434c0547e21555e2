package main

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/clusterctl/cluster/hcl/config"
)

// observeFlags are the flags of every command that reaches the nodes (status, backups,
// force-unlock, simulate unless --offline, and within runFlags plan, apply and rollback): the
// configuration's variables and how to connect.
type observeFlags struct {
	load              config.LoadOptions
	parallelism       int
	acceptNewHostKeys bool
	connectTimeout    time.Duration
}

func (f *observeFlags) register(fs *pflag.FlagSet) {
	AddVarFlags(fs, &f.load)
	fs.IntVar(&f.parallelism, "parallelism", 50, "connect to and read at most `N` nodes at once")
	fs.BoolVar(&f.acceptNewHostKeys, "accept-new-host-keys", false,
		"record the host key of a node never seen before in known_hosts (first contact only; a changed key still stops the run)")
	fs.DurationVar(&f.connectTimeout, "connect-timeout", 0, "override the SSH connect timeout of every node")
}

// runFlags adapts these flags to a run that selects every object (force-unlock).
func (f *observeFlags) runFlags() *runFlags {
	return &runFlags{observeFlags: *f}
}
