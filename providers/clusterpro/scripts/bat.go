package scripts

import (
	"fmt"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
)

// batRenderer spells scripts for cmd.exe on Windows nodes, in the shape of the vendor's
// samples: labels per event, ARMLOAD/ARMKILL for services, ARMBCAST for messages.
type batRenderer struct{}

func (batRenderer) literal(content string) []byte {
	if content == "" {
		return []byte("EXIT /B 0\r\n")
	}
	return normalise(content, "\r\n")
}

func (batRenderer) monitor(ref, description string) []byte {
	var w lineWriter
	batHeader(&w, "genw.bat", ref, description)
	batComment(&w, ref+" declares no monitor check: the monitor always reports healthy.")
	w.line("EXIT /B 0")
	return w.bytes("\r\n")
}

// batLabel is the label of an event's section, as in the samples.
func batLabel(event string) string {
	if event == eventStart {
		return "NORMAL"
	}
	return event // FAILOVER, RECOVER
}

func batTitle(event string, w which) string {
	switch {
	case w == stopScript && event == eventFailover:
		return "Stop for a failover"
	case w == stopScript:
		return "Normal stop"
	case event == eventFailover:
		return "Start after a failover"
	case event == eventRecover:
		return "Recovery after the cluster came back"
	}
	return "Normal start"
}

func (batRenderer) render(l layout) ([]byte, error) {
	var w lineWriter
	batHeader(&w, l.which.String()+".bat", l.ref, l.description)
	event, disk, server := l.prefix+"_EVENT", l.prefix+"_DISK", l.prefix+"_SERVER"

	w.line()
	w.line("rem Why the cluster runs this script")
	for _, b := range l.branches {
		w.line(`IF "%`, event, `%" == "`, b.event, `" GOTO `, batLabel(b.event))
	}
	w.line("rem Anything else: the cluster software is not running")
	w.line("GOTO no_arm")

	for i, b := range l.branches {
		w.line()
		w.line("rem ", batTitle(b.event, l.which))
		w.line(":", batLabel(b.event))
		if b.diskCheck {
			w.line(`IF "%`, disk, `%" == "FAILURE" GOTO ERROR_DISK`)
		}
		// The service branches always test the server, as the samples do, so an operator
		// finds the place of a home-only or other-only command; RECOVER only when its hooks
		// differ.
		if b.event == eventRecover && !b.serverMatters() {
			if err := batSteps(&w, b.home); err != nil {
				return nil, err
			}
			w.line("GOTO EXIT")
			continue
		}
		other := fmt.Sprintf("ON_OTHER%d", i+1)
		w.line(`IF "%`, server, `%" == "OTHER" GOTO `, other)
		w.line("rem On the highest-priority server")
		if err := batSteps(&w, b.home); err != nil {
			return nil, err
		}
		// Every path ends in GOTO EXIT. In the vendor's samples the highest-priority part
		// falls through into :ON_OTHER1 (and :NORMAL into :RECOVER, :FAILOVER), so the
		// services were started twice on the home server; here each path runs them once.
		w.line("GOTO EXIT")
		w.line()
		w.line(":", other)
		w.line("rem On any other server")
		if err := batSteps(&w, b.other); err != nil {
			return nil, err
		}
		w.line("GOTO EXIT")
	}

	if l.usesDiskCheck() {
		w.line()
		w.line("rem The switchable disk could not be connected")
		w.line(":ERROR_DISK")
		w.line(`ARMBCAST /MSG "The switchable disk could not be connected" /A`)
		if l.onDisk == diskFailover {
			// As in the ExpressMail sample: on a server other than the home one, ask for
			// the group to move on, asynchronously (START), and report success so the
			// cluster's own recovery does not race the request. The group name is the
			// cluster's, which the vendor restricts to characters cmd takes literally.
			w.line(`IF "%`, server, `%" == "OTHER" START ARMFOVER %`, l.prefix, `_GROUPNAME%`)
			w.line(`IF "%`, server, `%" == "OTHER" GOTO EXIT`)
		}
		if l.onDisk == diskBroadcast {
			// The samples' behaviour: the message is all; the resource stays active.
			w.line("GOTO EXIT")
		} else {
			// Starting the services without their disk would only fail later and less clearly.
			w.line("EXIT /B 1")
		}
	}

	w.line()
	w.line("rem The cluster software is not running")
	w.line(":no_arm")
	w.line(`ARMBCAST /MSG "The cluster software is not running" /A`)
	w.line()
	w.line(":EXIT")
	w.line("EXIT /B 0")
	return w.bytes("\r\n"), nil
}

// batSteps writes steps. Hook lines are written as given; ids and names are quoted by cmdArg,
// which refuses what cmd.exe cannot take literally.
func batSteps(w *lineWriter, steps []step) error {
	for _, st := range steps {
		switch st.kind {
		case stepStartService, stepStopService:
			id, err := cmdArg(st.service.ID)
			if err != nil {
				return fmt.Errorf("service %q: id: %w", st.service.ID, err)
			}
			if st.kind == stepStopService {
				w.line("ARMKILL ", id)
				continue
			}
			name, err := cmdArg(st.service.Name)
			if err != nil {
				return fmt.Errorf("service %q: name %q: %w", st.service.ID, st.service.Name, err)
			}
			if st.service.Monitor {
				w.line("ARMLOAD ", id, " /S /M ", name)
			} else {
				w.line("ARMLOAD ", id, " /S ", name)
			}
		case stepHook:
			for _, ln := range st.lines {
				w.line(ln)
			}
		case stepRemove:
			target, err := cmdArg(st.lines[1])
			if err != nil {
				return fmt.Errorf("%s %q: %w", st.lines[0], st.lines[1], err)
			}
			w.line(st.lines[0], " ", target)
		}
	}
	return nil
}

// cmdArg quotes s as one argument for cmd.exe (config.CmdArg), wrapping ErrUnsafeForCmd when
// it cannot be passed literally.
func cmdArg(s string) (string, error) {
	q, err := config.CmdArg(s)
	if err != nil {
		return "", fmt.Errorf("%w: %w", err, ErrUnsafeForCmd)
	}
	return q, nil
}

// batHeader writes the comment block that opens a script.
func batHeader(w *lineWriter, file, ref, description string) {
	const rule = "rem ***************************************************************"
	w.line(rule)
	batComment(w, " "+file+" of "+ref)
	if description != "" {
		for _, ln := range splitLines(description) {
			batComment(w, " "+ln)
		}
	}
	w.line("rem  Generated by cluster from the script block; edit that, not this file.")
	w.line(rule)
}

// batComment writes text as rem lines. cmd expands %...% even in a rem line (a stray %~ aborts
// the whole batch) and a trailing ^ continues a line, so such characters are replaced.
func batComment(w *lineWriter, text string) {
	for _, ln := range splitLines(text) {
		ln = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f || strings.ContainsRune(`%^&|<>!"`, r) {
				return '_'
			}
			return r
		}, ln)
		w.line(strings.TrimRight("rem "+ln, " "))
	}
}
