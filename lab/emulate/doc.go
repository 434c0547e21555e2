// Package emulate implements the vendor commands of a simulated node as programs on the node:
// CLUSTERPRO (clpcfctrl, clpcl, clpstat, clpgrp), Server-Scan (vkhoststat, vkattach), the
// Groupmax status-file commands (xodstsinit, xodstsopn, xodstscls, xodstsrm, xodstsswp: table
// 5-1 of seed 003, and no listing command, since the product has none) and a df that can report a full disk. The cluster binary is multi-call: invoked
// under one of these names (a symlink in a node root) it runs the emulation.
//
// An emulation finds the node root in CLUSTER_NODE_ROOT (empty: the real filesystem root) and
// its install directory from its own invocation path: <root>/opt/nec/clusterpro/bin/clpcl is
// installed in /opt/nec/clusterpro. Every piece of state is a file under the node root, written
// atomically, so a lab survives a restart. Peers (for clpcfctrl --push, clpcl -a, the
// cluster-wide views and the lab's WSMGR sync stand-in) are reached through the peers interface (peers.go): directly through their
// roots, found in the lab registry (package lab/labdir), or, from a chrooted node, over the peer
// link that ServePeers serves outside the chroot (peerlink.go). Fault switches under <root>/.lab/faults/ make
// commands fail the way a broken node would. docs/lab.md documents every file and output format.
package emulate
