package clusterpro

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/clusterctl/cluster/charset"
	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/hcl/format"
	"github.com/clusterctl/cluster/hcl/generate"
)

// writeFiles lays a generated configuration directory out under dir.
func writeFiles(t *testing.T, dir string, files generate.Files) {
	t.Helper()
	for p, b := range files {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// importLoad imports src, writes the HCL, and loads it as `cluster validate` does.
func importLoad(t *testing.T, src Source) (*Imported, *config.Cluster) {
	t.Helper()
	im, err := Import(src, "", generate.Options{}, MarkUnknown)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, im.Files)
	loaded, diags := config.Load(dir, config.LoadOptions{})
	if diags.HasErrors() {
		for p := range im.Files {
			if strings.HasSuffix(p, ".hcl") {
				t.Logf("%s:\n%s", p, im.Files[p])
			}
		}
		t.Fatalf("the imported configuration does not validate: %v", diags)
	}
	for p, b := range im.Files {
		if !strings.HasSuffix(p, ".hcl") {
			continue
		}
		if out, _ := format.Source(b, p); string(out) != string(b) {
			t.Errorf("%s is not in canonical layout (cluster fmt would change it)", p)
		}
	}
	c := loaded.Config.Clusters[im.Cluster.Name]
	if c == nil {
		t.Fatalf("no cluster %q in the imported configuration", im.Cluster.Name)
	}
	return im, c
}

// Every vendor file, and its scripts, survives import -> validate -> render unchanged.
func TestImportValidateRenderIsExact(t *testing.T) {
	for _, path := range vendorFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src := Source{Conf: raw, Files: map[string][]byte{}, Where: path}
			_, c := importLoad(t, src)
			diffs, err := Differences(c, src)
			if err != nil {
				t.Fatal(err)
			}
			// The vendor file holds clp.conf only: scripts are generated as placeholders.
			var confDiffs []string
			for _, d := range diffs {
				if strings.HasPrefix(d, "clp.conf: ") {
					confDiffs = append(confDiffs, d)
				}
			}
			if len(confDiffs) > 0 {
				t.Errorf("%d differences:\n%s", len(confDiffs), strings.Join(confDiffs, "\n"))
			}
		})
	}
}

// Scripts and unowned files come back byte for byte, in their charset, Japanese included.
func TestImportKeepsScriptsAndFiles(t *testing.T) {
	raw, err := os.ReadFile("clpconf/testdata/reference/linux-md-exec-current.clp.conf")
	if err != nil {
		t.Fatal(err)
	}
	eucStart, err := toEUC("#!/bin/sh\n# 業務アプリケーションを起動する\necho start\n")
	if err != nil {
		t.Fatal(err)
	}
	src := Source{Conf: raw, Where: "test", Files: map[string][]byte{
		"scripts/failover1/exec1/start.sh":       eucStart,
		"scripts/failover1/exec1/stop.sh":        []byte("#!/bin/sh\necho stop\n"),
		"scripts/monitor.s/genw/genw.sh":         []byte("#!/bin/sh\nexit 0\n"),
		"scripts/monitor.s/genw/preaction.sh":    []byte("#!/bin/sh\nlogger preaction\n"),
		"scripts/failover1/exec1/helper/util.sh": []byte("#!/bin/sh\n: helper\n"),
	}}
	im, c := importLoad(t, src)
	diffs, err := Differences(c, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("differences:\n%s", strings.Join(diffs, "\n"))
	}
	if got := im.Cluster.VendorFiles; len(got) != 2 {
		t.Errorf("vendor files = %v, want preaction.sh and helper/util.sh", got)
	}
	if s := c.Groups[0].Resources[1].Script; s == nil || s.Charset != "EUC-JP" || !strings.Contains(s.Start, "業務アプリケーション") {
		t.Errorf("exec1's script = %+v, want the EUC-JP start script decoded", s)
	}
}

func toEUC(s string) ([]byte, error) {
	return charset.Encode("EUC-JP", s)
}

// A script in the cluster's GB2312 charset is decoded and labelled as GB2312, not SJIS, so the
// import renders it back byte for byte.
func TestImportKeepsGB2312Scripts(t *testing.T) {
	raw, err := os.ReadFile("clpconf/testdata/reference/linux-md-exec-current.clp.conf")
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.NewReplacer(`encoding="EUC-JP"`, `encoding="GB2312"`,
		"<charset>EUC-JP</charset>", "<charset>GB2312</charset>").Replace(string(raw)))
	gbStart, err := charset.Encode("GB2312", "#!/bin/sh\n# 启动业务应用程序\necho start\n")
	if err != nil {
		t.Fatal(err)
	}
	src := Source{Conf: raw, Where: "test", Files: map[string][]byte{
		"scripts/failover1/exec1/start.sh": gbStart,
		"scripts/failover1/exec1/stop.sh":  []byte("#!/bin/sh\necho stop\n"),
		"scripts/monitor.s/genw/genw.sh":   []byte("#!/bin/sh\nexit 0\n"),
	}}
	_, c := importLoad(t, src)
	if s := c.Groups[0].Resources[1].Script; s == nil || s.Charset != "GB2312" || !strings.Contains(s.Start, "启动业务应用程序") {
		t.Errorf("exec1's script = %+v, want the GB2312 start script decoded", s)
	}
	diffs, err := Differences(c, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Errorf("differences:\n%s", strings.Join(diffs, "\n"))
	}
}

// The summary counts the vendor parameters of every object, heartbeats and network partitions
// included.
func TestImportSummaryCountsEveryVendorParameter(t *testing.T) {
	v := "1"
	c := &config.Cluster{Name: "c", Platform: config.Linux,
		Vendor:            config.VendorParams{"a": &v},
		Nodes:             []*config.ClusterNode{{Name: "n1", Vendor: config.VendorParams{"b": &v}}},
		Heartbeats:        []*config.Heartbeat{{Name: "hb", Mode: "kernel", Vendor: config.VendorParams{"c": &v, "d": nil}}},
		NetworkPartitions: []*config.NetworkPartition{{Name: "np", Vendor: config.VendorParams{"e": &v}}},
	}
	im := &Imported{Cluster: c}
	if got := im.Summary(); !strings.Contains(got, "5 vendor parameters") {
		t.Errorf("Summary() = %q, want 5 vendor parameters", got)
	}
}

// <all><encode> follows the platform and charset as the vendor's tools write it, so a file made
// by clpcreate or clpcfset imports without it; a Linux file saved by a WebUI that ran on Windows
// (SJIS) or a tool's "Japanese" keeps its value as a vendor parameter.
func TestImportKeepsEncodeOnlyWhereItIsNotTheVendorDefault(t *testing.T) {
	for file, want := range map[string]string{
		"linux-clpcfset-v2-fip-disk-exec-grouptypes.clp.conf": "",
		"linux-clpcreate-fip-disk-exec-ipw.clp.conf":          "",
		"windows-basiccluster-2nodes-mirror.clp.conf":         "", // charset ASCII, encode SJIS
		"windows-createcluster-fip.clp.conf":                  "",
		"linux-clpcfdiff-md-exec-current.clp.conf":            `"SJIS"`,
		"linux-clpcreate-haltp-bmchb.clp.conf":                `"Japanese"`,
	} {
		t.Run(file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "vendor", "clp.conf", file))
			if err != nil {
				t.Fatal(err)
			}
			_, c := importLoad(t, Source{Conf: raw, Files: map[string][]byte{}, Where: file})
			got := ""
			if v, ok := c.Vendor["all/encode"]; ok && v != nil {
				got = strconv.Quote(*v)
			}
			if got != want {
				t.Errorf("vendor parameter all/encode = %s, want %s", got, want)
			}
		})
	}
}
