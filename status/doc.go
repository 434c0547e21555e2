// Package status reads the live state of every object of a configuration from its nodes
// (`cluster status`, and the starting point of `cluster simulate`): for clusters, clpstat on
// each node (where each group runs, suspended servers, monitors in error); for Server-Scan
// hosts, vkhoststat (the word it prints per server; INACT is disconnected); for status files,
// the definition file and whether each A and B file exists (their state is not readable); for
// server groups, each member's sync and balancer state as the site's commands on the management
// node report them. Every node is read in one session. The commands and the parsers
// are the providers'; this package decides what runs where and assembles the Report, which
// views render.
package status
