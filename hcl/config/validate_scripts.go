package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/clusterctl/cluster/charset"
)

// scriptUse is one object of a cluster that runs a script: an exec resource or a genw monitor.
type scriptUse struct {
	s     *Script
	addr  string
	group *Group     // the exec resource's group; nil for a monitor
	at    *hcl.Range // the script argument of the user
}

// validateClusterScripts checks each script a cluster runs as the cluster's platform and charset
// will render it: a script used by two clusters is checked against each.
func (l *loader) validateClusterScripts(c *Cluster) {
	var uses []scriptUse
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if r.Kind == ResExec && r.Script != nil {
				uses = append(uses, scriptUse{r.Script, r.Addr.String(), g, l.where(r, "script", r.DeclRange)})
			}
		}
	}
	for _, m := range c.AllMonitors() {
		if m.Kind == MonGeneric && m.Script != nil {
			uses = append(uses, scriptUse{m.Script, m.Addr.String(), nil, l.where(m, "script", m.DeclRange)})
		}
	}
	byExec := map[*Script]bool{}
	for _, u := range uses {
		byExec[u.s] = byExec[u.s] || u.group != nil
	}
	checked := map[*Script]bool{}
	for _, u := range uses {
		if u.group != nil {
			l.checkFailoverGroupName(c, u)
		}
		if checked[u.s] {
			continue
		}
		checked[u.s] = true
		if !u.s.Literal() && byExec[u.s] {
			// A generic monitor runs a generated check that always succeeds: only an exec
			// resource's scripts use the prefix and the services.
			l.checkEnvPrefix(c, u)
			if c.Platform == Windows {
				l.checkCmdServices(u.s)
			}
		}
		l.checkScriptCharset(c, u.s, byExec[u.s])
		if u.s.OLTP != nil && c.Platform != Windows {
			l.errorf(u.at, "WEBharmo/OLTP on a Linux cluster",
				"%s declares webharmo_oltp, an ISAPI extension of IIS (seed 001, 1.4.1), and runs for %s on the %s cluster %s. Remove the block, or run the script on a Windows cluster.",
				u.s.Addr, u.addr, c.Platform, c.Addr)
		}
	}
}

// checkEnvPrefix reports ARMS_* variables on Linux, where no product sets them.
func (l *loader) checkEnvPrefix(c *Cluster, u scriptUse) {
	if u.s.EnvPrefix == "ARMS" && c.Platform != Windows {
		l.errorf(l.where(u.s, "env_prefix", u.s.DeclRange), "Environment prefix of another platform",
			"%s uses env_prefix = \"ARMS\" and runs for %s on the %s cluster %s, but only the Windows ARM-era products set ARMS_EVENT: the script would never see its event. Use env_prefix = \"CLP\" (the default).",
			u.s.Addr, u.addr, c.Platform, c.Addr)
	}
}

// checkFailoverGroupName reports a group name that the Windows disk-failure branch cannot pass
// to ARMFOVER: it runs "START ARMFOVER %CLP_GROUPNAME%" unquoted, as the vendor's sample does.
func (l *loader) checkFailoverGroupName(c *Cluster, u scriptUse) {
	if c.Platform != Windows || u.s.Literal() || u.s.OnDiskFailure != "failover" {
		return
	}
	if q, err := CmdArg(u.group.Name); err != nil || q != u.group.Name {
		l.errorf(u.at, "Group name unusable in a Windows script",
			"%s fails over with ARMFOVER on a disk failure, which takes the group name %q unquoted; only ASCII letters, digits, '_', '-', '.' and ':' pass through cmd.exe that way. Rename %s, or use another on_disk_failure.",
			u.s.Addr, u.group.Name, u.group.Addr)
	}
}

// checkCmdServices reports service ids and names that cmd.exe cannot be made to take literally.
func (l *loader) checkCmdServices(s *Script) {
	for i, svc := range s.Services {
		key := scriptPart{s, "service", i}
		for _, f := range []struct{ attr, value string }{{"id", svc.ID}, {"name", svc.Name}} {
			if _, err := CmdArg(f.value); err != nil {
				l.errorf(l.where(key, f.attr, l.blockRanges[key]), "Service unusable in a Windows script",
					"The service %s of %s has %s %q, which %s. Windows scripts pass it to ARMLOAD and ARMKILL on a cmd.exe line: use the service's name without such characters.",
					svc.ID, s.Addr, f.attr, f.value, err)
			}
		}
	}
}

// checkScriptCharset reports text that cannot be written in the charset the script's files are
// written in on c's nodes (ScriptCharset). A script that only genw monitors run is written from
// its start content alone, or, generated, from its name and description (it always reports
// healthy); exec resources' scripts hold the stop content, the services and the hooks too.
func (l *loader) checkScriptCharset(c *Cluster, s *Script, exec bool) {
	cs := ScriptCharset(s, c)
	if cs == "" {
		return
	}
	why := "the script's charset is " + cs
	if s.Charset == "" {
		why = fmt.Sprintf("a generated script is written in the charset of %s (%s, as %s on %s)", c.Addr, c.Charset, cs, c.Platform)
	}
	suggest := "\"UTF-8\""
	if c.Platform == Windows {
		suggest = "\"SJIS\" (cmd.exe on a Japanese Windows reads Shift_JIS)"
	}
	report := func(rng *hcl.Range, text string) bool {
		if _, err := charset.Encode(cs, text); err == nil {
			return true
		}
		l.errorf(rng, "Text not writable in the script's charset",
			"%s holds %s, which %s cannot represent, and %s. Set charset = %s on %s, or change the text.",
			s.Addr, firstUnwritable(cs, text), cs, why, suggest, s.Addr)
		return false
	}
	if s.Literal() {
		_ = report(l.where(s, "start", s.DeclRange), s.Start) && (!exec || report(l.where(s, "stop", s.DeclRange), s.Stop))
		return
	}
	if !report(s.DeclRange.Ptr(), s.Name) || !report(l.where(s, "description", s.DeclRange), s.Description) || !exec {
		return
	}
	for i, svc := range s.Services {
		key := scriptPart{s, "service", i}
		if !report(l.where(key, "name", l.blockRanges[key]), svc.ID+" "+svc.Name) {
			return
		}
	}
	for i, h := range s.Hooks {
		key := scriptPart{s, "hook", i}
		if !report(l.where(key, "commands", l.blockRanges[key]), strings.Join(h.Commands, "\n")) {
			return
		}
	}
}

// firstUnwritable names the first character of text that charset cs cannot represent.
func firstUnwritable(cs, text string) string {
	for _, r := range text {
		if _, err := charset.Encode(cs, string(r)); err != nil {
			return fmt.Sprintf("%q (%U)", r, r)
		}
	}
	return "a character"
}
