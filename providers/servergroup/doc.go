// Package servergroup manages WSMGR-style server groups (seed 004, DOMAIN.md section 4): one
// management node holds the settings, the members receive them by a sync, one member (or
// --max-parallel-members of them) at a time, each taken out of the load balancer while it is
// synced.
//
// A server group is one planner.Unit: its management node and its members. Every node is
// observed in one session: a per-file fingerprint of the settings directory, the group state
// file the tool keeps beside it (which group the node believes it is in, its role, and on the
// management node the roster: every member's balancer, disabled and out-of-sync marks), and
// the free space where a sync writes (df on system_dir and on the settings directory's parent).
//
// # What "settings change on the management node first" means here
//
// The tool does not author settings: WSMGR's own tool edits them, and only on the management
// node. The management node's settings directory is therefore the desired state, and the
// configuration says which node that is. Apply's first steps all happen on the management
// node: it records the roster (membership changes, a moved management role, disabled and
// removed members taken out of the balancer), then compresses its settings into system_dir and
// the tool checks that snapshot is exactly what the plan showed. Only that snapshot is rolled
// out, so every member receives the same settings even if someone edits them mid-rollout.
//
// # Rollout and failure rules
//
// Per member, in declaration order: detach_command on the management node, sync (the snapshot
// streamed through the tool, staged in the member's system_dir, unpacked beside the settings
// directory and swapped in by rename), verify (the member's fingerprint equals the snapshot's),
// record the membership on the member, attach_command. The first failure stops the rollout:
// the member stays detached and is marked out of sync in the roster on the management node
// (its own disk may be what failed), and no plan updates it again until --resync names it.
package servergroup
