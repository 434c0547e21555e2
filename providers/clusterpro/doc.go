// Package clusterpro manages CLUSTERPRO / EXPRESSCLUSTER X failover clusters.
//
// A cluster is one planner.Unit: its desired state is the configuration directory the vendor's
// tools hold (clp.conf plus the scripts of exec resources and generic monitors), rendered from
// the HCL by DesiredConf and scripts.ClusterFiles. Every node is observed in one session (its
// installed clp.conf and scripts as a tar stream, and clpstat). The plan compares objects
// semantically (element order, whitespace, encoding and the vendor's bookkeeping are not
// changes), names nodes that drifted from the others, and fixes the vendor sequence apply will
// run: write the directory on the highest-priority reachable node, then
// clpcl --suspend / clpcfctrl --push / clpcl --resume, or push + clpcl -s for a new cluster.
package clusterpro
