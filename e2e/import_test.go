package e2e

import (
	"github.com/clusterctl/cluster/charset"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
)

// linuxInstall is where a Linux cluster's configuration directory lives under a node root.
const linuxInstall = "opt/nec/clusterpro"

// referenceConf is a clp.conf saved by the vendor's WebUI (shared/reference, kept under
// providers/clusterpro/clpconf/testdata/reference), optionally with more servers: no public
// vendor file has more than two, so the 4-node cluster adds servers shaped like the first.
func referenceConf(t *testing.T, servers ...string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(), "providers/clusterpro/clpconf/testdata/reference/linux-md-exec-current.clp.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(servers) == 0 {
		return raw
	}
	doc, err := clpconf.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range servers {
		ip := "192.168.122." + strconv.Itoa(23+i)
		doc.AddServer(clpconf.Server{Name: name, Priority: 2 + i, Devices: []clpconf.Device{
			{ID: clpconf.DeviceLAN, Type: "lan", Info: ip},
			{ID: clpconf.DeviceMDC, Type: "mdc", Info: ip, MDCInfo: ip},
		}})
	}
	out, err := clpconf.Encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// installCluster writes a configuration directory, as the vendor's tools leave it, on every
// node: clp.conf, the exec resource's scripts (with a Japanese comment in EUC-JP, the file's
// charset), the generic monitor's script and its preaction script.
func (n *nodes) installCluster(conf []byte) {
	n.t.Helper()
	start, err := charset.Encode("EUC-JP", "#! /bin/sh\n# 業務を開始する\necho \"start $CLP_EVENT\"\nexit 0\n")
	if err != nil {
		n.t.Fatal(err)
	}
	files := map[string][]byte{
		"etc/clp.conf":                        conf,
		"scripts/failover1/exec1/start.sh":    start,
		"scripts/failover1/exec1/stop.sh":     []byte("#! /bin/sh\necho stop\nexit 0\n"),
		"scripts/monitor.s/genw/genw.sh":      []byte("#! /bin/sh\nexit 0\n"),
		"scripts/monitor.s/genw/preaction.sh": []byte("#! /bin/sh\nlogger -t genw preaction\n"),
	}
	for _, name := range n.names {
		for p, b := range files {
			path := n.path(name, filepath.Join(linuxInstall, p))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				n.t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o755); err != nil {
				n.t.Fatal(err)
			}
		}
	}
}

// importFrom runs `cluster import --from` against the first node, over SSH, into a new directory.
func (n *nodes) importFrom() string {
	n.t.Helper()
	dir := filepath.Join(n.t.TempDir(), "imported")
	first := n.ssh.Nodes[0]
	n.run("import", "--from", first.Address, "--port", strconv.Itoa(first.Port),
		"--user", n.ssh.User, "--identity-file", n.ssh.IdentityFile, "--known-hosts-file", n.ssh.KnownHostsFile,
		"--out", dir).must(n.t, 0, "import")
	return dir
}

// planChanges is the plan's changes with their attributes, from plan --json.
func (n *nodes) planChanges(dir string) []planChange {
	n.t.Helper()
	r := n.run("plan", "--json", "--var-file", n.varFile, dir).must(n.t, 0, "plan --json")
	var changes []planChange
	planFromStream(n.t, r.stdout, &changes, nil)
	return changes
}

type planChange struct {
	Address    string
	Action     string
	Attributes []struct {
		Name          string
		Before, After any
	}
}

// Importing a live cluster and planning against it shows nothing to do; one attribute changed in
// the HCL is exactly one update, shown in HCL terms (and a vendor parameter under its path).
func TestImportedClusterPlansNoChanges(t *testing.T) {
	cases := map[string][]string{
		"2 nodes": {"alma9-21", "alma9-22"},
		"4 nodes": {"alma9-21", "alma9-22", "alma9-23", "alma9-24"},
	}
	for name, servers := range cases {
		t.Run(name, func(t *testing.T) {
			n := startNodes(t, servers...)
			n.installCluster(referenceConf(t, servers[2:]...))
			dir := n.importFrom()
			n.run("validate", dir).must(t, 0, "validate the imported configuration")
			n.run("fmt", "--check", dir).must(t, 0, "fmt --check the imported configuration")
			if b, err := os.ReadFile(filepath.Join(dir, "scripts/failover1/exec1/start.sh")); err != nil || !strings.Contains(string(b), "業務を開始する") {
				t.Errorf("imported start.sh = %q, %v; want the Japanese comment as UTF-8", b, err)
			}
			r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, "plan right after import")
			if !strings.Contains(r.stdout, "No changes") {
				t.Errorf("plan after import:\n%s", r.stdout)
			}

			edit(t, filepath.Join(dir, "group-failover2.hcl"), `mount_point       = "/mnt/md2"`, `mount_point       = "/mnt/data2"`)
			changes := n.planChanges(dir)
			if len(changes) != 1 || changes[0].Address != "group.failover2.md.md2" || changes[0].Action != "update" ||
				len(changes[0].Attributes) != 1 || changes[0].Attributes[0].Name != "mount_point" ||
				changes[0].Attributes[0].Before != "/mnt/md2" || changes[0].Attributes[0].After != "/mnt/data2" {
				t.Fatalf("changes = %+v, want exactly one update of group.failover2.md.md2: mount_point \"/mnt/md2\" -> \"/mnt/data2\"", changes)
			}
			human := n.run("plan", "--var-file", n.varFile, dir).must(t, 0, "plan")
			if !strings.Contains(human.stdout, `~ mount_point = "/mnt/md2" -> "/mnt/data2"`) {
				t.Errorf("the plan does not show the change in HCL terms:\n%s", human.stdout)
			}

			edit(t, filepath.Join(dir, "group-failover2.hcl"), `"parameters/mddriver/port"     = "29052"`, `"parameters/mddriver/port"     = "29053"`)
			changes = n.planChanges(dir)
			if len(changes) != 1 || len(changes[0].Attributes) != 2 ||
				changes[0].Attributes[1].Name != `vendor_parameters["parameters/mddriver/port"]` {
				t.Fatalf("changes = %+v, want group.failover2.md.md2 with mount_point and the vendor parameter", changes)
			}

			n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 0, "apply")
			n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, "plan after apply")
			for _, s := range servers {
				conf, err := os.ReadFile(n.path(s, filepath.Join(linuxInstall, "etc/clp.conf")))
				if err != nil || !strings.Contains(string(conf), "<point>/mnt/data2</point>") || !strings.Contains(string(conf), "<port>29053</port>") ||
					!strings.Contains(string(conf), "<hbport>29032</hbport>") {
					t.Errorf("%s: clp.conf after apply lacks the change or the other mddriver settings: %v", s, err)
				}
			}
		})
	}
}

// Drift on the master of a 2-node cluster is blamed on the master, from its value to the
// configuration's.
func TestImportedClusterDriftOnTheMaster(t *testing.T) {
	n := startNodes(t, "alma9-21", "alma9-22")
	n.installCluster(referenceConf(t))
	dir := n.importFrom()
	conf := n.path("alma9-21", filepath.Join(linuxInstall, "etc/clp.conf"))
	edit(t, conf, "<point>/mnt/md1</point>", "<point>/mnt/edited</point>")
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 2, "plan with drift")
	for _, want := range []string{
		"node cluster.cluster.node.alma9-21 differs",
		`~ group.failover1.md.md1: mount_point = "/mnt/edited" -> "/mnt/md1"`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "node cluster.cluster.node.alma9-22 differs") {
		t.Errorf("the untouched node is named as drifted:\n%s", r.stdout)
	}
}

// A Windows cluster (the vendor's X 4.2 WebUI file: fip, a mirror disk with per-server volume
// GUIDs, two heartbeats, a ping network partition) imports from its install directory on the
// node and plans no changes.
func TestImportedWindowsClusterPlansNoChanges(t *testing.T) {
	n := startNodes(t, "server1", "server2")
	raw, err := os.ReadFile(filepath.Join(repoRoot(), "providers/clusterpro/clpconf/testdata/reference/windows-2nodes-mirror.clp.conf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range n.names {
		path := n.path(name, filepath.Join("c/Program Files/EXPRESSCLUSTER/etc/clp.conf"))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := n.importFrom()
	posixSSH(t, filepath.Join(dir, "variables.hcl")) // a Windows cluster's nodes default to cmd
	b, err := os.ReadFile(filepath.Join(dir, "group-failover.hcl"))
	if err != nil || !strings.Contains(string(b), `"server[server1]/parameters/volumeguid"`) ||
		!strings.Contains(string(b), `"4519e341-59ed-43e9-8856-d2c9ed671f65"`) {
		t.Errorf("the per-server volume GUIDs are not carried as vendor parameters: %v\n%s", err, b)
	}
	r := n.run("plan", "--detailed-exitcode", "--var-file", n.varFile, dir).must(t, 0, "plan right after import")
	if !strings.Contains(r.stdout, "No changes") {
		t.Errorf("plan after import:\n%s", r.stdout)
	}
}

// An import from a bare clp.conf never puts invented scripts under management: the missing
// scripts are unknown_content, import exits 1 naming them, validate warns, and plan and apply
// refuse the cluster, so the nodes keep their real scripts (issue 18: they were written as
// "exit 0" and the import called exact). With the scripts beside clp.conf, in the vendor's
// layout, the import is exact; --placeholder-scripts is the explicit opt-in to no-op scripts.
func TestImportFromFileNeverLosesAScript(t *testing.T) {
	n := startNodes(t, "alma9-21", "alma9-22")
	n.installCluster(referenceConf(t))
	nodeStart := n.path("alma9-21", filepath.Join(linuxInstall, "scripts/failover1/exec1/start.sh"))
	want, err := os.ReadFile(nodeStart)
	if err != nil {
		t.Fatal(err)
	}

	bare := filepath.Join(t.TempDir(), "clp.conf")
	if err := os.WriteFile(bare, referenceConf(t), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "imported")
	r := n.run("import", "--from-file", bare, "--out", dir).must(t, 1, "import a bare clp.conf")
	for _, p := range []string{"scripts/failover1/exec1/start.sh", "scripts/failover1/exec1/stop.sh", "scripts/monitor.s/genw/genw.sh"} {
		if !strings.Contains(r.stderr, "  "+p+"\n") {
			t.Errorf("import does not name the missing %s:\n%s", p, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("import wrote %s, which it never saw", p)
		}
	}
	if strings.Contains(r.stdout, "renders the same") {
		t.Errorf("import calls itself exact without the scripts:\n%s", r.stdout)
	}
	v := n.run("validate", dir).must(t, 0, "validate the import with unknown scripts")
	if !strings.Contains(v.stderr, "Script content not known") {
		t.Errorf("validate does not warn about the unknown scripts:\n%s", v.stderr)
	}
	p := n.run("plan", "--var-file", n.varFile, dir).must(t, 1, "plan with unknown scripts")
	if !strings.Contains(p.stderr+p.stdout, "unknown_content") || !strings.Contains(p.stderr+p.stdout, "scripts/failover1/exec1/start.sh") {
		t.Errorf("plan does not say which scripts are unknown:\n%s\n%s", p.stdout, p.stderr)
	}
	n.run("apply", "--auto-approve", "--var-file", n.varFile, dir).must(t, 1, "apply with unknown scripts")
	if got, err := os.ReadFile(nodeStart); err != nil || string(got) != string(want) {
		t.Fatalf("the node's start.sh changed: %q, %v", got, err)
	}

	// The vendor's layout beside clp.conf: etc/clp.conf and scripts/ of an install directory.
	installDir := n.path("alma9-21", linuxInstall)
	exact := filepath.Join(t.TempDir(), "exact")
	r = n.run("import", "--from-file", filepath.Join(installDir, "etc", "clp.conf"), "--out", exact).must(t, 0, "import with the scripts beside clp.conf")
	if !strings.Contains(r.stdout, "renders the same clp.conf and scripts") {
		t.Errorf("import with every script:\n%s\n%s", r.stdout, r.stderr)
	}
	if plan := n.run("plan", "--var-file", n.varFile, exact).must(t, 0, "plan the exact import"); !strings.Contains(plan.stdout, "No changes") {
		t.Errorf("plan after an exact import:\n%s", plan.stdout)
	}

	placeholders := filepath.Join(t.TempDir(), "placeholders")
	r = n.run("import", "--from-file", bare, "--placeholder-scripts", "--out", placeholders).must(t, 0, "import --placeholder-scripts")
	if !strings.Contains(r.stderr, "does nothing and succeeds") {
		t.Errorf("--placeholder-scripts does not warn:\n%s", r.stderr)
	}
}
