package config

import "strings"

// ScriptCharset is the charset the files of script s are written in on the nodes of cluster c,
// or "" for "as written" (UTF-8). An explicit charset on the script wins. Literal content is
// otherwise written as given. Generated content follows the cluster's charset, mapped to what
// the node's interpreter reads: cmd.exe on a Japanese Windows reads the OEM code page (Shift_JIS),
// so an EUC-JP or SJIS cluster gets SJIS .bat files; sh on Linux cannot take Shift_JIS (its
// second bytes include '\\' and '$'), so an SJIS or EUC-JP cluster gets EUC-JP .sh files. ASCII,
// GB2312 and UTF-8 are kept.
func ScriptCharset(s *Script, c *Cluster) string {
	if s.Charset != "" {
		return s.Charset
	}
	if s.Literal() || c == nil {
		return ""
	}
	charset := c.Charset
	if charset == "" {
		charset = DefaultCharset(c.Platform)
	}
	switch normalCharset(charset) {
	case "EUCJP", "SJIS", "SHIFTJIS", "WINDOWS31J", "CP932", "MS932":
		if c.Platform == Windows {
			return "SJIS"
		}
		return "EUC-JP"
	}
	return charset
}

// normalCharset folds case, hyphens and underscores, as the clp.conf reader matches names.
func normalCharset(name string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToUpper(strings.TrimSpace(name)))
}

// Hook positions relative to the services of the same event and phase.
const (
	HookBefore = "before"
	HookAfter  = "after"
)

// HookPosition is where hook h runs relative to the services: as written, or by default after
// them in the start script and before them in the stop script (a message or a check before the
// services go away).
func HookPosition(h ScriptHook) string {
	switch {
	case h.Position != "":
		return h.Position
	case h.Phase == "stop":
		return HookBefore
	}
	return HookAfter
}
