package sshnode

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"sync"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// knownHostsFile is one known_hosts file, parsed once per run and shared by every connection
// that consults it; a key accepted during the run (AcceptNewHostKeys) is added to it as to the
// file, so that the rest of the run knows it. It implements the matching of x/crypto's knownhosts package
// (which parses a file per call and fails on its first malformed line): the same host
// patterns, hashed names, @cert-authority and @revoked markers, and its errors (KeyError,
// RevokedError), so callers cannot tell the difference, except that a malformed line is
// skipped with a warning naming file:line instead of failing every node.
type knownHostsFile struct {
	path     string
	mu       sync.RWMutex // lines and exact grow when a key is accepted
	count    int          // lines in the file, so that an accepted key's line has its number
	lines    []khLine
	exact    map[khAddr][]int32 // lines whose every positive pattern is a literal address
	scan     []int32            // the other lines (wildcards, hashed names), matched one by one
	revoked  map[string]*knownhosts.KnownKey
	hasCA    bool
	warnings []string
}

// khAddr is a host and port as known_hosts patterns match them.
type khAddr struct{ host, port string }

func (a khAddr) String() string {
	h := a.host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	return h + ":" + a.port
}

type khLine struct {
	cert     bool
	patterns []khPattern // nil for a hashed name
	hashed   *khHashed
	known    knownhosts.KnownKey
}

type khPattern struct {
	negate bool
	addr   khAddr
}

type khHashed struct{ salt, hash []byte }

func (l *khLine) match(a khAddr) bool {
	if l.hashed != nil {
		mac := hmac.New(sha1.New, l.hashed.salt)
		mac.Write([]byte(knownhosts.Normalize(a.String())))
		return hmac.Equal(mac.Sum(nil), l.hashed.hash)
	}
	matched := false
	for _, p := range l.patterns {
		if !wildcardMatch(p.addr.host, a.host) || p.addr.port != a.port {
			continue
		}
		if p.negate {
			return false
		}
		matched = true
	}
	return matched
}

// readKnownHostsFile parses path; a missing file knows no host.
func readKnownHostsFile(path string) (*knownHostsFile, error) {
	f := &knownHostsFile{path: path, exact: map[khAddr][]int32{}, revoked: map[string]*knownhosts.KnownKey{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read known_hosts: %w", err)
	}
	f.count = bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		f.count++
	}
	for n, raw := range bytes.Split(data, []byte("\n")) {
		line := bytes.Trim(raw, " \t\r")
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if err := f.add(line, n+1); err != nil {
			f.warnings = append(f.warnings, fmt.Sprintf("%s:%d: %v; the line is skipped", path, n+1, err))
		}
	}
	return f, nil
}

func nextWord(line []byte) (string, []byte) {
	i := bytes.IndexAny(line, "\t ")
	if i == -1 {
		return string(line), nil
	}
	return string(line[:i]), bytes.Trim(line[i:], " \t")
}

// add parses one line as x/crypto's knownhosts does.
func (f *knownHostsFile) add(line []byte, num int) error {
	marker := ""
	if w, next := nextWord(line); w == "@cert-authority" || w == "@revoked" {
		marker, line = w, next
	}
	pattern, line := nextWord(line)
	if strings.HasPrefix(pattern, "@") {
		return fmt.Errorf("unexpected marker %q", pattern)
	}
	if len(line) == 0 {
		return errors.New("missing host pattern or key")
	}
	wantType, line := nextWord(line)
	if len(line) == 0 {
		return errors.New("missing key")
	}
	blob, _ := nextWord(line)
	keyBytes, err := base64.StdEncoding.DecodeString(blob)
	if err != nil {
		return fmt.Errorf("key is not base64: %v", err)
	}
	key, err := ssh.ParsePublicKey(keyBytes)
	if err != nil {
		return fmt.Errorf("bad key: %v", err)
	}
	if key.Type() != wantType {
		return fmt.Errorf("key type mismatch: found %q, want %q", key.Type(), wantType)
	}
	known := knownhosts.KnownKey{Key: key, Filename: f.path, Line: num}
	if marker == "@revoked" {
		f.revoked[string(key.Marshal())] = &known
		return nil
	}
	l := khLine{cert: marker == "@cert-authority", known: known}
	if strings.HasPrefix(pattern, "|") {
		if l.hashed, err = parseHashed(pattern); err != nil {
			return err
		}
	} else if l.patterns, err = parsePatterns(pattern); err != nil {
		return err
	}
	idx := int32(len(f.lines))
	f.lines = append(f.lines, l)
	f.hasCA = f.hasCA || l.cert
	if literal := l.hashed == nil && literalPatterns(l.patterns); literal {
		for _, p := range l.patterns {
			if !p.negate {
				f.exact[p.addr] = append(f.exact[p.addr], idx)
			}
		}
	} else {
		f.scan = append(f.scan, idx)
	}
	return nil
}

func parseHashed(s string) (*khHashed, error) {
	parts := strings.Split(s, "|")
	if len(parts) != 4 {
		return nil, fmt.Errorf("hashed host has %d fields, want 3", len(parts)-1)
	}
	if parts[1] != "1" {
		return nil, fmt.Errorf("hashed host of type %s, must be 1", parts[1])
	}
	salt, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, fmt.Errorf("hashed host salt: %v", err)
	}
	hash, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil {
		return nil, fmt.Errorf("hashed host hash: %v", err)
	}
	return &khHashed{salt: salt, hash: hash}, nil
}

func parsePatterns(s string) ([]khPattern, error) {
	var out []khPattern
	for _, p := range strings.Split(s, ",") {
		if p == "" {
			continue
		}
		var hp khPattern
		if p[0] == '!' {
			hp.negate, p = true, p[1:]
		}
		if p == "" {
			return nil, errors.New("negation without following hostname")
		}
		host, port, err := net.SplitHostPort(p)
		switch {
		case err == nil:
			hp.addr = khAddr{host, port}
		case p[0] == '[':
			return nil, fmt.Errorf("host pattern %q: %v", p, err)
		default:
			hp.addr = khAddr{p, "22"}
		}
		out = append(out, hp)
	}
	return out, nil
}

// literalPatterns reports whether the line's positive patterns have no wildcard, so that an
// index by address finds every host it can match.
func literalPatterns(ps []khPattern) bool {
	positive := false
	for _, p := range ps {
		if p.negate {
			continue
		}
		positive = true
		if strings.ContainsAny(p.addr.host, "*?") {
			return false
		}
	}
	return positive
}

// knownHosts is the known_hosts files a target consults, in order.
type knownHosts []*knownHostsFile

func (k knownHosts) hasCA() bool {
	for _, f := range k {
		if f.hasCA {
			return true
		}
	}
	return false
}

// each calls fn for every line that matches a, in file and line order, until fn returns false.
func (k knownHosts) each(a khAddr, fn func(*khLine) bool) {
	for _, f := range k {
		if !f.each(a, fn) {
			return
		}
	}
}

// each is knownHosts.each for one file; it reports whether fn wants more.
func (f *knownHostsFile) each(a khAddr, fn func(*khLine) bool) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	for _, i := range mergeSorted(f.exact[a], f.scan) {
		if l := &f.lines[i]; l.match(a) && !fn(l) {
			return false
		}
	}
	return true
}

// accept appends line (a plain host key line) to the file on disk and to this parsed copy.
func (f *knownHostsFile) accept(line string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := appendLine(f.path, line); err != nil {
		return err
	}
	f.count++
	return f.add([]byte(line), f.count)
}

// mergeSorted merges two ascending index lists.
func mergeSorted(a, b []int32) []int32 {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make([]int32, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

func (k knownHosts) revokedKey(key ssh.PublicKey) *knownhosts.KnownKey {
	blob := string(key.Marshal())
	for _, f := range k {
		if r := f.revoked[blob]; r != nil {
			return r
		}
	}
	return nil
}

func plainKey(key ssh.PublicKey) ssh.PublicKey {
	if cert, ok := key.(*ssh.Certificate); ok {
		return cert.Key
	}
	return key
}

// isHostAuthority is ssh.CertChecker's IsHostAuthority.
func (k knownHosts) isHostAuthority(auth ssh.PublicKey, address string) bool {
	h, p, err := net.SplitHostPort(address)
	if err != nil {
		return false
	}
	found := false
	want := auth.Marshal()
	k.each(khAddr{h, p}, func(l *khLine) bool {
		found = l.cert && bytes.Equal(l.known.Key.Marshal(), want)
		return !found
	})
	return found
}

// isRevoked is ssh.CertChecker's IsRevoked.
func (k knownHosts) isRevoked(cert *ssh.Certificate) bool {
	return k.revokedKey(cert.Key) != nil || k.revokedKey(plainKey(cert.SignatureKey)) != nil
}

// check checks a plain key for address (preferred) or remote.
func (k knownHosts) check(address string, remote net.Addr, key ssh.PublicKey) error {
	if r := k.revokedKey(plainKey(key)); r != nil {
		return &knownhosts.RevokedError{Revoked: *r}
	}
	hostPort := address
	if hostPort == "" {
		hostPort = remote.String()
	}
	h, p, err := net.SplitHostPort(hostPort)
	if err != nil {
		return fmt.Errorf("knownhosts: SplitHostPort(%s): %v", hostPort, err)
	}
	keyErr := &knownhosts.KeyError{}
	want := key.Marshal()
	ok := false
	k.each(khAddr{h, p}, func(l *khLine) bool {
		keyErr.Want = append(keyErr.Want, l.known)
		ok = bytes.Equal(l.known.Key.Marshal(), want)
		return !ok
	})
	if ok {
		return nil
	}
	return keyErr
}

// callback is the ssh.HostKeyCallback of these files, as knownhosts.New returns.
func (k knownHosts) callback() ssh.HostKeyCallback {
	cc := &ssh.CertChecker{
		IsHostAuthority: k.isHostAuthority,
		IsRevoked:       k.isRevoked,
		HostKeyFallback: k.check,
	}
	return cc.CheckHostKey
}

// keyTypes returns the types of the plain keys known for hostPort.
func (k knownHosts) keyTypes(hostPort string) []string {
	h, p, err := net.SplitHostPort(hostPort)
	if err != nil {
		return nil
	}
	var types []string
	k.each(khAddr{h, p}, func(l *khLine) bool {
		types = append(types, l.known.Key.Type())
		return true
	})
	return types
}
