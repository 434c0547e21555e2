// Package scripts renders the start and stop scripts of CLUSTERPRO exec resources and the
// scripts of generic (genw) monitors: start.bat/stop.bat on Windows, start.sh/stop.sh on Linux.
//
// A script is either literal (its content is taken as written, with line endings normalised for
// the platform) or declarative: a list of services, hooks and a disk-failure policy from which
// the package generates a script in the shape of the vendor's samples. The cluster software
// runs it with environment variables that say why:
//
//	CLP_EVENT   START | FAILOVER | RECOVER   (anything else: the cluster software is not running)
//	CLP_DISK    SUCCESS | FAILURE            (the switchable disk)
//	CLP_SERVER  HOME | OTHER                 (the highest-priority server of the group, or not)
//
// Older products name them ARMS_EVENT, ARMS_DISK, ARMS_SERVER (env_prefix "ARMS").
//
// Generation goes through one platform-neutral layout (layout.go): which steps each event runs
// on the home server and on the others. The Windows (bat.go) and POSIX sh (sh.go) renderers only
// spell that layout, so both platforms share one logic. Output is deterministic: no timestamps,
// no map iteration, byte-stable across runs.
//
// Everything that comes from configuration and is not meant to be a script line (service names,
// ids, descriptions) is quoted or sanitised; hook commands are inserted verbatim, because they
// are script lines written by the operator.
package scripts
