package clusterpro

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/clusterctl/cluster/hcl/addrs"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/planner"
	"github.com/clusterctl/cluster/transport"
)

func TestParseRegistryValuesVendorSample(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join("..", "..", "testdata", "vendor-output", "registry", "reg-query-values.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]keyValues{}
	for name, o := range map[string]transport.Outcome{
		"sample": {Result: transport.Result{Stdout: sample}},
		"gone":   {Result: transport.Result{ExitCode: 1, Stderr: []byte("ERROR: The system was unable to find the specified registry key or value.\r\n")}},
		"no reg": {Result: transport.Result{ExitCode: 9009}},
	} {
		if kv, ok := keyValuesOf(o); ok {
			got[name] = kv
		}
	}
	want := map[string]keyValues{
		"sample": {exists: true, values: map[string]registryValue{
			"InstallDir": {"REG_SZ", `C:\Program Files (x86)\Microsoft Visual Studio 10.0\Common7\IDE\`}}},
		"gone": {exists: false, values: map[string]registryValue{}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(keyValues{}, registryValue{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// regOut is what `reg.exe query KEY` answers for one key holding the given value lines.
func regOut(key string, exit int, values ...string) transport.Result {
	if exit != 0 {
		return transport.Result{ExitCode: exit, Stderr: []byte("ERROR: The system was unable to find the specified registry key or value.\r\n")}
	}
	var b strings.Builder
	b.WriteString("\r\n" + key + "\r\n")
	for _, v := range values {
		b.WriteString("    " + v + "\r\n")
	}
	b.WriteString("\r\n")
	return transport.Result{Stdout: []byte(b.String())}
}

func TestIdenticalRegistryDiagnostics(t *testing.T) {
	const key = `HKLM\SOFTWARE\NEC\WEBharmo\OLTP`
	c := &config.Cluster{Addr: addrs.Cluster("web"), Platform: config.Windows}
	var policy []*config.ClusterNode
	for _, n := range []string{"sv1", "sv2", "sv3", "sv4"} {
		policy = append(policy, &config.ClusterNode{Addr: addrs.ClusterNode("web", n), Name: n})
	}
	g := &config.Group{Addr: addrs.Group("oltp"), Name: "oltp", Cluster: c, Policy: policy, IdenticalRegistryKeys: []string{key}}
	c.Groups = []*config.Group{g}
	u := &unit{c: c}
	// Every op of a node's observation gets the same outcome: only the registry-values probes
	// read it, wherever they sit among the ops.
	type observed struct {
		obs       planner.Observation
		reachable []addrs.Address
	}
	results := func(per ...transport.Result) observed {
		o := observed{obs: planner.Observation{Results: map[addrs.Address][]transport.Outcome{}}}
		for i, r := range per {
			n := policy[i].Addr
			o.obs.Results[n] = slices.Repeat([]transport.Outcome{{Result: r}}, len(u.probes(n).set.Ops()))
			o.reachable = append(o.reachable, n)
		}
		return o
	}
	same := []string{"MaxSession    REG_DWORD    0x40", "EnvDir    REG_SZ    C:\\WEBharmo\\OLTP\\ENV"}
	tests := []struct {
		name string
		res  observed
		want []string // "ADDR|SUMMARY|fragment"
	}{
		{"identical", results(regOut(key, 0, same...), regOut(key, 0, same[1], same[0]), regOut(key, 0, same...), regOut(key, 0, same...)), nil},
		{"data differs on sv3", results(regOut(key, 0, same...), regOut(key, 0, same...), regOut(key, 0, "MaxSession    REG_DWORD    0x20", same[1]), regOut(key, 0, same...)),
			[]string{`cluster.web.node.sv3|Registry values differ between nodes|value "MaxSession" (REG_DWORD) has other data`}},
		{"type and extra value on sv2", results(regOut(key, 0, same...), regOut(key, 0, "MaxSession    REG_SZ    0x40", same[1], "Debug    REG_DWORD    0x1"), regOut(key, 0, same...)),
			[]string{`cluster.web.node.sv2|Registry values differ between nodes|value "Debug" (REG_DWORD) exists only on cluster.web.node.sv2, not on cluster.web.node.sv1; value "MaxSession" is REG_SZ on cluster.web.node.sv2 but REG_DWORD on cluster.web.node.sv1`}},
		{"value missing on sv4", results(regOut(key, 0, same...), regOut(key, 0, same...), regOut(key, 0, same...), regOut(key, 0, same[0])),
			[]string{`cluster.web.node.sv4|Registry values differ between nodes|value "EnvDir" (REG_SZ) is missing on cluster.web.node.sv4`}},
		{"key missing on sv1: the first node holding it is the reference", results(regOut(key, 1), regOut(key, 0, same...), regOut(key, 0, "MaxSession    REG_DWORD    0x1", same[1])),
			[]string{`cluster.web.node.sv1|Registry key missing|does not exist, while cluster.web.node.sv2 has it`,
				`cluster.web.node.sv3|Registry values differ between nodes|differs from cluster.web.node.sv2`}},
		{"missing everywhere", results(regOut(key, 1), regOut(key, 1)), []string{`group.oltp|Registry key missing|exists on none of cluster.web.node.sv1, cluster.web.node.sv2`}},
		{"unread nodes are left out", results(regOut(key, 0, same...), transport.Result{ExitCode: 9009}), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := u.identicalRegistryDiagnostics(tc.res.obs, tc.res.reachable)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				parts := strings.SplitN(w, "|", 3)
				if got[i].Addr != parts[0] || got[i].Summary != parts[1] || !strings.Contains(got[i].Detail, parts[2]) {
					t.Errorf("diagnostic %d = %s %q %q, want %s %q containing %q", i, got[i].Addr, got[i].Summary, got[i].Detail, parts[0], parts[1], parts[2])
				}
				if got[i].Severity != "warning" {
					t.Errorf("diagnostic %d severity %s, want warning", i, got[i].Severity)
				}
				if strings.Contains(got[i].Detail, "0x20") || strings.Contains(got[i].Detail, "0x1;") {
					t.Errorf("diagnostic %d shows registry data: %s", i, got[i].Detail)
				}
			}
		})
	}
}

func TestIdenticalKeysPerNode(t *testing.T) {
	c := &config.Cluster{Addr: addrs.Cluster("web")}
	sv1, sv2 := &config.ClusterNode{Addr: addrs.ClusterNode("web", "sv1")}, &config.ClusterNode{Addr: addrs.ClusterNode("web", "sv2")}
	c.Groups = []*config.Group{
		{Policy: []*config.ClusterNode{sv1, sv2}, IdenticalRegistryKeys: []string{`HKLM\A`, `HKLM\B`}},
		{Policy: []*config.ClusterNode{sv2}, IdenticalRegistryKeys: []string{`HKLM\B`, `HKLM\C`}},
	}
	if diff := cmp.Diff([]string{`HKLM\A`, `HKLM\B`}, identicalKeys(c, sv1.Addr)); diff != "" {
		t.Errorf("sv1 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{`HKLM\A`, `HKLM\B`, `HKLM\C`}, identicalKeys(c, sv2.Addr)); diff != "" {
		t.Errorf("sv2 (-want +got):\n%s", diff)
	}
}
