package scripts

import (
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/config"
)

// Values of CLP_EVENT the scripts dispatch on.
const (
	eventStart    = "START"
	eventFailover = "FAILOVER"
	eventRecover  = "RECOVER"
)

// Values of a hook's on and phase, and of a script's on_disk_failure.
const (
	onHome  = "home"
	onOther = "other"
	onAny   = "any"

	phaseStart = "start"
	phaseStop  = "stop"

	diskAbort     = "abort"
	diskFailover  = "failover"
	diskIgnore    = "ignore"
	diskBroadcast = "broadcast" // tell the users and report success, starting nothing (the samples)
)

// which says whether a layout is for the start or the stop script.
type which int

const (
	startScript which = iota
	stopScript
)

func (w which) String() string {
	if w == stopScript {
		return "stop"
	}
	return "start"
}

// stepKind is what one step of a branch does.
type stepKind int

const (
	stepStartService stepKind = iota // start a service (and check it when monitored)
	stepStopService                  // stop a service
	stepHook                         // operator-written lines, verbatim
	stepRemove                       // delete files (Windows): lines = {command, path}; see oltp.go
)

// step is one action of a branch.
type step struct {
	kind    stepKind
	service config.ScriptService // stepStartService, stepStopService
	lines   []string             // stepHook: the lines of one command; stepRemove: command, path
}

func (a step) equal(b step) bool {
	return a.kind == b.kind && a.service == b.service && slices.Equal(a.lines, b.lines)
}

func stepsEqual(a, b []step) bool { return slices.EqualFunc(a, b, step.equal) }

// branch is what the script does for one event: on the highest-priority server (home) and on
// any other server. Both lists are complete: a path runs exactly one of them, once.
type branch struct {
	event     string
	diskCheck bool // test the switchable disk before anything else
	home      []step
	other     []step
}

// serverMatters reports whether the home and other paths differ.
func (b branch) serverMatters() bool { return !stepsEqual(b.home, b.other) }

// layout is a platform-neutral description of a generated script.
type layout struct {
	which       which
	prefix      string // CLP | ARMS
	onDisk      string // abort | failover | ignore
	branches    []branch
	description string
	ref         string // the script's address, for the header
}

// usesDiskCheck reports whether any branch tests the disk, so the disk-error section is needed.
func (l layout) usesDiskCheck() bool {
	return slices.ContainsFunc(l.branches, func(b branch) bool { return b.diskCheck })
}

// buildLayout turns a validated declarative script into the layout of its start or stop
// script.
//
// Start script: START and FAILOVER check the disk (unless ignored), then start the services in
// declaration order (after stopping them all in reverse order when restart_services is set, as
// the mutual-standby sample does); the start-phase hooks of that event run before the services
// (position = "before", as the samples broadcast first) or after them (the default). RECOVER
// runs only its hooks: the samples do no service work there.
//
// Stop script: START and FAILOVER stop the services in reverse order; the stop-phase hooks run
// before that (the default) or after it. The stop script does not test the disk: the services must be stopped whatever the disk
// state, or they keep the disk busy and block the failover (the vendor's IIS stop samples jump
// to an ERROR_DISK label they never define, which aborts the batch).
func buildLayout(s *config.Script, w which) layout {
	l := layout{
		which:       w,
		prefix:      envPrefix(s),
		onDisk:      diskPolicy(s),
		description: s.Description,
		ref:         headerRef(s),
	}
	events := []string{eventStart, eventFailover}
	if w == startScript {
		events = append(events, eventRecover)
	}
	for _, ev := range events {
		b := branch{event: ev}
		var services []step
		switch {
		case w == stopScript:
			services = stopSteps(s.Services)
		case ev != eventRecover:
			b.diskCheck = l.onDisk != diskIgnore
			if s.RestartServices {
				services = stopSteps(s.Services)
			}
			services = withOLTPCleanup(append(services, startSteps(s.Services)...), s.OLTP)
		}
		phase := phaseStart
		if w == stopScript {
			phase = phaseStop
		}
		// Each hook runs before or after the services (config.HookPosition): by default after
		// them at start and before them at stop.
		b.home = concat(hookSteps(s.Hooks, ev, phase, onHome, config.HookBefore), services, hookSteps(s.Hooks, ev, phase, onHome, config.HookAfter))
		b.other = concat(hookSteps(s.Hooks, ev, phase, onOther, config.HookBefore), services, hookSteps(s.Hooks, ev, phase, onOther, config.HookAfter))
		l.branches = append(l.branches, b)
	}
	return l
}

func startSteps(svcs []config.ScriptService) []step {
	out := make([]step, 0, len(svcs))
	for _, svc := range svcs {
		out = append(out, step{kind: stepStartService, service: svc})
	}
	return out
}

// stopSteps stops the services in reverse declaration order: the last started stops first.
func stopSteps(svcs []config.ScriptService) []step {
	out := make([]step, 0, len(svcs))
	for i := len(svcs) - 1; i >= 0; i-- {
		out = append(out, step{kind: stepStopService, service: svcs[i]})
	}
	return out
}

// hookSteps returns the hooks of one event, phase and position that run on the given side
// (home or other), in declaration order. A hook on "any" runs on both sides.
func hookSteps(hooks []config.ScriptHook, event, phase, side, position string) []step {
	var out []step
	for _, h := range hooks {
		if h.Event != event || hookPhase(h) != phase || hookPosition(h) != position {
			continue
		}
		if on := hookOn(h); on != onAny && on != side {
			continue
		}
		// One step per command: a multi-line command (a here-document, a block) is kept
		// together so a renderer can leave its lines exactly as written.
		for _, c := range h.Commands {
			if strings.TrimSpace(c) == "" {
				continue
			}
			out = append(out, step{kind: stepHook, lines: splitLines(c)})
		}
	}
	return out
}

func concat(lists ...[]step) []step {
	var out []step
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// splitLines splits text into lines on CRLF, CR or LF; a final line break does not add an
// empty line.
func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimSuffix(text, "\n")
	return strings.Split(text, "\n")
}

// Defaults of the declarative fields. The loader fills them in too; repeating them here keeps
// Render correct for a Script built by hand.

func envPrefix(s *config.Script) string {
	if s.EnvPrefix == "" {
		return "CLP"
	}
	return s.EnvPrefix
}

func diskPolicy(s *config.Script) string {
	if s.OnDiskFailure == "" {
		return diskAbort
	}
	return s.OnDiskFailure
}

func hookOn(h config.ScriptHook) string {
	if h.On == "" {
		return onAny
	}
	return h.On
}

func hookPosition(h config.ScriptHook) string {
	h.Phase = hookPhase(h)
	return config.HookPosition(h)
}

func hookPhase(h config.ScriptHook) string {
	if h.Phase == "" {
		return phaseStart
	}
	return h.Phase
}
