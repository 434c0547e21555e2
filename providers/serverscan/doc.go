// Package serverscan checks and repairs the scan-server connections of Server-Scan hosts
// (seed 000, 4.8).
//
// Each server_scan block is one planner.Unit on one node. Its single observe session runs
// vkhoststat, lists the host's listening TCP ports, reads /etc/services and, when
// check_connector is set, probes each Scan-Connector from the host. The server list itself belongs to Server-Scan's
// environment settings, whose file and format no public source gives: the tool never writes
// it. The plan compares the declared servers with vkhoststat's Host column and reports a
// difference as something to change in Server-Scan's environment settings (or in the
// configuration); it plans `vkattach -n<name>` for every declared server vkhoststat shows
// INACT, and reports port collisions, service names /etc/services does not register as
// declared, unreachable Scan-Connectors and configurations one failure stops. Apply runs the planned vkattach commands, then requires vkhoststat to show no
// declared server INACT. docs/serverscan.md cites the seed for every command and word used.
package serverscan
