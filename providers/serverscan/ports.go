package serverscan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/transport"
)

// Listener is a TCP port some program listens on, on the Server-Scan host.
type Listener struct {
	Port    int
	Program string // the process name when ss could tell it (it can for root), else ""
}

// listenersScript lists the host's listening TCP ports: `ss -Hltnp` when ss is there, else
// the kernel's tables in /proc/net. Each source is announced on a line of its own ("ss", or
// "proc FILE") so the parser knows the format; nothing at all means neither could be read.
const listenersScript = `if command -v ss >/dev/null 2>&1 && out=$(ss -Hltnp 2>/dev/null); then
  printf 'ss\n%s\n' "$out"
  exit 0
fi
for f in /proc/net/tcp /proc/net/tcp6; do
  if [ -r "$f" ]; then printf 'proc %s\n' "$f"; cat "$f"; fi
done
exit 0`

func listenersCommand() transport.Command { return transport.Shell(listenersScript) }

// ParseListeners reads the output of listenersScript. ok is false when the host offered no
// way to list its ports, so that "nothing listens" and "could not tell" stay distinct. Lines
// it cannot read are skipped: a port it cannot parse is one it cannot report.
func ParseListeners(out []byte) (ls []Listener, ok bool) {
	source := ""
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
			continue
		case len(f) == 1 && f[0] == "ss":
			source, ok = "ss", true
			continue
		case len(f) == 2 && f[0] == "proc":
			source, ok = "proc", true
			continue
		}
		var l Listener
		var parsed bool
		switch source {
		case "ss":
			l, parsed = ssListener(f)
		case "proc":
			l, parsed = procListener(f)
		}
		if parsed {
			ls = append(ls, l)
		}
	}
	return ls, ok
}

// ssListener reads one line of `ss -Hltnp`: [State] Recv-Q Send-Q Local Peer [Process]. The
// State column is there in every ss version that lists listening sockets, but is not relied on.
func ssListener(f []string) (Listener, bool) {
	if len(f) > 0 && f[0] == "LISTEN" {
		f = f[1:]
	}
	if len(f) < 4 {
		return Listener{}, false
	}
	local := f[2]
	i := strings.LastIndexByte(local, ':')
	if i < 0 {
		return Listener{}, false
	}
	port, err := strconv.Atoi(local[i+1:])
	if err != nil {
		return Listener{}, false
	}
	l := Listener{Port: port}
	if len(f) > 4 {
		l.Program = ssProgram(strings.Join(f[4:], " "))
	}
	return l, true
}

// ssProgram extracts the first process name from ss's users:(("name",pid=1,fd=3),...).
func ssProgram(s string) string {
	_, rest, ok := strings.Cut(s, `(("`)
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(rest, `"`)
	if !ok {
		return ""
	}
	return name
}

// procListener reads one row of /proc/net/tcp{,6}: "sl local rem st ...", addresses as
// HEXADDR:HEXPORT; state 0A is LISTEN. The header row does not parse and is skipped.
func procListener(f []string) (Listener, bool) {
	if len(f) < 4 || f[3] != "0A" {
		return Listener{}, false
	}
	_, hexPort, ok := strings.Cut(f[1], ":")
	if !ok {
		return Listener{}, false
	}
	port, err := strconv.ParseUint(hexPort, 16, 16)
	if err != nil {
		return Listener{}, false
	}
	return Listener{Port: int(port)}, true
}

// probeTimeout is how long each Scan-Connector probe may take, in seconds.
const probeTimeout = 3

// probeScript tries a TCP connection to each HOST PORT pair given after the timeout. POSIX sh
// has no sockets, so it uses bash's /dev/tcp under coreutils' timeout (present on almost every
// Linux and Unix with GNU tools), else `nc -z -w` (BSD and most netcats), and says "unchecked"
// when the host has neither rather than pretend. Hosts and ports arrive as arguments, never in
// the script text. One line per pair: "open|closed|unchecked PORT HOST".
const probeScript = `t=$1; shift
while [ $# -ge 2 ]; do
  h=$1; p=$2; shift 2
  if command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
    if timeout "$t" bash -c 'exec 3<>"/dev/tcp/$1/$2"' bash "$h" "$p" 2>/dev/null; then r=open; else r=closed; fi
  elif command -v nc >/dev/null 2>&1; then
    if nc -z -w "$t" "$h" "$p" </dev/null >/dev/null 2>&1; then r=open; else r=closed; fi
  else
    r=unchecked
  fi
  printf '%s %s %s\n' "$r" "$p" "$h"
done`

// Probe outcomes.
const (
	probeOpen      = "open"
	probeClosed    = "closed"
	probeUnchecked = "unchecked"
)

// endpoint is a Scan-Connector host and port.
type endpoint struct {
	host string
	port int
}

func (e endpoint) String() string { return fmt.Sprintf("%s port %d", e.host, e.port) }

func probeCommand(targets []endpoint) transport.Command {
	args := []any{strconv.Itoa(probeTimeout)}
	for _, t := range targets {
		args = append(args, t.host, strconv.Itoa(t.port))
	}
	return transport.Shell(probeScript, args...)
}

// parseProbe reads probeScript's lines into an outcome per endpoint; an endpoint missing from
// the output has no entry.
func parseProbe(out []byte) map[endpoint]string {
	res := map[endpoint]string{}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.SplitN(strings.TrimSpace(line), " ", 3)
		if len(f) != 3 {
			continue
		}
		port, err := strconv.Atoi(f[1])
		if err != nil {
			continue
		}
		switch f[0] {
		case probeOpen, probeClosed, probeUnchecked:
			res[endpoint{host: f[2], port: port}] = f[0]
		}
	}
	return res
}
