// Package servergroup drives WSMGR for Web server groups (seed 004, DOMAIN.md section 4,
// docs/servergroup.md): one management server holds the settings, WSMGR itself syncs them to
// the member servers, and the tool does what the seed's procedures do around that sync.
//
// # What the tool does and does not do
//
// The settings live in WSMGR's config directory (settings_dir). The tool never writes it: seed
// 004 forbids copying it by hand (「configディレクトリの手動によるコピーは行わないでください」),
// and only WSMGR's own sync may. The tool reads it, read-only, on every node: a per-file
// SHA-256 of the tree, so a member whose settings differ from the management server's is seen.
//
// WSMGR documents no command line for its sync, its sync monitor (同期モニタ) or its server
// group settings (サーバグループ設定): all are in the management server's admin tool. The site
// therefore declares the commands the tool runs on the management server: sync_command has
// WSMGR sync one member, sync_check_command reports one member's state in the sync monitor
// (by exit status), and the load balancer's detach_command, attach_command and
// in_balancer_command. The tool keeps no state file: every plan derives what it needs from
// the hashes and from those commands.
//
// # Rollout and failure rules
//
// Per member, in declaration order (--max-parallel-members at a time): detach it from the
// balancer, run sync_command, wait until sync_check_command reports the sync finished, check
// the member's config tree now equals the management server's, attach it. The first failure
// stops the rollout and the member stays detached. A member the sync monitor shows in error is
// held back until --resync names it (seed 004: it then needs a manual sync). The roster and
// the 「無効」 state are WSMGR's: the tool reads them through sync_check_command and cannot
// change them; a `disabled` member is kept out of the balancer and out of syncs.
package servergroup
