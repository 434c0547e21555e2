// Package lab is the built-in lab: simulated nodes, each an in-process SSH server (x/crypto/ssh)
// on its own loopback address, with an isolated root directory in which the vendor commands
// are emulated (package lab/emulate). A lab lets every command of cluster run end to end
// without a real cluster.
//
// A lab directory (default ./.lab) holds:
//
//	lab.json            the registry: every node's name, address, port, root, host key
//	lab.vars.hcl        hosts, ssh_user, identity_file, known_hosts_file for the examples
//	known_hosts         [address]:port entries for every node's host key
//	id_ed25519(.pub)    the one client key the nodes accept
//	lab.pid, lab.log    the background server started by `cluster lab up`
//	nodes/<name>/host_key, nodes/<name>/root/
//
// A node root holds .lab/node.json (its name and the lab directory, so emulated commands find
// their peers), .lab/faults/ (fault switches, see labdir.Fault), and the emulated products'
// install directories, whose bin/ entries are symlinks to the cluster binary.
//
// A node runs each "exec" request as /bin/sh -c CMD in its root, with CLUSTER_NODE_ROOT set to
// the root, PATH=<root>/bin:/usr/local/bin:/usr/bin:/bin and HOME=<root>/home. It accepts only
// the lab's client key, answers keepalives, ignores "env" and refuses shells and terminals.
//
// A Windows node (Options.Windows) runs each "exec" request as Microsoft's OpenSSH with cmd.exe
// does (package lab/wincmd: never /bin/sh) and serves SFTP with /C:/ paths (winsftp.go).
//
// Faults honoured on connections: node-down (new connections are closed at once), slow (a delay
// per read and write), drop (the connection is closed after N bytes sent to the client).
// docs/lab.md describes the whole lab.
package lab
