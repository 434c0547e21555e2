package scripts

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/clusterctl/cluster/hcl/config"
)

// charsetCluster has one exec resource whose generated script broadcasts a Japanese message.
func charsetCluster(p config.Platform, charset string, script *config.Script) *config.Cluster {
	c := testCluster(p)
	c.Charset = charset
	c.Groups[0].Resources[1].Script = script
	c.Groups[0].Monitors = nil
	c.Monitors = nil
	return c
}

const message = "最高プライオリティサーバで起動中です"

func japaneseScript() *config.Script {
	return &config.Script{Name: "app", Services: []config.ScriptService{{ID: "W", Name: "W3SVC"}},
		Hooks: []config.ScriptHook{{Event: "START", Position: "before", Commands: []string{`ARMBCAST /MSG "` + message + `" /A`}}}}
}

// A generated script follows the cluster's charset, as the node's interpreter reads it: SJIS
// .bat files for an SJIS or EUC-JP Windows cluster, EUC-JP .sh files for a Japanese Linux one.
func TestGeneratedScriptFollowsClusterCharset(t *testing.T) {
	tests := map[string]struct {
		platform config.Platform
		charset  string
		path     string
		encode   func(string) (string, error)
	}{
		"windows SJIS":  {config.Windows, "SJIS", "scripts/iis/exec1/start.bat", japanese.ShiftJIS.NewEncoder().String},
		"windows EUCJP": {config.Windows, "EUC-JP", "scripts/iis/exec1/start.bat", japanese.ShiftJIS.NewEncoder().String},
		"linux EUCJP":   {config.Linux, "EUC-JP", "scripts/iis/exec1/start.sh", japanese.EUCJP.NewEncoder().String},
		"linux SJIS":    {config.Linux, "SJIS", "scripts/iis/exec1/start.sh", japanese.EUCJP.NewEncoder().String},
		"linux UTF-8":   {config.Linux, "UTF-8", "scripts/iis/exec1/start.sh", func(s string) (string, error) { return s, nil }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			files, err := ClusterFiles(charsetCluster(tc.platform, tc.charset, japaneseScript()))
			if err != nil {
				t.Fatal(err)
			}
			want, err := tc.encode(message)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(files[tc.path], []byte(want)) {
				t.Errorf("%s does not hold the message in the expected encoding", tc.path)
			}
			if name != "linux UTF-8" && bytes.Contains(files[tc.path], []byte(message)) {
				t.Errorf("%s holds the message as UTF-8", tc.path)
			}
		})
	}
}

// Literal content without a charset is written as given; an explicit charset wins over the
// cluster's.
func TestScriptCharsetPrecedence(t *testing.T) {
	literal := &config.Script{Name: "app", Start: "echo " + message, Stop: "echo stop"}
	files, err := ClusterFiles(charsetCluster(config.Linux, "EUC-JP", literal))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files["scripts/iis/exec1/start.sh"], []byte(message)) {
		t.Error("literal content without a charset was converted")
	}
	explicit := japaneseScript()
	explicit.Charset = "UTF-8"
	files, err = ClusterFiles(charsetCluster(config.Windows, "SJIS", explicit))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(files["scripts/iis/exec1/start.bat"], []byte(message)) {
		t.Error("charset = \"UTF-8\" on the script did not win over the cluster's SJIS")
	}
}

// An ASCII cluster (the Windows default) cannot carry a Japanese message in a generated script:
// plan refuses it rather than writing bytes cmd.exe would misread.
func TestGeneratedScriptNotInClusterCharset(t *testing.T) {
	_, err := ClusterFiles(charsetCluster(config.Windows, "ASCII", japaneseScript()))
	if err == nil || !strings.Contains(err.Error(), "not ASCII") {
		t.Fatalf("err = %v, want a charset error", err)
	}
}

// On Windows a device name, or two names that differ only in case, cannot be script
// directories; on Linux they can.
func TestWindowsDirectoryNames(t *testing.T) {
	reserved := func(c *config.Cluster) { c.Groups[1].Resources[0].Name = "con" }
	folded := func(c *config.Cluster) { c.Groups[1].Name = "IIS"; c.Groups[1].Resources[0].Name = "EXEC1" }
	for name, tc := range map[string]struct {
		mutate func(*config.Cluster)
		want   string
	}{
		"reserved": {reserved, `exec resource name "con" cannot be a directory name on Windows`},
		"case":     {folded, "one file on Windows"},
	} {
		t.Run(name, func(t *testing.T) {
			c := testCluster(config.Windows)
			tc.mutate(c)
			if _, err := ClusterFiles(c); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("windows: err = %v, want %q", err, tc.want)
			}
			c = testCluster(config.Linux)
			tc.mutate(c)
			if _, err := ClusterFiles(c); err != nil {
				t.Errorf("linux: %v", err)
			}
		})
	}
}
