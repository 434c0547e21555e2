package sshnode

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/transport"
)

const testSSHConfig = `
Host sv1
	HostName 10.0.0.11
	User admin
	Port 2201
	IdentityFile ~/.ssh/sv1_key
	IdentityFile %d/.ssh/%r_%h
	ProxyJump bastion

Host bastion
	HostName bastion.example.com
	User jumper
	Port 2222
	IdentityFile ~/.ssh/jump_key

Host direct
	ProxyJump none

Host *
	UserKnownHostsFile ~/.ssh/kh1 ~/.ssh/kh2
`

func TestResolveWithSSHConfig(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".ssh"), 0o700)
	if err := os.WriteFile(filepath.Join(home, ".ssh", "config"), []byte(testSSHConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	o := Options{Home: home, Getenv: func(string) string { return "" }}.withDefaults()
	local := localUser(o)
	ssh := func(f string) string { return filepath.Join(home, ".ssh", f) }
	off := false
	kh := []string{ssh("kh1"), ssh("kh2")}
	defaults := []identity{{Path: ssh("id_ed25519")}, {Path: ssh("id_ecdsa")}, {Path: ssh("id_rsa")}}

	cases := map[string]struct {
		ep   transport.Endpoint
		want target
	}{
		"ssh_config completes the endpoint": {
			ep: transport.Endpoint{Address: "sv1"},
			want: target{
				Host: "10.0.0.11", Port: 2201, User: "admin",
				Identities: []identity{{Path: ssh("sv1_key")}, {Path: home + "/.ssh/admin_10.0.0.11"}},
				KnownHosts: kh, Agent: true,
				Jumps: []hop{{Host: "bastion.example.com", Port: 2222, User: "jumper", Identities: []identity{{Path: ssh("jump_key")}}}},
			},
		},
		"explicit settings win": {
			ep: transport.Endpoint{Address: "sv1", Port: 22, SSH: transport.SSHSettings{
				User: "root", IdentityFiles: []string{"~/keys/root"}, KnownHostsFile: "/etc/kh", JumpHost: "ops@gw:2022,gw2",
				ConnectTimeout: time.Second, PassphraseEnv: "PP",
			}},
			want: target{
				Host: "10.0.0.11", Port: 22, User: "root",
				Identities: []identity{{Path: home + "/keys/root", Explicit: true}},
				KnownHosts: []string{"/etc/kh"}, Agent: true, PassphraseEnv: "PP", ConnectTimeout: time.Second,
				Jumps: []hop{
					{Host: "gw", Port: 2022, User: "ops", Identities: []identity{{Path: home + "/keys/root", Explicit: true}}},
					{Host: "gw2", Port: 22, User: local, Identities: []identity{{Path: home + "/keys/root", Explicit: true}}},
				},
			},
		},
		"ProxyJump none": {
			ep:   transport.Endpoint{Address: "direct"},
			want: target{Host: "direct", Port: 22, User: local, Identities: defaults, KnownHosts: kh, Agent: true},
		},
		"ssh_config disabled": {
			ep:   transport.Endpoint{Address: "sv1", SSH: transport.SSHSettings{UseSSHConfig: &off, Agent: &off}},
			want: target{Host: "sv1", Port: 22, User: local, Identities: defaults, KnownHosts: []string{ssh("known_hosts")}},
		},
		"pinned key": {
			ep:   transport.Endpoint{Address: "10.1.1.1", Port: 2200, HostKey: " ssh-ed25519 AAAA \n"},
			want: target{Host: "10.1.1.1", Port: 2200, User: local, Identities: defaults, KnownHosts: kh, Agent: true, PinnedKey: "ssh-ed25519 AAAA"},
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := NewPool(o).resolve("node", c.ep)
			if err != nil {
				t.Fatal(err)
			}
			c.want.Name = "node"
			c.want.ConnectTimeout = orDefault(c.want.ConnectTimeout, DefaultConnectTimeout)
			c.want.CommandTimeout = orDefault(c.want.CommandTimeout, DefaultCommandTimeout)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("resolve (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveRejectsBadInput(t *testing.T) {
	o := Options{Home: t.TempDir()}.withDefaults()
	for name, ep := range map[string]transport.Endpoint{
		"bad jump port": {Address: "a", SSH: transport.SSHSettings{JumpHost: "gw:99999"}},
		"empty jump":    {Address: "a", SSH: transport.SSHSettings{JumpHost: "gw,,x"}},
	} {
		if _, err := NewPool(o).resolve("a", ep); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestParseHop(t *testing.T) {
	cases := map[string]hop{
		"gw":               {Host: "gw"},
		"ops@gw":           {User: "ops", Host: "gw"},
		"ops@gw:2022":      {User: "ops", Host: "gw", Port: 2022},
		"[2001:db8::1]:22": {Host: "2001:db8::1", Port: 22},
		"2001:db8::1":      {Host: "2001:db8::1"},
		"a@b@host.example": {User: "a@b", Host: "host.example"},
	}
	for in, want := range cases {
		got, err := parseHop(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", in, diff)
		}
	}
}
