package clusterpro

import (
	"bytes"
	"fmt"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
	"github.com/clusterctl/cluster/transport"
)

// readBackupCommand writes the backup id ("latest": the newest) under dir: its ID on the first
// line, then its configuration directory as a tar stream (ParseDirectory reads it). It is a
// POSIX-only command: it picks "latest" by listing the directory, which no op does yet.
func readBackupCommand(dir transport.NodePath, id string) transport.Command {
	script := `cd "$1" 2>/dev/null || { echo "no backup has been made on this node ($1 does not exist)" >&2; exit 3; }
id=$2
if [ "$id" = latest ]; then id=$(ls -1 | sort -r | head -n 1); fi
if [ -z "$id" ] || [ ! -f "$id/etc/clp.conf" ]; then echo "no backup ${id:-at all} under $1" >&2; exit 3; fi
cd "$id"
` + confSizeCheck + `
printf '%s\n' "$id"
set -- etc/clp.conf
[ -d scripts ] && set -- "$@" scripts
exec tar -cf - "$@"`
	return transport.Shell(script, dir, id)
}

// rollbackTarget reads the backup the master node returned and makes it the state every node
// must hold. The diagnostic says which backup it is, or why there is none (an error).
func (u *unit) rollbackTarget(obs planner.Observation, master addrs.Address) (*nodeState, planner.Diagnostic) {
	fail := func(why string) (*nodeState, planner.Diagnostic) {
		return nil, planner.Diagnostic{Severity: planner.SeverityError, Summary: "No backup to roll back to", Addr: master.String(),
			Detail: fmt.Sprintf("%s: %s. List the backups with 'cluster backups' and name one with --to.", master, why)}
	}
	b, err := u.probes(master).backup.Read(obs.Results[master])
	if err != nil {
		return fail("the backup was not read")
	}
	if !b.OK() {
		return fail(transport.FirstLine(b.Stderr))
	}
	id, stream, _ := bytes.Cut(b.Stdout, []byte("\n"))
	conf, files, err := ParseDirectory(stream)
	if err != nil || conf == nil {
		return fail(fmt.Sprintf("backup %s is unreadable: %v", id, err))
	}
	doc, err := clpconf.Parse(conf)
	if err != nil {
		return fail(fmt.Sprintf("backup %s: %v", id, err))
	}
	st, err := (&nodeState{doc: doc, raw: conf, scripts: files}).index(u.c.Name)
	if err != nil {
		return fail(fmt.Sprintf("backup %s: %v", id, err))
	}
	return st, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Rolling back", Addr: u.c.Addr.String(),
		Detail: fmt.Sprintf("%s returns to backup %s of %s, not to the configuration: plan again afterwards to see how the configuration differs.", u.c.Addr, id, master)}
}

// BackupsCommand lists the backup IDs kept on a node of c, newest first.
func BackupsCommand(installDir transport.NodePath) transport.Command {
	return transport.Shell(`cd "$1" 2>/dev/null || exit 0
ls -1 | sort -r`, layout{install: installDir}.backups())
}
