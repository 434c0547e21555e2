package lab

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"

	"github.com/clusterctl/cluster/lab/emulate"
	"github.com/clusterctl/cluster/lab/labdir"
)

// sbinDir is where a Linux node also has the CLUSTERPRO commands, as the vendor installs
// them; invoked from there they use the default install directory.
const sbinDir = "/usr/sbin"

// PrepareRoot lays out a node root: the home, bin and tmp directories, .lab/node.json naming
// the node and its lab, the fault directory, and a symlink to binary (the cluster binary) under
// every emulated command's name in each product's <install>/bin (CLUSTERPRO also in /usr/sbin)
// and as bin/df. It is idempotent: links are replaced atomically, state is left alone. The
// OpenSSH test harness uses it to build node roots identical to the lab's.
func PrepareRoot(root, name, labDir, binary string) error {
	for _, d := range []string{"bin", "home", "tmp", labdir.FaultDir} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return fmt.Errorf("prepare root of %s: %w", name, err)
		}
	}
	if err := labdir.WriteNodeInfo(root, labdir.NodeInfo{Name: name, LabDir: labDir}); err != nil {
		return fmt.Errorf("prepare root of %s: %w", name, err)
	}
	// The service and registry tools where providers run them, by absolute path
	// (/usr/bin/systemctl; C:\Windows\system32\sc.exe and reg.exe), and under bin.
	links := []string{"/bin/df", "/bin/sc", "/bin/systemctl", "/bin/reg",
		"/usr/bin/systemctl", "/c/Windows/system32/sc.exe", "/c/Windows/system32/reg.exe"}
	for _, f := range emulate.Families() {
		for _, c := range f.Commands {
			for _, install := range f.Installs {
				links = append(links, path.Join(install, "bin", c))
				if _, windows := emulate.WindowsDir(install); windows { // NAME.exe
					links = append(links, path.Join(install, "bin", c+".exe"))
				}
			}
			if f.Name == "clusterpro" {
				links = append(links, path.Join(sbinDir, c))
			}
		}
	}
	for _, l := range links {
		if err := symlink(binary, filepath.Join(root, filepath.FromSlash(l))); err != nil {
			return fmt.Errorf("prepare root of %s: %w", name, err)
		}
	}
	return nil
}

// symlink makes link point at target, replacing whatever link was, atomically.
func symlink(target, link string) error {
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		return err
	}
	if cur, err := os.Readlink(link); err == nil && cur == target {
		return nil
	}
	tmp := link + ".tmp-" + strconv.Itoa(os.Getpid())
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
