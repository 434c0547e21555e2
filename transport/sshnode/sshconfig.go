package sshnode

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kevinburke/ssh_config"
)

// The ssh_config parser we use understands Host blocks, "Match all" and a bare "Match host",
// and fails on every other Match form, which made one "Match final all" (as Fedora and RHEL
// ship in /etc/ssh/ssh_config.d, often included from ~/.ssh/config) fail every node. So the
// file is first rewritten here, once per run: Include directives are expanded in place (with
// "~" and relative paths resolved against the configured home, as OpenSSH does for a user
// configuration), and every Match line becomes a Host line that selects what the Match would:
//
//   - "Match all" applies to every host;
//   - "Match host P,Q" and "Match originalhost P,Q" apply to the hosts the pattern list
//     matches (both against the name the node is configured with: we do no canonicalisation);
//   - "Match localuser P" is decided at once against the user running cluster;
//   - any other criterion (canonical, final, exec, user, localnetwork, tagged, version, ...)
//     cannot be evaluated here: the block is skipped, with a warning naming file:line.
//
// A skipped or false block becomes "Host !*", which matches no host.

// maxIncludeDepth bounds nested Include directives (OpenSSH's READCONF_MAX_DEPTH).
const maxIncludeDepth = 16

// neverHost is a Host line that matches no host.
const neverHost = "Host !*"

// sshConfig is ~/.ssh/config, parsed once per run, and what reading it had to say.
type sshConfig struct {
	cfg      *ssh_config.Config // nil: no file
	warnings []string
}

func (c *sshConfig) get(alias, key string) string {
	if c == nil || c.cfg == nil {
		return ""
	}
	v, _ := c.cfg.Get(alias, key)
	return v
}

func (c *sshConfig) getAll(alias, key string) []string {
	if c == nil || c.cfg == nil {
		return nil
	}
	v, _ := c.cfg.GetAll(alias, key)
	return v
}

// loadSSHConfig reads and parses the user's ssh_config at path; a missing file is an empty
// configuration. localUser is the user running cluster (for "Match localuser").
func loadSSHConfig(path, home, localUser string) (*sshConfig, error) {
	r := &configReader{home: home, localUser: localUser}
	text, found, err := r.file(path, 0)
	if err != nil {
		return nil, err
	}
	if !found {
		return &sshConfig{}, nil
	}
	c, err := ssh_config.DecodeBytes([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("parse ssh config %s: %w", path, err)
	}
	return &sshConfig{cfg: c, warnings: r.warnings}, nil
}

// configReader rewrites an ssh_config file and the files it includes into one text.
type configReader struct {
	home, localUser string
	warnings        []string
}

func (r *configReader) warnf(file string, line int, format string, args ...any) {
	r.warnings = append(r.warnings, fmt.Sprintf("%s:%d: ", file, line)+fmt.Sprintf(format, args...))
}

// file returns the rewritten text of path; found is false when it does not exist.
func (r *configReader) file(path string, depth int) (text string, found bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read ssh config: %w", err)
	}
	var b strings.Builder
	header := "" // the Host line (as rewritten) of the block being read; "" at the top
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimRight(raw, "\r")
		key, value := splitDirective(line)
		switch strings.ToLower(key) {
		case "host":
			header = line
			b.WriteString(line + "\n")
		case "match":
			header = r.match(path, i+1, value)
			b.WriteString(header + "\n")
		case "include":
			if depth >= maxIncludeDepth {
				return "", false, fmt.Errorf("%s:%d: ssh config: Include nested too deeply", path, i+1)
			}
			inc, opened, err := r.include(path, value, depth)
			if err != nil {
				return "", false, err
			}
			b.WriteString(inc)
			// An included file's Host and Match blocks end with it: the including block goes on.
			if opened {
				if header == "" {
					b.WriteString("Host *\n")
				} else {
					b.WriteString(header + "\n")
				}
			}
		default:
			b.WriteString(line + "\n")
		}
	}
	return b.String(), true, nil
}

// include expands the files an Include directive names, in order; opened reports whether they
// open a Host or Match block.
func (r *configReader) include(from, value string, depth int) (text string, opened bool, err error) {
	var b strings.Builder
	for _, pattern := range strings.Fields(value) {
		pattern = strings.Trim(pattern, `"`)
		// A relative path is relative to ~/.ssh.
		if pattern = expandHome(r.home, pattern); !filepath.IsAbs(pattern) {
			pattern = filepath.Join(r.home, ".ssh", pattern)
		}
		files, err := filepath.Glob(pattern)
		if err != nil {
			return "", false, fmt.Errorf("%s: ssh config: Include %s: %w", from, pattern, err)
		}
		sort.Strings(files)
		for _, f := range files {
			t, found, err := r.file(f, depth+1)
			if err != nil {
				return "", false, err
			}
			if !found {
				continue
			}
			b.WriteString(t)
			for _, l := range strings.Split(t, "\n") {
				if k, _ := splitDirective(l); strings.EqualFold(k, "host") {
					opened = true
				}
			}
		}
	}
	return b.String(), opened, nil
}

// splitDirective splits "Keyword value" or "Keyword=value"; comments and blank lines have no
// keyword.
func splitDirective(line string) (key, value string) {
	s := strings.TrimSpace(line)
	if s == "" || s[0] == '#' {
		return "", ""
	}
	i := strings.IndexAny(s, " \t=")
	if i < 0 {
		return s, ""
	}
	key, value = s[:i], strings.TrimSpace(s[i:])
	value = strings.TrimSpace(strings.TrimPrefix(value, "="))
	return key, value
}

// match rewrites the criteria of a Match line as a Host line.
func (r *configReader) match(file string, line int, criteria string) string {
	args := strings.Fields(criteria)
	if i := indexComment(args); i >= 0 {
		args = args[:i]
	}
	skip := func(why string) string {
		r.warnf(file, line, "Match %s: %s; the block is skipped", strings.Join(args, " "), why)
		return neverHost
	}
	if len(args) == 0 {
		return skip("no criteria")
	}
	var hostPatterns []string
	hostCriteria := 0
	always := true // false once a criterion is known not to match
	for i := 0; i < len(args); i++ {
		crit := strings.ToLower(args[i])
		if crit == "all" {
			if len(args) != 1 {
				return skip(`"all" combined with other criteria`)
			}
			continue
		}
		switch crit {
		case "host", "originalhost", "localuser":
		default:
			return skip(fmt.Sprintf("criterion %q cannot be evaluated by cluster", args[i]))
		}
		if i+1 == len(args) {
			return skip(fmt.Sprintf("criterion %q has no argument", args[i]))
		}
		i++
		list := strings.Trim(args[i], `"`)
		switch crit {
		case "localuser":
			if !matchPatternList(list, r.localUser) {
				always = false
			}
		default:
			hostCriteria++
			if hostCriteria > 1 {
				return skip("more than one host criterion cannot be evaluated by cluster")
			}
			for _, p := range strings.Split(list, ",") {
				if p != "" && p != "!" {
					hostPatterns = append(hostPatterns, p)
				}
			}
		}
	}
	switch {
	case !always:
		return neverHost
	case hostCriteria == 0:
		return "Host *"
	case len(hostPatterns) == 0:
		return neverHost
	}
	if allNegated(hostPatterns) {
		// OpenSSH: a list of negations only matches nothing.
		return neverHost
	}
	return "Host " + strings.Join(hostPatterns, " ")
}

func indexComment(args []string) int {
	for i, a := range args {
		if strings.HasPrefix(a, "#") {
			return i
		}
	}
	return -1
}

func allNegated(patterns []string) bool {
	for _, p := range patterns {
		if !strings.HasPrefix(p, "!") {
			return false
		}
	}
	return true
}

// matchPatternList matches s against an ssh_config pattern list ("a*,!ab"): a negated match
// wins, else any positive match.
func matchPatternList(list, s string) bool {
	matched := false
	for _, p := range strings.Split(list, ",") {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		if p == "" || !wildcardMatch(p, s) {
			continue
		}
		if neg {
			return false
		}
		matched = true
	}
	return matched
}

// wildcardMatch matches s against a pattern of literal characters, "*" (any run) and "?" (one
// character).
func wildcardMatch(pat, s string) bool {
	for len(pat) > 0 {
		switch pat[0] {
		case '*':
			for i := 0; i <= len(s); i++ {
				if wildcardMatch(pat[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != pat[0] {
				return false
			}
		}
		pat, s = pat[1:], s[1:]
	}
	return s == ""
}
