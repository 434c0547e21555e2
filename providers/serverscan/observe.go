package serverscan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/transport"
)

// Observe commands, in the order their results come back.
// hostProbes are the host's observe ops, each with the probe that reads its outcome.
type hostProbes struct {
	set       transport.ProbeSet
	stat      transport.Probe[transport.Outcome] // vkhoststat
	listeners transport.Probe[transport.Outcome] // the listening TCP ports
	services  transport.Probe[transport.Outcome] // /etc/services
	probe     transport.Probe[transport.Outcome] // only when check_connector is set
}

// probes reads, in the host's single session: vkhoststat, the listening TCP ports,
// /etc/services, and, when check_connector is set, whether each Scan-Connector answers on its port from this
// host. Server-Scan's environment settings are not read: no public source gives their file
// or format, so vkhoststat's Host column is the only view of the server list (seed 000 4.8 (1)).
// The Server-Scan host is UNIX (seed 000: /usr/SrvScan/bin/vkattach on HI-UX): vkhoststat,
// the listeners and the probe are POSIX-only commands.
func (u *unit) probes() hostProbes {
	var p hostProbes
	p.stat = transport.AddProbe(&p.set, StatusCommand(u.s), transport.Raw)
	p.listeners = transport.AddProbe(&p.set, listenersCommand(), transport.Raw)
	p.services = transport.AddProbe(&p.set, readServices(), transport.Raw)
	if u.s.CheckConnector {
		p.probe = transport.AddProbe(&p.set, probeCommand(u.connectorEndpoints()), transport.Raw)
	}
	return p
}

// ObserveOps are the host's observe ops (see probes).
func (u *unit) ObserveOps(addrs.Address) []transport.Op { return u.probes().set.Ops() }

// connectorEndpoints are the distinct Scan-Connector host:port pairs of the declared servers.
func (u *unit) connectorEndpoints() []endpoint {
	var out []endpoint
	for _, s := range u.s.Servers {
		e := endpoint{host: s.Connector, port: s.Port}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// hostState is what the Server-Scan host reported.
type hostState struct {
	statRan     bool     // vkhoststat printed a listing with the Host and Status titles
	statMissing bool     // vkhoststat is not an executable on the host
	statOut     []byte   // its stdout and stderr, for quoting
	stat        HostStat // parsed when statRan
	statErr     string   // why vkhoststat gave nothing usable, when it is installed

	listeners      []Listener
	listenersKnown bool

	services      map[string][]int // /etc/services: name or alias -> TCP ports
	servicesKnown bool

	probed map[endpoint]string // nil when check_connector is off
}

// decodeHost turns the observe results into the host's state. Every gap is reported by the
// plan as a diagnostic.
func decodeHost(p hostProbes, res []transport.Outcome) (*hostState, error) {
	r, err := p.stat.Read(res)
	if err != nil {
		return nil, err
	}
	listeners, err := p.listeners.Read(res)
	if err != nil {
		return nil, err
	}
	services, err := p.services.Read(res)
	if err != nil {
		return nil, err
	}
	h := &hostState{}
	h.statOut = combined(r.Result)
	stat, err := ReadStatus(r.Result)
	switch {
	case err == nil:
		h.statRan, h.stat = true, stat
	case r.ExitCode == 127:
		h.statMissing = true // the plan names the path it looked for
	default:
		h.statErr = err.Error()
	}
	h.listeners, h.listenersKnown = ParseListeners(listeners.Stdout)
	h.services, h.servicesKnown = servicesOf(services)
	if p.probe.Added() {
		probe, err := p.probe.Read(res)
		if err != nil {
			return nil, err
		}
		h.probed = parseProbe(probe.Stdout)
	}
	return h, nil
}

// fingerprint identifies what the host holds that the plan depends on: the servers vkhoststat
// lists and their statuses. Listening ports and probes are not part of it: they are checks,
// and a port opening elsewhere on the host must not make a saved plan stale.
func (h *hostState) fingerprint() string {
	sum := sha256.New()
	fmt.Fprintf(sum, "stat\x00%t\x00", h.statRan)
	for _, r := range h.stat.Rows {
		fmt.Fprintf(sum, "%s\x00%s\x00", r.Name, r.Status)
	}
	return "sha256:" + hex.EncodeToString(sum.Sum(nil))
}

// combined is a command's output as a person would see it in a terminal, trimmed.
func combined(r transport.Result) []byte {
	out := strings.TrimSpace(string(r.Stdout))
	if e := strings.TrimSpace(string(r.Stderr)); e != "" {
		out = strings.TrimSpace(out + "\n" + e)
	}
	return []byte(out)
}
