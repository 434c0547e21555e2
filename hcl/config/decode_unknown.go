package config

import "strings"

// decodeUnknownContent reads unknown_content: the parts of a literal script whose content is not
// known yet. Such a script loads, with a warning, so that an import from clp.conf alone can be
// validated and reviewed; plan and apply refuse to write its files (providers check
// Script.UnknownContent), so a cluster's real scripts are never replaced by a guess.
func (l *loader) decodeUnknownContent(r attrReader, s *Script) {
	var parts []string
	r.strs("unknown_content", &parts)
	at := l.where(s, "unknown_content", s.DeclRange)
	seen := map[string]bool{}
	for _, p := range parts {
		switch {
		case p != "start" && p != "stop":
			l.errorf(at, "Invalid value",
				"unknown_content lists the parts of %s whose content is not known: \"start\" and \"stop\" only, not %q.", s.Addr, p)
			continue
		case seen[p]:
			l.errorf(at, "Duplicate value", "unknown_content lists %q twice.", p)
			continue
		case p == "start" && l.isSet(s, "start"), p == "stop" && l.isSet(s, "stop"):
			l.errorf(at, "Content both given and unknown",
				"%s sets %s and also lists it in unknown_content. Remove %q from unknown_content once the content is supplied.", s.Addr, p, p)
			continue
		}
		seen[p] = true
		s.UnknownContent = append(s.UnknownContent, p)
	}
	if len(s.UnknownContent) == 0 {
		return
	}
	l.warnf(at, "Script content not known",
		"The %s content of %s is not known (an import from clp.conf alone marks the scripts it did not find so). validate checks the rest; plan and apply refuse to write this cluster's configuration until you supply it: copy the node's file beside the configuration, set %s = file(\"...\"), and remove it from unknown_content.",
		strings.Join(s.UnknownContent, " and "), s.Addr, s.UnknownContent[0])
}
