// Package simulate computes, without touching any node, what happens to every service of a
// configuration when machines fail and come back (issue 13): where each failover group runs
// and which of its monitors are affected, which scan servers carry the virus-check load, what
// a status-file swap does after an I/O error, which server-group members stay in the load
// balancer.
//
// Everything here is a pure function of the configuration (hcl/config) and, optionally, of an
// observed starting point (Observed): no I/O, no printing. Views render the Report.
package simulate
