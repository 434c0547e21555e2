// Package procgroup runs a command in a process group of its own, so that killing the group
// also ends whatever the command started (sh -c "ssh -W ...", a vendor script's children).
// Where there are no process groups, only the command itself is killed.
package procgroup
