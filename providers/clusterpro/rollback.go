package clusterpro

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
	"github.com/clusterctl/cluster/transport"
)

// addBackupProbes reads the backup id ("latest": the newest) under l's backup directory, in
// typed ops of the observe call. A named backup is one ReadTree of its directory. The newest
// cannot be named before the listing, and observing is one call: "latest" reads every backup
// kept (at most keepBackups, and leftovers of killed runs) with each copy's clp.conf bounded
// on the node by clpconf.MaxSize ("*/etc/clp.conf"), and rollbackTarget picks the newest whole
// one. No shell: every dialect runs it.
func (o *nodeProbes) addBackupProbes(l layout, id string) {
	if !validBackupID(id) {
		return // chosenBackup refuses it: nothing is read
	}
	if id == "latest" {
		o.backups = transport.AddProbe(&o.set, transport.ReadTree{Dir: l.backups(),
			Limits: map[string]int64{"*/etc/clp.conf": clpconf.MaxSize}}, transport.Raw)
		return
	}
	o.backup = transport.AddProbe(&o.set, ReadDirectory(l.backups().Join(id)), transport.Raw)
}

// chosenBackup returns the backup the probes read: its ID and configuration directory. A
// backup is whole when its name carries no leading dot (backup writes ".partial-ID" and renames
// it only once it is complete and synced) and it holds etc/clp.conf.
func (o nodeProbes) chosenBackup(res []transport.Outcome, id string) (string, Directory, error) {
	if !validBackupID(id) {
		return "", Directory{}, fmt.Errorf("%q is not a backup ID", id)
	}
	p := o.backup
	if id == "latest" {
		p = o.backups
	}
	out, err := p.Read(res)
	if err != nil {
		return "", Directory{}, fmt.Errorf("the backup was not read")
	}
	if !out.OK() {
		return "", Directory{}, fmt.Errorf("%s", transport.FirstLine(out.Stderr))
	}
	if out.Tree == nil {
		return "", Directory{}, fmt.Errorf("no backup has been made on this node (%s does not exist)", out.Op.(transport.ReadTree).Dir)
	}
	if id != "latest" {
		d, err := DirectoryOf(out)
		if err != nil || d.Conf == nil {
			return "", Directory{}, fmt.Errorf("no backup %s", id)
		}
		return id, d, nil
	}
	ids := BackupIDsOf(out.Tree)
	if len(ids) == 0 {
		return "", Directory{}, fmt.Errorf("no backup at all under %s", out.Op.(transport.ReadTree).Dir)
	}
	newest := ids[0]
	d := Directory{Conf: out.Tree[newest+"/etc/clp.conf"], Files: map[string][]byte{}}
	for name, data := range out.Tree {
		if rel, ok := strings.CutPrefix(name, newest+"/"); ok && strings.HasPrefix(rel, "scripts/") {
			d.Files[rel] = data
		}
	}
	return newest, d, nil
}

// validBackupID: one name in the backup directory, never a path or a hidden leftover.
func validBackupID(id string) bool {
	return id != "" && !strings.HasPrefix(id, ".") && !strings.ContainsAny(id, "/\\:\x00\r\n")
}

// BackupIDsOf lists the whole backups in a tree read of the backup directory, newest first
// (IDs start with the UTC time: see newRunID).
func BackupIDsOf(tree map[string][]byte) []string {
	var ids []string
	for name := range tree {
		id, rest, ok := strings.Cut(name, "/")
		if ok && rest == "etc/clp.conf" && !strings.HasPrefix(id, ".") {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	return ids
}

// rollbackTarget reads the backup the master node returned and makes it the state every node
// must hold. The diagnostic says which backup it is, or why there is none (an error).
func (u *unit) rollbackTarget(obs planner.Observation, master addrs.Address) (*nodeState, planner.Diagnostic) {
	fail := func(why string) (*nodeState, planner.Diagnostic) {
		return nil, planner.Diagnostic{Severity: planner.SeverityError, Summary: "No backup to roll back to", Addr: master.String(),
			Detail: fmt.Sprintf("%s: %s. List the backups with 'cluster backups' and name one with --to.", master, why)}
	}
	id, dir, err := u.probes(master).chosenBackup(obs.Results[master], u.rollback)
	if err != nil {
		return fail(err.Error())
	}
	doc, err := clpconf.Parse(dir.Conf)
	if err != nil {
		return fail(fmt.Sprintf("backup %s: %v", id, err))
	}
	st, err := (&nodeState{doc: doc, raw: dir.Conf, scripts: dir.Files}).index(u.c.Name)
	if err != nil {
		return fail(fmt.Sprintf("backup %s: %v", id, err))
	}
	return st, planner.Diagnostic{Severity: planner.SeverityWarning, Summary: "Rolling back", Addr: u.c.Addr.String(),
		Detail: fmt.Sprintf("%s returns to backup %s of %s, not to the configuration: plan again afterwards to see how the configuration differs.", u.c.Addr, id, master)}
}

// ListBackups lists the backup directory of a node of the cluster installed in installDir:
// BackupIDs reads its outcome.
func ListBackups(installDir transport.NodePath) transport.ListDir {
	return transport.ListDir{Dir: layout{install: installDir}.backups()}
}

// BackupIDs reads ListBackups' outcome: the backups' IDs, newest first. Leftovers of killed
// runs (hidden names) are not backups.
func BackupIDs(o transport.Outcome) ([]string, error) {
	if err := o.Err(); err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range o.Entries {
		if e.Dir && !strings.HasPrefix(e.Name, ".") {
			ids = append(ids, e.Name)
		}
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	return ids, nil
}
