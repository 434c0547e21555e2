package emulate

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// StartObjectServer starts the emulated object server's status service on the node at root
// whose Groupmax install directory is install (a node path; "" for the default). It is the
// server start the product performs when the High-end Object Server starts (the command that
// starts it is not in the seed): the only event besides a swap that makes a file current.
//
// At a normal start (no current file recorded) every defined logical file is opened: the first
// defined becomes current, the others that open become spare, those without files reserved,
// those with I/O errors blocked (seed 003). A restart keeps the previous current file
// (「再開始すると,前回の現用ファイルが引き継がれます」).
func StartObjectServer(root, install string, stderr io.Writer) error {
	e := &env{name: "objectserver", root: filepath.Clean(root), install: install, stdout: io.Discard, stderr: stderr}
	if e.install == "" {
		e.install = groupmaxInstall
	}
	def, err := e.readStsDef()
	if err != nil {
		return err
	}
	st, err := e.readStsState()
	if err != nil {
		return err
	}
	c := &stsCmd{e: e, def: def, st: st}
	previous := ""
	for _, l := range def.Logicals {
		if st.Logicals[l.Name] == stsCurrent {
			previous = l.Name
		}
	}
	next := map[string]string{}
	for i, l := range def.Logicals {
		switch {
		case c.ioFailed(l.A) || c.ioFailed(l.B) || st.Logicals[l.Name] == stsBlocked:
			next[l.Name] = stsBlocked
		case !e.exists(l.A) || !e.exists(l.B):
			next[l.Name] = stsReserved
		case l.Name == previous || (previous == "" && i == 0):
			next[l.Name] = stsCurrent
		default:
			next[l.Name] = stsSpare
		}
	}
	if len(def.Logicals) == 0 {
		return fmt.Errorf("the status service definition names no logical file")
	}
	want := def.Logicals[0].Name
	if previous != "" {
		want = previous
	}
	if next[want] != stsCurrent {
		return fmt.Errorf("logical file %s cannot be opened as the current file (%s)", want, next[want])
	}
	c.st.Logicals, c.st.Running = next, true
	return e.writeStsState(c.st)
}

// StopObjectServer stops the emulated status service; the states stay for the next start.
func StopObjectServer(root, install string) error {
	e := &env{root: filepath.Clean(root), install: install, stderr: os.Stderr}
	if e.install == "" {
		e.install = groupmaxInstall
	}
	st, err := e.readStsState()
	if err != nil {
		return err
	}
	st.Running = false
	return e.writeStsState(st)
}
