// Package emulate implements the vendor commands of a simulated node (CLUSTERPRO, Server-Scan,
// Groupmax) as programs on the node: the cluster binary runs them when invoked under their names.
package emulate

import "io"

// Main is the entry point of one emulated command; it returns the exit status.
type Main func(args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Lookup returns the emulation installed under name, if any.
func Lookup(name string) (Main, bool) {
	m, ok := commands[name]
	return m, ok
}

// commands maps a vendor command's name to its emulation.
var commands = map[string]Main{}
