// Package labdir is the on-disk layout of a lab: the registry DIR/lab.json, each node root's
// .lab/node.json, the fault switches under <root>/.lab/faults/, and the atomic file write that
// every piece of lab state goes through.
//
// Both sides of a lab use it: package lab (the SSH servers, which honour the connection faults)
// and package lab/emulate (the vendor commands, which find their peers through the registry, or
// through the peer link node.json names, and honour the command faults). Keeping the layout here lets the two agree without importing each
// other. docs/lab.md documents every file.
package labdir
