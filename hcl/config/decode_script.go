package config

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/hcl/addrs"
)

// Script events, as CLP_EVENT / ARMS_EVENT carry them.
var scriptEvents = []string{"START", "FAILOVER", "RECOVER"}

func (l *loader) decodeScript(b *hcl.Block) {
	name := b.Labels[0]
	if !l.validName(b, "script") {
		return
	}
	s := &Script{Addr: l.at(addrs.Script(l.step(b))), Name: name, EnvPrefix: "CLP", OnDiskFailure: "abort", DeclRange: b.DefRange}
	if !l.declare(s.Addr, s, b) {
		return
	}
	l.cfg.Scripts[mapKey(s.Addr)] = s
	content, diags := b.Body.Content(scriptSchema)
	l.diags = append(l.diags, diags...)
	r := l.reader(s, content)
	r.str("description", &s.Description)
	r.str("start", &s.Start)
	r.str("stop", &s.Stop)
	l.decodeUnknownContent(r, s)
	r.oneOf("env_prefix", &s.EnvPrefix, "CLP", "ARMS")
	r.boolean("restart_services", &s.RestartServices)
	r.oneOf("on_disk_failure", &s.OnDiskFailure, "abort", "failover", "ignore", "broadcast")
	r.oneOf("charset", &s.Charset, scriptCharsets...)

	seen := map[string]hcl.Range{}
	for _, sb := range content.Blocks {
		switch sb.Type {
		case "service":
			id := sb.Labels[0]
			if prev, dup := seen[id]; dup {
				l.errorf(sb.LabelRanges[0].Ptr(), "Duplicate name",
					"script.%s already has a service %q, declared at %s. Every service of a script needs a unique id.", name, id, prev)
				continue
			}
			seen[id] = sb.DefRange
			l.decodeScriptService(sb, s)
		case "hook":
			l.decodeScriptHook(sb, s)
		case "webharmo_oltp":
			l.decodeWebharmoOLTP(sb, s)
		}
	}
}

// scriptPart keys the recorded ranges of a script's i-th service or hook, which the model
// holds by value.
type scriptPart struct {
	s    *Script
	kind string // "service" | "hook"
	i    int
}

// scriptCharsets are the charsets a script's files can be written in.
var scriptCharsets = []string{"UTF-8", "SJIS", "Shift_JIS", "EUC-JP", "ASCII", "GB2312"}

func (l *loader) decodeScriptService(b *hcl.Block, s *Script) {
	svc := ScriptService{ID: b.Labels[0]}
	content, diags := b.Body.Content(scriptServiceSchema)
	l.diags = append(l.diags, diags...)
	key := scriptPart{s, "service", len(s.Services)}
	l.blockRanges[key] = b.DefRange
	l.ranges[rangeKey{key, "id"}] = b.LabelRanges[0]
	r := l.reader(key, content)
	r.str("name", &svc.Name)
	r.boolean("monitor", &svc.Monitor)
	if svc.ID == "" {
		l.errorf(b.LabelRanges[0].Ptr(), "Empty service id",
			"A service of script.%s has an empty id; the generated scripts name the service by it (ARMLOAD id, ARMKILL id). Give it an id such as \"WWWService\".", s.Name)
	}
	if l.isSet(key, "name") && svc.Name == "" {
		l.errorf(l.where(key, "name", b.DefRange), "Empty service name",
			"The service %q of script.%s has an empty name. Write the OS service name it starts and stops, e.g. \"W3SVC\".", svc.ID, s.Name)
	}
	s.Services = append(s.Services, svc)
}

func (l *loader) decodeScriptHook(b *hcl.Block, s *Script) {
	h := ScriptHook{Event: b.Labels[0], On: "any", Phase: "start"}
	valid := false
	for _, e := range scriptEvents {
		valid = valid || h.Event == e
	}
	if !valid {
		l.errorf(b.LabelRanges[0].Ptr(), "Invalid value",
			"A hook's event must be one of %s, not %q.", quoteList(scriptEvents), h.Event)
	}
	content, diags := b.Body.Content(scriptHookSchema)
	l.diags = append(l.diags, diags...)
	var key any = &h // an invalid hook is not kept: its ranges go nowhere
	if valid {
		key = scriptPart{s, "hook", len(s.Hooks)}
		l.blockRanges[key] = b.DefRange
	}
	r := l.reader(key, content)
	r.oneOf("on", &h.On, "home", "other", "any")
	r.oneOf("phase", &h.Phase, "start", "stop")
	r.oneOf("position", &h.Position, HookBefore, HookAfter)
	r.strs("commands", &h.Commands)
	if h.Event == "RECOVER" && h.Phase == "stop" {
		l.errorf(l.where(key, "phase", b.DefRange), "Hook never runs",
			"The stop script never runs for RECOVER: a RECOVER hook with phase = \"stop\" would be dropped. Remove phase, or use the START or FAILOVER event.")
	}
	if valid {
		s.Hooks = append(s.Hooks, h)
	}
}
