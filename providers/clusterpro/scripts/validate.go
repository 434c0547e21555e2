package scripts

import (
	"fmt"

	"github.com/clusterctl/cluster/hcl/config"
)

// validate checks the declarative fields that the renderers rely on. Quoting rules that depend
// on the platform are checked by the renderers.
func validate(s *config.Script, p config.Platform) error {
	ref := scriptRef(s)
	switch envPrefix(s) {
	case "CLP":
	case "ARMS":
		if p != config.Windows {
			return fmt.Errorf("%s: env_prefix \"ARMS\" is only set by the Windows ARM-era products; a %s script would never see ARMS_EVENT", ref, p)
		}
	default:
		return fmt.Errorf("%s: env_prefix %q: want \"CLP\" or \"ARMS\"", ref, s.EnvPrefix)
	}
	switch diskPolicy(s) {
	case diskAbort, diskFailover, diskIgnore, diskBroadcast:
	default:
		return fmt.Errorf("%s: on_disk_failure %q: want \"abort\", \"failover\", \"ignore\" or \"broadcast\"", ref, s.OnDiskFailure)
	}
	seen := make(map[string]bool, len(s.Services))
	for _, svc := range s.Services {
		if svc.ID == "" {
			return fmt.Errorf("%s: a service has an empty id", ref)
		}
		if seen[svc.ID] {
			return fmt.Errorf("%s: service %q is declared twice", ref, svc.ID)
		}
		seen[svc.ID] = true
		if svc.Name == "" {
			return fmt.Errorf("%s: service %q: empty name", ref, svc.ID)
		}
	}
	for i, h := range s.Hooks {
		switch h.Event {
		case eventStart, eventFailover, eventRecover:
		default:
			return fmt.Errorf("%s: hook %d: event %q: want START, FAILOVER or RECOVER", ref, i+1, h.Event)
		}
		switch hookOn(h) {
		case onHome, onOther, onAny:
		default:
			return fmt.Errorf("%s: hook %s: on %q: want \"home\", \"other\" or \"any\"", ref, h.Event, h.On)
		}
		switch hookPhase(h) {
		case phaseStart:
		case phaseStop:
			if h.Event == eventRecover {
				return fmt.Errorf("%s: hook RECOVER: phase \"stop\": the stop script never runs for RECOVER", ref)
			}
		default:
			return fmt.Errorf("%s: hook %s: phase %q: want \"start\" or \"stop\"", ref, h.Event, h.Phase)
		}
		switch hookPosition(h) {
		case config.HookBefore, config.HookAfter:
		default:
			return fmt.Errorf("%s: hook %s: position %q: want \"before\" or \"after\"", ref, h.Event, h.Position)
		}
	}
	return nil
}
