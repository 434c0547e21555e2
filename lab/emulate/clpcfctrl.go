package emulate

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"

	"github.com/clusterctl/cluster/internal/atomicfile"
	"github.com/clusterctl/cluster/lab/labdir"
)

// runClpcfctrl emulates clpcfctrl --push (distribute a configuration directory to every
// server it names) and --pull (copy this server's installed configuration into a directory).
// -l and -w (the configuration was saved on Linux / on Windows: EXPRESSCLUSTER/Tools
// ConvertToUserModeCluster) are accepted and exactly one is required. The product's rule is not
// confirmed (EXPRESSCLUSTER/Ansible pushes without either on X 5.1; docs/vendor-output.md): the
// lab keeps the stricter one, the form the tool sends.
func runClpcfctrl(e *env, args []string) int {
	flags := flag.NewFlagSet(e.name, flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	push := flags.Bool("push", false, "distribute the configuration")
	pull := flags.Bool("pull", false, "read the installed configuration")
	linux := flags.Bool("l", false, "Linux configuration")
	windows := flags.Bool("w", false, "Windows configuration")
	dir := flags.String("x", "", "configuration directory")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 || *push == *pull || *linux == *windows || *dir == "" {
		return e.failf("invalid option. Usage: clpcfctrl --push|--pull -l|-w -x DIR")
	}
	d := e.host(e.nodeArg(*dir))
	if *pull {
		if err := pullConfig(e, d); err != nil {
			return e.failf("%v", err)
		}
		fmt.Fprintln(e.stdout, "Command succeeded.(code:0)")
		return 0
	}
	return pushConfig(e, d)
}

// pushConfig checks every server named in DIR/clp.conf first (a lab node, reachable, cluster
// not running unsuspended) and only then delivers, so a refused push changes nothing.
func pushConfig(e *env, dir string) int {
	cfg, err := readConfiguration(dir)
	if err != nil {
		return e.failf("cannot read the configuration: %v", err)
	}
	conf, err := parseClpConf(cfg.Conf)
	if err != nil {
		return e.failf("invalid configuration: %v", err)
	}
	if len(conf.Servers) == 0 {
		return e.failf("invalid configuration: clp.conf names no server")
	}
	_, servers, link, err := e.peers()
	if err != nil {
		return e.failf("%v", err)
	}
	defer link.Close()
	for _, name := range conf.Servers {
		st, err := servers.status(name)
		if err != nil {
			return e.failf("server %s: %v", name, err)
		}
		if !st.Known {
			return e.failf("server %s is not found.", name)
		}
		if st.Down {
			return e.failf("file delivery to server %s failed: the server is not reachable.", name)
		}
		state, err := servers.readState(name, e.install)
		if err != nil {
			return e.failf("server %s: %v", name, err)
		}
		if state.Cluster == clusterRunning {
			return e.failf("the cluster is running. Suspend or stop the cluster first.")
		}
	}
	for _, name := range conf.Servers {
		if err := servers.installConfig(name, e.install, cfg); err != nil {
			fmt.Fprintf(e.stdout, "file delivery to server %s failed.\n", name)
			return e.failf("%v", err)
		}
		fmt.Fprintf(e.stdout, "file delivery to server %s success.\n", name)
	}
	fmt.Fprintln(e.stdout, "The upload is completed successfully.")
	return 0
}

// configuration is a configuration directory as clpcfctrl --push delivers it: clp.conf and
// the scripts tree, read once on the pushing server and sent whole to every server.
type configuration struct {
	Conf    []byte     `json:"conf"`
	Scripts []treeFile `json:"scripts"`
}

// treeFile is a directory or regular file of a scripts tree, by slash path relative to it.
type treeFile struct {
	Path string      `json:"path"`
	Mode fs.FileMode `json:"mode"`
	Dir  bool        `json:"dir,omitempty"`
	Data []byte      `json:"data,omitempty"`
}

// readConfiguration reads DIR/clp.conf and the scripts tree DIR/scripts (a missing scripts
// directory is an empty tree).
func readConfiguration(dir string) (configuration, error) {
	conf, err := os.ReadFile(filepath.Join(dir, "clp.conf"))
	if err != nil {
		return configuration{}, err
	}
	scripts, err := readTree(filepath.Join(dir, scriptsDir))
	if isNotExist(err) {
		err = nil
	}
	return configuration{Conf: conf, Scripts: scripts}, err
}

// readTree reads the regular files and directories under src, by slash path relative to it
// (symlinks and devices are not part of a tree a product sends).
func readTree(src string) ([]treeFile, error) {
	var files []treeFile
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		f := treeFile{Path: filepath.ToSlash(rel), Mode: info.Mode().Perm(), Dir: d.IsDir()}
		switch {
		case d.IsDir():
		case info.Mode().IsRegular():
			if f.Data, err = os.ReadFile(p); err != nil {
				return err
			}
		default:
			return nil
		}
		files = append(files, f)
		return nil
	})
	return files, err
}

// writeTree writes the files of a tree under dst, refusing a path that would leave it.
func writeTree(dst string, files []treeFile) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if !fs.ValidPath(f.Path) || f.Path == "." {
			return fmt.Errorf("invalid path %q in the tree", f.Path)
		}
		target := filepath.Join(dst, filepath.FromSlash(f.Path))
		var err error
		if f.Dir {
			err = os.MkdirAll(target, f.Mode.Perm()|0o700)
		} else if err = os.MkdirAll(filepath.Dir(target), 0o755); err == nil {
			err = os.WriteFile(target, f.Data, f.Mode.Perm())
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// installConfig installs a configuration into the node at root: the scripts tree is swapped in
// whole (replaceTree), then clp.conf is replaced atomically, so a reader never sees a clp.conf
// without its scripts.
func installConfig(root, install string, cfg configuration) error {
	if labdir.HasFault(root, labdir.DiskFull, "") {
		return fmt.Errorf("install on %s: %w", root, errDiskFull)
	}
	if err := replaceTree(hostIn(root, path.Join(install, scriptsDir)), cfg.Scripts); err != nil {
		return fmt.Errorf("copy scripts: %w", err)
	}
	return atomicfile.Write(hostIn(root, path.Join(install, confFile)), cfg.Conf, 0o644)
}

// replaceTree replaces the directory dst with a tree of files: the tree is built beside dst and
// swapped in by rename, so dst is never half written.
func replaceTree(dst string, files []treeFile) error {
	tag := strconv.Itoa(os.Getpid())
	fresh, old := dst+".new-"+tag, dst+".old-"+tag
	if err := os.RemoveAll(fresh); err != nil {
		return err
	}
	if err := writeTree(fresh, files); err != nil {
		os.RemoveAll(fresh)
		return err
	}
	if err := os.Rename(dst, old); err != nil && !isNotExist(err) {
		os.RemoveAll(fresh)
		return err
	}
	if err := os.Rename(fresh, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	return os.RemoveAll(old)
}

// pullConfig copies the installed clp.conf and scripts of this node into dir.
func pullConfig(e *env, dir string) error {
	conf, err := os.ReadFile(e.host(path.Join(e.install, confFile)))
	if isNotExist(err) {
		return errors.New("the cluster configuration is not installed")
	}
	if err != nil {
		return err
	}
	if labdir.HasFault(e.root, labdir.DiskFull, "") {
		return fmt.Errorf("write %s: %w", dir, errDiskFull)
	}
	scripts, err := readTree(e.host(path.Join(e.install, scriptsDir)))
	if err != nil && !isNotExist(err) {
		return err
	}
	if err := replaceTree(filepath.Join(dir, scriptsDir), scripts); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, "clp.conf"), conf, 0o644)
}
