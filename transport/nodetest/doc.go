// Package nodetest is the conformance suite of transport.Node: every implementation (the SSH
// node against a real sshd, the in-memory fake) runs RunConformance, so providers can rely on the
// same semantics whichever node they are given.
package nodetest
