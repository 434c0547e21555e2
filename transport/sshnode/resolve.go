package sshnode

import (
	"errors"
	"fmt"
	"net"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/clusterctl/cluster/transport"
)

// target is everything needed to reach one host, after merging the endpoint's settings with
// ~/.ssh/config. Explicit configuration always wins over ssh_config, as a command-line option
// wins over ssh_config for OpenSSH.
type target struct {
	Name          string // the node's name (address string), for errors
	Host          string // host to dial: ssh_config HostName, else the address
	Port          int
	User          string
	Identities    []identity
	KnownHosts    []string // known_hosts files; new keys are appended to the first
	PinnedKey     string   // authorized_keys format, or ""
	Jumps         []hop    // jump hosts in order; the first is dialed directly
	ProxyCommand  string   // ssh_config ProxyCommand, tokens expanded: run to reach Host (no Jumps then)
	Agent         bool
	PassphraseEnv string

	ConnectTimeout time.Duration
	CommandTimeout time.Duration

	// Become is how sessions gain root (sudo), nil to run as User.
	Become *Become

	// Warnings are what resolving found worth telling the operator.
	Warnings []string
}

// hop is one jump host.
type hop struct {
	Host       string
	Port       int
	User       string
	Identities []identity
}

// identity is a private key file. A file named explicitly in the configuration must exist; the
// defaults and ssh_config entries are skipped when missing, as OpenSSH does.
type identity struct {
	Path     string
	Explicit bool
}

// hostPort is the address dialed, "host:port".
func (t target) hostPort() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.Port)) }
func (h hop) hostPort() string    { return net.JoinHostPort(h.Host, strconv.Itoa(h.Port)) }
func (h hop) key() string         { return h.User + "@" + h.hostPort() }

// defaultIdentities are tried, in this order, when neither the configuration nor ssh_config name
// an identity file.
var defaultIdentities = []string{"id_ed25519", "id_ecdsa", "id_rsa"}

// usesSSHConfig reports whether ~/.ssh/config completes ep.
func usesSSHConfig(ep transport.Endpoint) bool {
	return ep.SSH.UseSSHConfig == nil || *ep.SSH.UseSSHConfig
}

// resolveWith computes the target for one endpoint with the parsed ssh_config sc: nil when
// the endpoint does not use it (see usesSSHConfig), or there is none.
func resolveWith(name string, ep transport.Endpoint, o Options, sc *sshConfig) (target, error) {
	alias := ep.Address
	if alias == "" {
		alias = name
	}
	lookup := sc.get
	lookupAll := sc.getAll

	local := localUser(o)
	t := target{
		Name:           name,
		Host:           alias,
		User:           firstNonEmpty(ep.SSH.User, lookup(alias, "User"), local),
		PinnedKey:      strings.TrimSpace(ep.HostKey),
		Agent:          ep.SSH.Agent == nil || *ep.SSH.Agent,
		PassphraseEnv:  ep.SSH.PassphraseEnv,
		ConnectTimeout: orDefault(ep.SSH.ConnectTimeout, DefaultConnectTimeout),
		CommandTimeout: orDefault(ep.SSH.CommandTimeout, DefaultCommandTimeout),
	}
	if ep.SSH.Become != nil && *ep.SSH.Become {
		t.Become = &Become{User: ep.SSH.BecomeUser}
		if ep.SSH.BecomePassword != "" {
			t.Become.Password = []byte(ep.SSH.BecomePassword)
		}
	}
	x := expander{home: o.Home, localUser: local, alias: alias, user: t.User}
	if hn := lookup(alias, "HostName"); hn != "" {
		t.Host = x.expand(hn)
	}
	x.host = t.Host

	port, err := pickPort(ep.Port, lookup(alias, "Port"))
	if err != nil {
		return target{}, fmt.Errorf("%s: %w", name, err)
	}
	t.Port = port
	x.port = strconv.Itoa(port)

	switch {
	case len(ep.SSH.IdentityFiles) > 0:
		for _, f := range ep.SSH.IdentityFiles {
			t.Identities = append(t.Identities, identity{Path: x.expand(f), Explicit: true})
		}
	case len(lookupAll(alias, "IdentityFile")) > 0:
		for _, f := range lookupAll(alias, "IdentityFile") {
			t.Identities = append(t.Identities, identity{Path: x.expand(f)})
		}
	default:
		for _, f := range defaultIdentities {
			t.Identities = append(t.Identities, identity{Path: filepath.Join(o.Home, ".ssh", f)})
		}
	}

	switch {
	case ep.SSH.KnownHostsFile != "":
		t.KnownHosts = []string{x.expand(ep.SSH.KnownHostsFile)}
	case lookup(alias, "UserKnownHostsFile") != "":
		for _, f := range strings.Fields(lookup(alias, "UserKnownHostsFile")) {
			t.KnownHosts = append(t.KnownHosts, x.expand(f))
		}
	default:
		t.KnownHosts = []string{filepath.Join(o.Home, ".ssh", "known_hosts")}
	}

	// A jump host in the configuration wins over ssh_config; there, ProxyJump wins over
	// ProxyCommand ("none" for either means a direct connection).
	jump := ep.SSH.JumpHost
	if jump == "" {
		jump = lookup(alias, "ProxyJump")
		proxy := lookup(alias, "ProxyCommand")
		switch {
		case proxy == "" || strings.EqualFold(proxy, "none"):
		case jump != "" && !strings.EqualFold(jump, "none"):
			t.Warnings = append(t.Warnings, fmt.Sprintf("%s: ssh config sets both ProxyJump and ProxyCommand for %s; using ProxyJump", name, alias))
		default:
			t.ProxyCommand = x.expand(proxy)
		}
	}
	if jump != "" && !strings.EqualFold(jump, "none") {
		for _, spec := range strings.Split(jump, ",") {
			h, err := parseHop(strings.TrimSpace(spec))
			if err != nil {
				return target{}, fmt.Errorf("%s: jump host %q: %w", name, spec, err)
			}
			// A hop's own ssh_config entry completes it; otherwise it uses the target's keys.
			hx := expander{home: o.Home, localUser: local, alias: h.Host}
			h.User = firstNonEmpty(h.User, lookup(h.Host, "User"), local)
			hx.user = h.User
			if hn := lookup(h.Host, "HostName"); hn != "" {
				h.Host = hx.expand(hn)
			}
			hx.host = h.Host
			if h.Port == 0 {
				if h.Port, err = pickPort(0, lookup(hx.alias, "Port")); err != nil {
					return target{}, fmt.Errorf("%s: jump host %q: %w", name, spec, err)
				}
			}
			for _, f := range lookupAll(hx.alias, "IdentityFile") {
				h.Identities = append(h.Identities, identity{Path: hx.expand(f)})
			}
			if len(h.Identities) == 0 {
				h.Identities = t.Identities
			}
			t.Jumps = append(t.Jumps, h)
		}
	}
	return t, nil
}

// parseHop parses "[user@]host[:port]" (IPv6 hosts in brackets).
func parseHop(spec string) (hop, error) {
	var h hop
	if spec == "" {
		return h, errors.New("empty")
	}
	if i := strings.LastIndexByte(spec, '@'); i >= 0 {
		h.User, spec = spec[:i], spec[i+1:]
	}
	host := spec
	if strings.HasPrefix(spec, "[") || strings.Count(spec, ":") == 1 {
		var port string
		var err error
		if host, port, err = net.SplitHostPort(spec); err != nil {
			return h, err
		}
		if h.Port, err = strconv.Atoi(port); err != nil || h.Port <= 0 || h.Port > 65535 {
			return h, fmt.Errorf("invalid port %q", port)
		}
	}
	if host == "" {
		return h, errors.New("no host")
	}
	h.Host = host
	return h, nil
}

// pickPort returns the endpoint's port, else ssh_config's, else 22.
func pickPort(explicit int, fromConfig string) (int, error) {
	if explicit != 0 {
		return explicit, nil
	}
	if fromConfig == "" {
		return 22, nil
	}
	p, err := strconv.Atoi(fromConfig)
	if err != nil || p <= 0 || p > 65535 {
		return 0, fmt.Errorf("ssh config: invalid Port %q", fromConfig)
	}
	return p, nil
}

// expander expands "~" and the ssh_config tokens %d %h %n %p %r %u %% in file names and
// commands.
type expander struct {
	home, localUser, alias, host, user, port string
}

func (x expander) expand(s string) string {
	s = expandHome(x.home, s)
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'd':
			b.WriteString(x.home)
		case 'h':
			b.WriteString(x.host)
		case 'n':
			b.WriteString(x.alias)
		case 'p':
			b.WriteString(x.port)
		case 'r':
			b.WriteString(x.user)
		case 'u':
			b.WriteString(x.localUser)
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// expandHome replaces a leading "~" (alone or before "/") with home.
func expandHome(home, s string) string {
	if s == "~" {
		return home
	}
	if strings.HasPrefix(s, "~/") {
		return filepath.Join(home, s[2:])
	}
	return s
}

func localUser(o Options) string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return o.Getenv("USER")
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
