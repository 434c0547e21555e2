package sshnode

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// bigKnownHosts writes a known_hosts file of n entries (a third hashed, as HashKnownHosts
// writes them) and returns it with the key of entry "host-7".
func bigKnownHosts(tb testing.TB, n int) (string, ssh.PublicKey) {
	tb.Helper()
	var b strings.Builder
	var key7 ssh.PublicKey
	for i := range n {
		seed := make([]byte, ed25519.SeedSize)
		seed[0], seed[1], seed[2] = byte(i), byte(i>>8), byte(i>>16)
		k, err := ssh.NewPublicKey(ed25519.NewKeyFromSeed(seed).Public())
		if err != nil {
			tb.Fatal(err)
		}
		host := fmt.Sprintf("[host-%d]:2222", i)
		if i == 7 {
			key7 = k
		}
		if i%3 == 0 {
			host = knownhosts.HashHostname(knownhosts.Normalize(host))
		}
		b.WriteString(host + " " + authorized(k) + "\n")
	}
	path := filepath.Join(tb.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path, key7
}

// The shared parse answers exactly as x/crypto's knownhosts does.
func TestKnownHostsMatchesXCrypto(t *testing.T) {
	path, key7 := bigKnownHosts(t, 300)
	extra := []string{
		"[wild-*]:2222,!wild-9 " + authorized(key7),
		"plainhost " + authorized(key7),
		"@revoked revokedhost " + authorized(newSigner(t).PublicKey()),
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(strings.Join(extra, "\n") + "\n")
	f.Close()
	ref, err := knownhosts.New(path)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := readKnownHostsFile(path)
	if err != nil || len(parsed.warnings) != 0 {
		t.Fatalf("%v %v", err, parsed.warnings)
	}
	ours := knownHosts{parsed}.callback()
	other := newSigner(t).PublicKey()
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 22}
	for _, host := range []string{"[host-7]:2222", "[host-6]:2222", "[host-9]:2222", "host-7:22", "[wild-1]:2222", "[wild-9]:2222", "plainhost:22", "nowhere:22"} {
		for _, k := range []ssh.PublicKey{key7, other} {
			want, got := ref(host, remote, k), ours(host, remote, k)
			if describe(want) != describe(got) {
				t.Errorf("%s: x/crypto %v, ours %v", host, describe(want), describe(got))
			}
		}
	}
}

func describe(err error) string {
	var ke *knownhosts.KeyError
	var re *knownhosts.RevokedError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &re):
		return "revoked"
	case errors.As(err, &ke):
		return fmt.Sprintf("key error, %d known", len(ke.Want))
	}
	return err.Error()
}

// BenchmarkKnownHosts100Nodes compares what checking 100 nodes' host keys against one large
// known_hosts file costs: parsing it per connection (x/crypto's knownhosts.New, each
// connection keeping its copy for re-keying) against parsing it once per run and sharing it.
//
//	go test -run '^$' -bench KnownHosts100Nodes -benchtime 3x ./transport/sshnode/
func BenchmarkKnownHosts100Nodes(b *testing.B) {
	const nodes, entries = 100, 10000
	path, key7 := bigKnownHosts(b, entries)
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2222}
	// newRun returns, for one run, the function that builds each connection's callback.
	run := func(b *testing.B, newRun func() func() ssh.HostKeyCallback) {
		var retained uint64
		for b.Loop() {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			build := newRun()
			kept := make([]ssh.HostKeyCallback, nodes)
			for i := range kept {
				kept[i] = build()
				if err := kept[i]("[host-7]:2222", remote, key7); err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			retained += after.HeapAlloc - before.HeapAlloc
			runtime.KeepAlive(kept)
		}
		b.ReportMetric(float64(retained)/float64(b.N)/(1<<20), "retained-MB")
	}
	b.Run("parse-per-connection", func(b *testing.B) {
		run(b, func() func() ssh.HostKeyCallback {
			return func() ssh.HostKeyCallback {
				cb, err := knownhosts.New(path)
				if err != nil {
					b.Fatal(err)
				}
				return cb
			}
		})
	})
	b.Run("parse-once-shared", func(b *testing.B) {
		run(b, func() func() ssh.HostKeyCallback {
			shared, err := readKnownHostsFile(path)
			if err != nil {
				b.Fatal(err)
			}
			return func() ssh.HostKeyCallback { return knownHosts{shared}.callback() }
		})
	})
}
