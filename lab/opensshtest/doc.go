// Package opensshtest starts real OpenSSH sshd processes for tests: one per node, each on its
// own loopback address (127.0.0.10, 127.0.0.11, ...) and a free port, with its own ed25519 host
// key, the harness's client key authorized, and CLUSTER_NODE_ROOT set (SetEnv) to the node's
// isolated root directory, and HOME to a directory of its own (so the test runner's shell rc
// files are not run by every session). An optional bastion allows TCP forwarding to the nodes (jump host).
//
// WithWindowsShell starts Windows-dialect nodes instead: chrooted sessions whose only shell is
// the cmd.exe emulation (lab/wincmd/cmd/labcmd) and whose SFTP is the real internal-sftp with the
// node's drive C: at /C: (windows.go, docs/lab.md "Windows nodes"). StartWindowsCluster makes
// such nodes the servers of one cluster: laid out as lab Windows nodes, listed in a lab
// registry, and reaching each other through a peer link this process serves into every chroot
// (wincluster.go, docs/lab.md "Peers"). They need root: without it the test is skipped, or
// fails when CI is set.
//
// Tests are skipped when /usr/sbin/sshd is not installed, unless the CI environment variable is
// set: on CI a missing sshd is a failure. Every process, including per-connection children, is
// killed at cleanup; sshd's log is kept in the node directory and printed when a test fails.
package opensshtest
