package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// The operating rules of the vendor manuals (shared/seeds, seed 001) that a configuration can
// be checked against without reaching a node. Each diagnostic cites the section it comes from.
// Rules that need the nodes (a service's startup type, the product installed on every node
// before a regsync resource) are described in docs/language.md.

// packetFilterNeeds is what SURFNAVI's packet filter must let through for CLUSTERPRO (seed 001,
// 1.6.5 (1) step 9): local ports for incoming traffic, remote ports for outgoing.
var packetFilterNeeds = []struct {
	attr  string
	ports []int
}{
	{"tcp_in", []int{20003, 20004, 20005, 20006, 20009, 20020, 20090, 20091}},
	{"udp_in", []int{20003, 20006, 20010}},
	{"udp_out", []int{20008, 389}},
}

// icpfService is SURFNAVI's packet filter service, which no script may stop (1.6.6).
const icpfService = "ICPFSrv"

var (
	// stopsICPF matches a command line that stops the packet filter service.
	stopsICPF = regexp.MustCompile(`(?i)\b(ARMKILL|net(\.exe)?\s+stop|sc(\.exe)?\s+stop|Stop-Service|systemctl\s+stop)\b.*\bICPFSrv\b`)
	// monitorsDBMail matches an ARMLOAD line that starts dbmail in monitor mode (/M).
	monitorsDBMail = regexp.MustCompile(`(?i)\bARMLOAD\b.*\s/M\b.*dbmail|\bARMLOAD\b.*dbmail.*\s/M\b`)
)

// validateOperatingRules checks the rules of the seeds that concern a cluster: its packet
// filter and the services its resources manage.
func (l *loader) validateOperatingRules(c *Cluster) {
	if c.Ports != nil {
		l.checkPacketFilter(c)
	}
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if r.Kind == ResService && strings.EqualFold(r.ServiceName, icpfService) {
				l.errorf(l.where(r, "service_name", r.DeclRange), "Service the cluster must not stop",
					"%s would stop %s when its group stops or moves. Seed 001, 1.6.6: ICPFSrv must not be stopped by a script, because stopping it discards every packet and CLUSTERPRO stops working. Remove the resource: the packet filter runs on every node all the time.",
					r.Addr, r.ServiceName)
			}
		}
	}
}

func (l *loader) checkPacketFilter(c *Cluster) {
	have := map[string][]int{"tcp_in": c.Ports.TCPIn, "udp_in": c.Ports.UDPIn, "tcp_out": c.Ports.TCPOut, "udp_out": c.Ports.UDPOut}
	for _, need := range packetFilterNeeds {
		var missing []string
		for _, p := range need.ports {
			if !slices.Contains(have[need.attr], p) {
				missing = append(missing, fmt.Sprint(p))
			}
		}
		if len(missing) == 0 {
			continue
		}
		direction := "local ports it receives on"
		if strings.HasSuffix(need.attr, "_out") {
			direction = "remote ports it sends to"
		}
		l.errorf(l.where(c.Ports, need.attr, l.blockRanges[c.Ports]), "Packet filter blocks the cluster",
			"The packet filter of %s does not let %s through (%s %s). Seed 001, 1.6.5 step 9: a packet filter on the nodes must allow CLUSTERPRO's communication: TCP in 20003-20006, 20009, 20020, 20090, 20091; UDP in 20003, 20006, 20010; UDP out 20008 and 389 (joining the domain). Add %s to %s.",
			c.Addr, strings.Join(missing, ", "), strings.ToUpper(strings.Split(need.attr, "_")[0]), direction,
			strings.Join(missing, ", "), need.attr)
	}
}

// validateScriptRules checks the rules of the seeds that concern what a script starts and stops.
func (l *loader) validateScriptRules(s *Script) {
	for i, svc := range s.Services {
		key := scriptPart{s, "service", i}
		if strings.EqualFold(svc.Name, icpfService) {
			l.errorf(l.where(key, "name", l.blockRanges[key]), "Service the cluster must not stop",
				"The service %s of %s is ICPFSrv, which the generated stop script would stop with ARMKILL. Seed 001, 1.6.6: ICPFSrv must not be stopped by a script, because stopping it discards every packet and CLUSTERPRO stops working. Remove the service block.",
				svc.ID, s.Addr)
		}
		if svc.Monitor && isDBMail(svc) {
			l.errorf(l.where(key, "monitor", l.blockRanges[key]), "dbmail started in monitor mode",
				"The service %s of %s starts dbmail with ARMLOAD /M. Seed 001, 1.2.8 (7) (and 1.2.6): do not write ARMLOAD's monitor-mode option for dbmail in the start script. Remove monitor = true.",
				svc.ID, s.Addr)
		}
	}
	l.checkDBMailOrder(s)
	lines := func(rng *hcl.Range, what, text string, stopping bool) {
		for _, ln := range splitLines(text) {
			if stopping && stopsICPF.MatchString(ln) {
				l.errorf(rng, "Service the cluster must not stop",
					"%s of %s stops ICPFSrv (%q). Seed 001, 1.6.6: ICPFSrv must not be stopped by a script, because stopping it discards every packet and CLUSTERPRO stops working. Remove the line.",
					what, s.Addr, strings.TrimSpace(ln))
				return
			}
			if monitorsDBMail.MatchString(ln) {
				l.errorf(rng, "dbmail started in monitor mode",
					"%s of %s starts dbmail with ARMLOAD /M (%q). Seed 001, 1.2.8 (7): do not write ARMLOAD's monitor-mode option for dbmail in the start script. Remove /M.",
					what, s.Addr, strings.TrimSpace(ln))
				return
			}
		}
	}
	lines(l.where(s, "start", s.DeclRange), "The start content", s.Start, true)
	lines(l.where(s, "stop", s.DeclRange), "The stop content", s.Stop, true)
	for i, h := range s.Hooks {
		key := scriptPart{s, "hook", i}
		lines(l.where(key, "commands", l.blockRanges[key]), "A "+h.Event+" hook", strings.Join(h.Commands, "\n"), true)
	}
}

// checkDBMailOrder warns when dbmail is started before IIS: seed 001, 1.2.5 starts IIS (then the
// mail server and the RDB) before dbmail, and stops dbmail first.
func (l *loader) checkDBMailOrder(s *Script) {
	dbmail, iis := -1, -1
	for i, svc := range s.Services {
		switch {
		case isDBMail(svc) && dbmail < 0:
			dbmail = i
		case (strings.EqualFold(svc.Name, "W3SVC") || strings.EqualFold(svc.Name, "IISADMIN")) && iis < 0:
			iis = i
		}
	}
	if dbmail >= 0 && iis > dbmail {
		key := scriptPart{s, "service", dbmail}
		l.warnf(l.blockRanges[key].Ptr(), "dbmail starts before IIS",
			"%s starts %s before %s. Seed 001, 1.2.5: the start script starts IIS first, then the mail server and the RDB, then dbmail; the stop script stops dbmail first. Declare the dbmail service after the IIS one (services stop in reverse order).",
			s.Addr, s.Services[dbmail].ID, s.Services[iis].ID)
	}
}

func isDBMail(svc ScriptService) bool {
	return strings.Contains(strings.ToLower(svc.Name), "dbmail") || strings.Contains(strings.ToLower(svc.ID), "dbmail")
}

// splitLines splits text on CRLF, CR or LF.
func splitLines(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' })
}
