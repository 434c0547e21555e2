package main

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/clusterctl/cluster/hcl/config"
)

// observeFlags are the flags of the read-only commands that reach the nodes (status, and
// simulate unless --offline): the configuration's variables and how to connect.
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

// runFlags adapts these flags to the connector plan and apply use.
func (f *observeFlags) runFlags() *runFlags {
	return &runFlags{load: f.load, parallelism: f.parallelism, acceptNewHostKeys: f.acceptNewHostKeys, connectTimeout: f.connectTimeout}
}
