package labdir

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterctl/cluster/internal/atomicfile"
)

// FaultDir holds a node's fault switches, relative to the node root. A switch is on while its
// file exists.
const FaultDir = ".lab/faults"

// Fault is a kind of injected failure.
type Fault string

// The fault kinds. Connection faults are honoured by the lab SSH server, command faults by the
// emulated vendor commands.
const (
	NodeDown        Fault = "node-down"        // connections are closed at once; pushes to the node fail
	Slow            Fault = "slow"             // ARG ms of delay per read and write on a connection
	Drop            Fault = "drop"             // a connection is dropped after ARG bytes sent to the client
	DiskFull        Fault = "disk-full"        // emulated writes fail with "No space left on device"
	ScanInact       Fault = "scan-inact"       // ARG = scan server name: it is disconnected (one-shot event)
	ScanDown        Fault = "scan-down"        // ARG = scan server name: its connector is unreachable
	StsIOError      Fault = "sts-ioerror"      // ARG = status file node path: I/O errors on that file
	VendorFail      Fault = "vendor-fail"      // ARG = suspend | resume: clpcl fails that operation on this server
	ServiceAuto     Fault = "service-auto"     // ARG = OS service name: it starts at boot (automatic / enabled)
	RegistryMissing Fault = "registry-missing" // ARG = registry key: reg query does not find it
	RegistryDiffers Fault = "registry-differs" // ARG = registry key: reg query shows a value the other nodes lack
)

// faultSpec says how a kind takes its argument.
type faultSpec struct {
	numeric bool // ARG is a number stored as the file's content
	named   bool // ARG names a sub-file: faults/<kind>/<arg>
}

func specOf(kind Fault) (faultSpec, bool) {
	switch kind {
	case NodeDown, DiskFull:
		return faultSpec{}, true
	case Slow, Drop:
		return faultSpec{numeric: true}, true
	case ScanInact, ScanDown, StsIOError, VendorFail, ServiceAuto, RegistryMissing, RegistryDiffers:
		return faultSpec{named: true}, true
	}
	return faultSpec{}, false
}

// Faults lists every kind, sorted, for help texts.
func Faults() []Fault {
	return []Fault{DiskFull, Drop, NodeDown, RegistryDiffers, RegistryMissing, ScanDown, ScanInact, ServiceAuto, Slow, StsIOError, VendorFail}
}

// faultFile is the switch file of kind with arg, or an error when arg does not fit the kind.
func faultFile(root string, kind Fault, arg string) (file, content string, err error) {
	spec, ok := specOf(kind)
	if !ok {
		return "", "", fmt.Errorf("unknown fault %q (one of %v)", kind, Faults())
	}
	base := filepath.Join(root, FaultDir, string(kind))
	switch {
	case spec.numeric:
		if _, err := strconv.Atoi(arg); err != nil {
			return "", "", fmt.Errorf("fault %s needs a number argument, got %q", kind, arg)
		}
		return base, arg + "\n", nil
	case spec.named:
		rel, err := faultName(arg)
		if err != nil {
			return "", "", fmt.Errorf("fault %s: %w", kind, err)
		}
		return filepath.Join(base, filepath.FromSlash(rel)), "", nil
	default:
		if arg != "" {
			return "", "", fmt.Errorf("fault %s takes no argument", kind)
		}
		return base, "", nil
	}
}

// faultName turns a server name or a node path (POSIX or C:\...) into a relative slash path
// that cannot leave the fault directory.
func faultName(arg string) (string, error) {
	if arg == "" {
		return "", fmt.Errorf("an argument is required")
	}
	p := arg
	if len(p) >= 2 && p[1] == ':' {
		p = "/" + strings.ToLower(p[:1]) + strings.ReplaceAll(p[2:], `\`, "/")
	}
	clean := path.Clean("/" + p)[1:]
	if clean == "" || clean != strings.TrimPrefix(p, "/") {
		return "", fmt.Errorf("argument %q is not a clean name or absolute path", arg)
	}
	return clean, nil
}

// SetFault turns a fault on (arg: number for slow/drop, name or node path for the named kinds).
func SetFault(root string, kind Fault, arg string) error {
	file, content, err := faultFile(root, kind, arg)
	if err != nil {
		return err
	}
	return atomicfile.Write(file, []byte(content), 0o644)
}

// ClearFault turns a fault off; clearing one that is off is not an error. For the numeric
// kinds arg is ignored.
func ClearFault(root string, kind Fault, arg string) error {
	if isNumeric(kind) {
		arg = "0"
	}
	file, _, err := faultFile(root, kind, arg)
	if err != nil {
		return err
	}
	if err := os.Remove(file); err != nil && !IsNotExist(err) {
		return err
	}
	return nil
}

// HasFault reports whether a fault is on. arg is ignored for the numeric kinds.
func HasFault(root string, kind Fault, arg string) bool {
	_, ok := FaultValue(root, kind, arg)
	return ok
}

// FaultValue returns the numeric argument of a switched-on slow or drop fault (0 for the other
// kinds) and whether the fault is on.
func FaultValue(root string, kind Fault, arg string) (int, bool) {
	spec, _ := specOf(kind)
	if spec.numeric {
		arg = "0"
	}
	file, _, err := faultFile(root, kind, arg)
	if err != nil {
		return 0, false
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return 0, false
	}
	if !spec.numeric {
		return 0, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return 0, false
	}
	return n, true
}

// ListFaults describes every fault that is on, sorted: "node-down", "slow=50",
// "scan-inact/WinNT01", "sts-ioerror/opt/HiOBJ/sts/a1".
func ListFaults(root string) []string {
	dir := filepath.Join(root, FaultDir)
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if strings.Contains(rel, ".tmp-") {
			return nil
		}
		kind := Fault(strings.SplitN(rel, "/", 2)[0])
		if isNumeric(kind) {
			n, _ := FaultValue(root, kind, "")
			rel = fmt.Sprintf("%s=%d", kind, n)
		}
		out = append(out, rel)
		return nil
	})
	slices.Sort(out)
	return out
}

func isNumeric(kind Fault) bool {
	spec, _ := specOf(kind)
	return spec.numeric
}
