// Package statusfile manages Groupmax Object Server status files (seed 003; DOMAIN.md section 3):
// logical files kept as A/B pairs, each pair current, spare, reserved or blocked.
//
// One unit per node holds every status_file block of that node. The unit observes, in one
// session, each status service definition file it manages and the xodstsls listing, and plans
// per logical file an ordered sequence of vendor commands (xodstsinit, xodstsopn, xodstscls,
// xodstsrm, xodstsswp) computed by Sequence, the state machine in machine.go. Sequence never
// deletes an open file, never leaves a logical file without a current pair once it has one, and
// refuses what the commands cannot do safely (removing a logical file whose pair is current).
//
// The definition file is written atomically and only after the operations it describes
// succeeded. Because the vendor commands accept only pairs the definition names, additions are
// first written to a staged copy beside it (DEF.staged) which the commands are given with -d;
// the real file is replaced at the end. An interrupted apply leaves the staged copy, which the
// next observation lists from, so a re-run sees every pair that exists and converges.
package statusfile
