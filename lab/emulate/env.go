package emulate

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/clusterctl/cluster/internal/atomicfile"
	"github.com/clusterctl/cluster/lab/labdir"
)

// RootEnv names the environment variable holding the node root.
const RootEnv = "CLUSTER_NODE_ROOT"

// env is the world of one emulated command: the node it runs on and where it is installed.
type env struct {
	name    string // command name, prefixed to messages
	root    string // node root on the host filesystem; "" = the real root
	install string // install directory as a node path (/opt/nec/clusterpro)
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
}

func withEnv(defaultInstall string, run command) Main {
	return func(argv0 string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		root := filepath.Clean(os.Getenv(RootEnv))
		if root == "." || root == "/" {
			root = ""
		}
		e := &env{
			name:   filepath.Base(argv0),
			root:   root,
			stdin:  stdin,
			stdout: stdout,
			stderr: stderr,
		}
		e.install = e.installDir(argv0, defaultInstall)
		return run(e, args)
	}
}

// installDir derives the install directory from the invocation path <install>/bin/<cmd>;
// invoked from anywhere else (PATH lookup, /usr/sbin) the product's default is used.
func (e *env) installDir(argv0, defaultInstall string) string {
	if !strings.Contains(argv0, "/") {
		return defaultInstall
	}
	abs, err := filepath.Abs(argv0)
	if err != nil {
		return defaultInstall
	}
	bin := filepath.Dir(abs)
	if filepath.Base(bin) != "bin" {
		return defaultInstall
	}
	install, ok := e.toNode(filepath.Dir(bin))
	if !ok {
		return defaultInstall
	}
	return install
}

// toNode turns a host path inside the root into a node path.
func (e *env) toNode(host string) (string, bool) {
	if e.root == "" {
		return host, true
	}
	rel, err := filepath.Rel(e.root, host)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	return path.Clean("/" + filepath.ToSlash(rel)), true
}

// host maps a node path to the host filesystem of this node.
func (e *env) host(nodePath string) string { return hostIn(e.root, nodePath) }

// hostIn maps a node path into the root of any node.
func hostIn(root, nodePath string) string {
	return filepath.Join(root, filepath.FromSlash(path.Clean("/"+nodePath)))
}

// nodeArg normalises a path argument to a node path. The tool passes paths already prefixed
// with the node root ("${CLUSTER_NODE_ROOT-}"/opt/...); a person typing on the node passes
// bare node paths. Both name the same file. Relative paths are relative to the working
// directory; C:\ paths take the MSYS form.
func (e *env) nodeArg(arg string) string {
	if len(arg) >= 2 && arg[1] == ':' {
		arg = "/" + strings.ToLower(arg[:1]) + strings.ReplaceAll(arg[2:], `\`, "/")
	}
	if abs, err := filepath.Abs(arg); err == nil {
		arg = abs
	}
	if e.root != "" && strings.HasPrefix(arg, e.root+"/") {
		if p, ok := e.toNode(arg); ok {
			return p
		}
	}
	return path.Clean(filepath.ToSlash(arg))
}

// failf prints "<cmd>: message" on stderr and returns exit status 1.
func (e *env) failf(format string, args ...any) int {
	fmt.Fprintf(e.stderr, "%s: %s\n", e.name, fmt.Sprintf(format, args...))
	return 1
}

// errDiskFull is what every emulated write returns while the disk-full fault is on.
var errDiskFull = diskFullError{}

type diskFullError struct{}

func (diskFullError) Error() string        { return "No space left on device" }
func (diskFullError) Is(target error) bool { return target == syscall.ENOSPC }

// writeFile writes a file of the node at root atomically, honouring its disk-full fault.
func writeFile(root, hostPath string, data []byte, perm fs.FileMode) error {
	if labdir.HasFault(root, labdir.DiskFull, "") {
		return fmt.Errorf("write %s: %w", hostPath, errDiskFull)
	}
	return atomicfile.Write(hostPath, data, perm)
}

// write writes a file of this node, given by node path.
func (e *env) write(nodePath string, data []byte, perm fs.FileMode) error {
	return writeFile(e.root, e.host(nodePath), data, perm)
}

// isNotExist reports a missing file through any wrapping.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
