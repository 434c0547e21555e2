// Package serverscan manages Server-Scan hosts (seed 000): the scan servers listed in the
// host's environment settings, and their connections to the Scan-Connector servers.
//
// Each server_scan block is one planner.Unit on one node. Its single observe session reads the
// settings file (<install_dir>/etc/vkhost.conf), vkhoststat's statuses, the host's listening
// TCP ports and, when check_connector is set, whether each Scan-Connector answers from the
// host. The plan adds, changes, removes and reorders scan servers (normal before standby, in
// declared order), plans vkattach for every declared server that is not ACT, and reports port
// collisions, unreachable Scan-Connectors and configurations one failure stops. Apply writes
// the settings atomically, runs the planned vkattach commands, then requires vkhoststat to list
// every declared server as ACT. docs/serverscan.md documents the formats read and written.
package serverscan
