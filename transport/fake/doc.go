// Package fake is an in-memory transport.Node for provider unit tests: a map file system,
// command handlers matched on an argument prefix, a log of every call, a session counter and
// failure injection (fail the Nth call, cut a WriteFile short). It passes the same conformance
// suite (transport/nodetest) as the SSH node, so a provider tested against it behaves the same
// against a real machine.
//
// Commands no handler matches get four built-ins, enough for the conformance suite and simple
// tests: true, false, cat (stdin, or the files named by NodePath arguments) and ln -s (a
// symbolic link, which ReadTree refuses as a POSIX node does). Anything else exits 127 with
// "command not found", like a shell.
package fake
