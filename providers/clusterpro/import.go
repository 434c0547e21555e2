package clusterpro

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/clusterctl/cluster/hcl/config"
	"github.com/clusterctl/cluster/hcl/generate"
	"github.com/clusterctl/cluster/providers/clusterpro/clpconf"
	"github.com/clusterctl/cluster/providers/clusterpro/scripts"
)

// Source is an existing cluster's configuration directory: clp.conf and the files beside it.
type Source struct {
	Conf  []byte
	Files map[string][]byte // slash paths relative to the directory: "scripts/..."
	Where string            // where it was read, for messages and the generated header
	// InstallDir is the product's install directory on the nodes, when it is not the
	// platform's default (a CLUSTERPRO-branded Windows install: C:\Program Files\CLUSTERPRO):
	// the imported cluster says install_dir, so that plan reads the directory import read.
	InstallDir string
}

// Imported is a cluster read back from its configuration directory.
type Imported struct {
	Cluster *config.Cluster
	// Label is the cluster's label in the written configuration, its key in Config.Clusters.
	Label    string
	Files    generate.Files // the generated configuration directory
	Warnings []string
	// Placeholders are the scripts the source lacked, written as scripts that succeed
	// (WritePlaceholders only).
	Placeholders []string
	// Unknown are the scripts the source lacked, written as unknown_content (MarkUnknown):
	// the configuration cannot be planned until the user supplies them.
	Unknown []string
}

// MissingScripts says what Import does with a script the source lacks (a bare clp.conf has
// none of its scripts).
type MissingScripts int

const (
	// MarkUnknown writes the script's part as unknown_content: plan and apply refuse the
	// cluster until the user supplies the file, so no real script is replaced by a guess.
	MarkUnknown MissingScripts = iota
	// WritePlaceholders writes a script that does nothing and succeeds (--placeholder-scripts):
	// applying it replaces the nodes' scripts with no-ops.
	WritePlaceholders
)

// Import decodes src into the model and writes it as HCL. name labels the cluster; "" takes
// the name clp.conf gives it (which must then be an HCL identifier).
func Import(src Source, name string, opts generate.Options, missing MissingScripts) (*Imported, error) {
	if src.Conf == nil {
		return nil, fmt.Errorf("%s holds no clp.conf", src.Where)
	}
	doc, err := clpconf.Parse(src.Conf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Where, err)
	}
	if name == "" {
		name = doc.ClusterName()
		if !hclsyntax.ValidIdentifier(name) {
			return nil, fmt.Errorf("the cluster's name %q is not an HCL name: give one with --name (clp.conf keeps its own)", name)
		}
	}
	label := name
	if opts.Prefix != "" {
		// Beside another configuration: the label is the prefix, and the cluster keeps the
		// name clp.conf gives it (written as its name argument).
		label, name = opts.Prefix, doc.ClusterName()
	}
	c, err := Decode(name, doc, src.Files)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Where, err)
	}
	if src.InstallDir != "" {
		c.InstallDir = src.InstallDir
	}
	if opts.Source == "" {
		opts.Source = src.Where
	}
	absent := missingScripts(c, src.Files, missing)
	files, err := generate.Cluster(c, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Where, err)
	}
	im := &Imported{Cluster: c, Label: label, Files: files}
	if missing == WritePlaceholders {
		im.Placeholders = absent
		for _, p := range absent {
			im.Warnings = append(im.Warnings, p+" was not found: it is written as a script that does nothing and succeeds")
		}
	} else {
		im.Unknown = absent
	}
	return im, nil
}

// missingScripts handles every script whose file the source lacks as missing says, and returns
// those files' paths.
func missingScripts(c *config.Cluster, files map[string][]byte, missing MissingScripts) []string {
	noop := scripts.EmptyScript(c.Platform)
	var absent []string
	handle := func(s *config.Script, part, path string) {
		if _, ok := files[path]; ok {
			return
		}
		absent = append(absent, path)
		if missing == MarkUnknown {
			s.UnknownContent = append(s.UnknownContent, part)
			return
		}
		if part == "start" {
			s.Start = noop
		} else {
			s.Stop = noop
		}
	}
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if r.Script != nil {
				start, stop := config.ExecScriptPaths(g.Name, r.Name, c.Platform)
				handle(r.Script, "start", start)
				handle(r.Script, "stop", stop)
			}
		}
	}
	for _, m := range c.AllMonitors() {
		if m.Script != nil {
			handle(m.Script, "start", config.MonitorScriptPath(m.Name, c.Platform))
		}
	}
	return absent
}

// Differences lists, in words, how the configuration directory c renders differs from src: empty
// when an import is exact (clp.conf semantically equal, every file byte for byte). Files in
// expected are known to be added (placeholders) and not listed.
func Differences(c *config.Cluster, src Source, expected ...string) ([]string, error) {
	orig, err := clpconf.Parse(src.Conf)
	if err != nil {
		return nil, err
	}
	doc, files, err := RenderDirectory(c)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range clpconf.Diff(orig, doc) {
		out = append(out, "clp.conf: "+d.String())
	}
	for _, p := range sortedPaths(src.Files, files) {
		b, inSrc := src.Files[p]
		a, inOut := files[p]
		switch {
		case !inOut:
			out = append(out, p+": not reproduced")
		case !inSrc:
			if !slices.Contains(expected, p) {
				out = append(out, p+": would be added")
			}
		case string(a) != string(b):
			out = append(out, p+": "+contentDifference(b, a))
		}
	}
	return out, nil
}

// contentDifference says where two versions of a file first differ.
func contentDifference(was, now []byte) string {
	i := 0
	for i < len(was) && i < len(now) && was[i] == now[i] {
		i++
	}
	line := strings.Count(string(was[:i]), "\n") + 1
	return fmt.Sprintf("content differs from line %d (line endings or a final newline are normalised for literal scripts)", line)
}

// Summary counts what an import holds, for the command's report.
func (im *Imported) Summary() string {
	c := im.Cluster
	resources, monitors, vendor := 0, len(c.Monitors), 0
	for _, g := range c.Groups {
		resources += len(g.Resources)
		monitors += len(g.Monitors)
	}
	for _, o := range c.VendorObjects() {
		vendor += len(*o.Params)
	}
	return fmt.Sprintf("%s cluster %s: %d nodes, %d groups, %d resources, %d monitors, %d vendor parameters, %d vendor files",
		c.Platform, c.Name, len(c.Nodes), len(c.Groups), resources, monitors, vendor, len(c.VendorFiles))
}

// FilePaths lists the generated files in order.
func (im *Imported) FilePaths() []string {
	paths := make([]string, 0, len(im.Files))
	for p := range im.Files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths
}
